package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import numa.it.harness.AgentCli;
import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.ProcTasks;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;

/**
 * {@code status PID} as an operator runs it, on live JVMs the test starts: the demo engine with the
 * agent, held alive, is shown with each worker on its device's node, the rule that bound it, Java
 * names, and memory per node; a process that is not a JVM is shown from procfs alone.
 */
class StatusCommandTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final int[] NODE_OF_DEVICE = BoundConfig.NODE_OF_DEVICE;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void shows_each_worker_on_its_devices_node_with_the_rule_that_bound_it(Jdk jdk) throws IOException {
        Path dir = Artifacts.newRunDir("status-jdk" + jdk.feature());
        Path control = Files.createDirectories(dir.resolve("control"));
        RunningJvm app = JvmRun.on(jdk, dir).sysfs(TOPOLOGY).config(BoundConfig.YAML)
                .app("--devices=4", "--pool=2", "--hold-ms=60000", "--control-dir=" + control, "--json").start();
        AgentCli.Result status;
        AgentCli.Result table;
        Map<Long, String> kernelCpus = new java.util.HashMap<>();
        try {
            app.awaitHolding();
            status = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()), "--json", "--sysfs", dir.resolve("sys").toString());
            table = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()), "--sysfs", dir.resolve("sys").toString());
            if (status.status() == 0) {
                for (Map<String, Object> t : list(status.json().get("threads"))) {
                    if (!String.valueOf(t.get("name")).startsWith("gpu-worker-")) {
                        continue; // JMX and attach threads come and go; the workers are held
                    }
                    kernelCpus.put((Long) t.get("tid"), ProcTasks.cpusOfTask(app.pid(), (Long) t.get("tid")));
                }
            }
        } finally {
            Files.createFile(control.resolve("release"));
        }
        RunResult run = app.await();
        assertThat(run.exitCode()).as("the engine%s", run).isZero();
        assertThat(status.status()).as("status%s", status).isZero();

        Map<String, Object> json = status.json();
        assertThat(json).as("%s", status).containsEntry("pid", app.pid()).containsEntry("jvm", true)
                .containsEntry("java_names", "thread dump").containsEntry("numa", true);
        Map<String, Object> agent = map(json.get("agent"));
        assertThat(agent).as("%s", status).containsEntry("running", true).containsEntry("mode", "premain")
                .containsEntry("state", "binding").containsEntry("config", dir.resolve("numa.yaml").toString());
        assertThat(list(agent.get("rule_counts"))).singleElement().satisfies(c ->
                assertThat(c).containsEntry("rule", "gpu-workers").containsEntry("bound", 4L).containsEntry("failed", 0L));

        List<Map<String, Object>> threads = list(json.get("threads"));
        for (int device = 0; device < NODE_OF_DEVICE.length; device++) {
            String name = "gpu-worker-" + device;
            int node = NODE_OF_DEVICE[device];
            Map<String, Object> worker = threads.stream().filter(t -> name.equals(t.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + status));
            assertThat(worker).as("%s%s", name, status).containsEntry("cpus", TOPOLOGY.cpusOf(node))
                    .containsEntry("nodes", List.of((long) node)).containsEntry("spans_nodes", false)
                    .containsEntry("rule", "gpu-workers").containsEntry("device", (long) device)
                    .containsEntry("node", (long) node).containsEntry("trigger", "thread-start");
            assertThat(worker.get("outcome")).as("%s%s", name, status)
                    .isEqualTo(Host.kernelHasMemoryOn(node) ? "bound" : "cpus-only");
            assertThat(kernelCpus.get((Long) worker.get("tid"))).as("the kernel agrees for %s", name)
                    .isEqualTo(TOPOLOGY.cpusOf(node));
        }
        Map<String, Object> main = threads.stream().filter(t -> "main".equals(t.get("name"))).findFirst().orElseThrow();
        assertThat(main).as("main, unbound on both fake nodes%s", status).containsEntry("nodes", List.of(0L, 1L))
                .containsEntry("spans_nodes", true).containsEntry("rule", null);
        assertThat(threads).as("helpers are reset, not bound, by the rule%s", status)
                .filteredOn(t -> String.valueOf(t.get("name")).endsWith("-helper")).hasSize(4)
                .allSatisfy(h -> assertThat(h).containsEntry("outcome", "reset").containsEntry("spans_nodes", true));
        Map<String, Object> memory = map(json.get("memory"));
        assertThat((Long) memory.get("total_bytes")).as("resident memory%s", status).isPositive();
        assertThat(list(memory.get("nodes"))).as("the real kernel's node 0 holds memory%s", status)
                .anySatisfy(n -> assertThat(n).containsEntry("node", 0L));

        assertThat(table.status()).as("%s", table).isZero();
        assertThat(table.out()).as("%s", table).contains("numa-agent: runs inside (premain", "gpu-worker-3",
                "4 bound by a rule");
    }

    @Test
    void a_process_that_is_not_a_jvm_is_shown_from_procfs_and_left_alone() throws Exception {
        Path dir = Artifacts.newRunDir("status-sleep");
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            AgentCli.Result r = AgentCli.run(Jdk.current(), dir, "status", Long.toString(sleep.pid()), "--json");
            assertThat(r.status()).as("%s", r).isZero();
            Map<String, Object> json = r.json();
            assertThat(json).containsEntry("jvm", false).containsEntry("java_names", "comm");
            assertThat(list(json.get("threads"))).singleElement().satisfies(t ->
                    assertThat(t).containsEntry("tid", sleep.pid()).containsEntry("name", "sleep")
                            .containsEntry("cpus", Host.allowedCpuList()));
            assertThat(sleep.isAlive()).as("nothing was sent to it").isTrue();
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void a_process_that_does_not_exist_exits_1_and_a_bad_pid_2() {
        Path dir = Artifacts.newRunDir("status-missing");
        AgentCli.Result missing = AgentCli.run(Jdk.current(), dir, "status", "99999999");
        assertThat(missing.status()).as("%s", missing).isEqualTo(1);
        assertThat(missing.err()).startsWith("numa-agent: status: no process 99999999");
        assertThat(AgentCli.run(Jdk.current(), dir, "status", "pid").status()).isEqualTo(2);
    }
}
