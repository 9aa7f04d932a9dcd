package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.AgentCli;
import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.ProcTasks;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;
import numa.it.harness.ThreadReport;

/**
 * {@code attach PID CONFIG} as an operator runs it on a serving engine started WITHOUT the agent:
 * the workers already running are bound at once (their CPUs, read from outside in /proc; their
 * memory policy cannot be set from another thread and the result says so), workers started later
 * are bound from their first line like under -javaagent, and a second attach loads nothing.
 */
class AttachCommandTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    /** Devices 0 and 2 on node 0, 1 and 3 on node 1: the running pair and the late pair each cover both nodes. */
    private static final int[] NODE_OF_DEVICE = {0, 1, 0, 1};

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static String config(Path sys) {
        return """
                topology:
                  sysfs: %s
                devices:
                  source: static
                  nodes: [0, 1, 0, 1]
                binding:
                  cpus: node
                  memory: preferred
                rules:
                  - name: gpu-workers
                    thread: 'gpu-worker-(\\d+)'
                    device: "$1"
                """.formatted(sys);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void binds_running_workers_now_and_later_ones_from_their_first_line(Jdk jdk) throws Exception {
        Path dir = Artifacts.newRunDir("attach-jdk" + jdk.feature());
        Path sys = TOPOLOGY.writeTo(dir.resolve("sys"));
        Path config = Files.writeString(dir.resolve("numa.yaml"), config(sys));
        Path control = Files.createDirectories(dir.resolve("control"));
        RunningJvm app = JvmRun.on(jdk, dir).withoutAgent()
                .app("--devices=2", "--pool=1", "--late-workers=2", "--control-dir=" + control, "--hold-ms=90000", "--json")
                .start();
        AgentCli.Result before;
        AgentCli.Result attach;
        AgentCli.Result again;
        Map<String, String> cpusAfterAttach = new java.util.HashMap<>();
        try {
            app.awaitHolding();
            before = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()), "--json", "--sysfs", sys.toString());
            attach = AgentCli.run(jdk, dir, "attach", Long.toString(app.pid()), config.toString(), "--json");
            assertThat(attach.status()).as("attach%s%s", attach, app.stderrSoFar()).isZero();
            for (Map<String, Object> t : list(attach.json().get("running_threads"))) {
                cpusAfterAttach.put((String) t.get("name"), ProcTasks.cpusOfTask(app.pid(), (Long) t.get("tid")));
            }
            again = AgentCli.run(jdk, dir, "attach", Long.toString(app.pid()), config.toString(), "--json");
            // and loaded again behind the command line's back (jcmd, another tool): the agent itself refuses
            com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(app.pid()));
            try {
                vm.loadAgent(Artifacts.agentJar().toString(), config.toString());
            } finally {
                vm.detach();
            }
            Files.createFile(control.resolve("start-late"));
            app.awaitStderr("testapp: late workers reported");
        } finally {
            Files.write(control.resolve("release"), new byte[0]);
        }
        RunResult run = app.await();

        assertThat(before.status()).as("%s", before).isZero();
        assertThat(before.json()).as("a JVM without the agent: names from its thread dump, no JMX started in it%s", before)
                .containsEntry("java_names", "thread dump");
        assertThat(before.json().get("agent").toString()).as("%s", before).contains("running=false");
        assertThat(list(before.json().get("threads"))).as("no JMX connector started by status%s", before)
                .noneSatisfy(t -> assertThat(String.valueOf(t.get("name"))).startsWith("RMI TCP"))
                .anySatisfy(t -> assertThat(t).containsEntry("name", "gpu-worker-1").containsEntry("spans_nodes", true));

        Map<String, Object> json = attach.json();
        assertThat(json).as("%s", attach).containsEntry("loaded", true).containsEntry("already_running", false)
                .containsEntry("mode", "attach").containsEntry("state", "binding").containsEntry("config", config.toString());
        List<Map<String, Object>> running = list(json.get("running_threads"));
        assertThat(running).as("the two workers running at attach time%s", attach)
                .extracting(t -> t.get("name")).containsExactlyInAnyOrder("gpu-worker-0", "gpu-worker-1");
        for (Map<String, Object> t : running) {
            int device = Integer.parseInt(((String) t.get("name")).substring("gpu-worker-".length()));
            int node = NODE_OF_DEVICE[device];
            assertThat(t).as("%s", attach).containsEntry("rule", "gpu-workers").containsEntry("device", (long) device)
                    .containsEntry("node", (long) node).containsEntry("cpus", TOPOLOGY.cpusOf(node))
                    .containsEntry("outcome", "cpus-only").containsEntry("memory_policy", "not set");
            assertThat((String) t.get("detail")).contains("only a thread set its own");
            assertThat(cpusAfterAttach.get(t.get("name"))).as("the kernel, read from outside, for %s", t.get("name"))
                    .isEqualTo(TOPOLOGY.cpusOf(node));
        }

        assertThat(again.status()).as("second attach%s", again).isZero();
        assertThat(again.json()).as("%s", again).containsEntry("loaded", false).containsEntry("already_running", true)
                .containsEntry("running_threads", List.of());
        assertThat(run.stderr().lines().filter(l -> l.startsWith("numa-agent: attached:")))
                .as("the agent started once%s", run).hasSize(1);
        assertThat(run.stderr()).as("a second load is refused by the agent%s", run)
                .contains("numa-agent: already running in this JVM: nothing more to do");
        if (jdk.feature() >= 21) {
            assertThat(run.stderr().lines().filter(l -> l.startsWith("WARNING: A Java agent has been loaded dynamically")))
                    .as("the JDK's warning, once per load: the command line's attach and the direct load;"
                            + " the command line's second attach loaded nothing%s", run)
                    .hasSize(2);
            assertThat(attach.err()).as("the CLI explains the JDK's warning%s", attach)
                    .contains("-XX:+EnableDynamicAgentLoading");
        }

        assertThat(run.exitCode()).as("%s", run).isZero();
        for (int device = 0; device < 2; device++) {
            ThreadReport seen = run.reports().named("gpu-worker-" + device);
            assertThat(seen.cpus()).as("gpu-worker-%d at its first line, before the attach%s", device, run)
                    .isEqualTo(Host.allowedCpuList());
        }
        for (int device = 2; device < 4; device++) {
            int node = NODE_OF_DEVICE[device];
            ThreadReport late = run.reports().named("gpu-worker-" + device);
            assertThat(late.cpus()).as("gpu-worker-%d started after the attach, at its first line%s", device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(node));
            assertThat(late.policy()).as("its memory policy%s", run).isEqualTo(ExpectedPolicy.bound(jdk, "preferred", node));
            ThreadReport helper = run.reports().named("gpu-worker-" + device + "-helper");
            assertThat(helper.cpus()).as("its helper is reset (children: reset)%s", run).isEqualTo(Host.allowedCpuList());
        }
        ThreadReport helperOfRunning = run.reports().named("gpu-worker-0-helper");
        assertThat(helperOfRunning.cpus()).as("started before the attach: untouched%s", run).isEqualTo(Host.allowedCpuList());
    }

    @Test
    void a_process_that_is_not_a_jvm_is_refused_and_left_alone() throws Exception {
        Path dir = Artifacts.newRunDir("attach-sleep");
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            AgentCli.Result r = AgentCli.run(Jdk.current(), dir, "attach", Long.toString(sleep.pid()));
            assertThat(r.status()).as("%s", r).isEqualTo(1);
            assertThat(r.err()).contains("is not a Java VM");
            Thread.sleep(200);
            assertThat(sleep.isAlive()).as("no SIGQUIT was sent to it").isTrue();
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void an_invalid_config_is_refused_before_the_jvm_is_touched() throws Exception {
        Path dir = Artifacts.newRunDir("attach-bad-config");
        Path config = Files.writeString(dir.resolve("bad.yaml"), "rules:\n  - name: x\n    thread: 'a'\n    device: 0\n    node: 1\n");
        AgentCli.Result r = AgentCli.run(Jdk.current(), dir, "attach", Long.toString(ProcessHandle.current().pid()),
                config.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).as("%s", r).contains(config + ":").contains("nothing was loaded into");
    }
}
