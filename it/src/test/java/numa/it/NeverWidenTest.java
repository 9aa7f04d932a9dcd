package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
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
import numa.it.harness.ThreadReport;

/**
 * A thread is never given a CPU the process was not given: under {@code taskset -c <second CPU>}
 * (as a cpuset or an orchestrator would restrict it), every binding is the node's CPUs intersected
 * with that one CPU; a rule whose node has none of them leaves the thread as it was, with a warning;
 * and {@code children: reset} restores the JVM's own set, not every CPU of the machine.
 *
 * <p>taskset only sets an affinity, which the process could widen itself (sched_setaffinity with
 * more CPUs succeeds): so a widening agent would be seen here, in /proc, as "0-1".
 */
class NeverWidenTest {
    private static final Path TASKSET = Path.of("/usr/bin/taskset");
    private static String cpu0;
    private static String cpu1;

    @BeforeAll
    static void twoCpus() {
        assumeTrue(Files.isExecutable(TASKSET), "taskset(1) is not installed");
        List<Integer> cpus = Host.allowedCpus();
        cpu0 = String.valueOf(cpus.get(0));
        cpu1 = String.valueOf(cpus.get(1));
    }

    /** Node 0 = the first CPU, node 1 = the second; the JVM gets only the second. */
    @Test
    void a_rule_for_a_node_outside_the_process_leaves_the_thread_on_its_own_cpus() {
        FakeTopology topology = FakeTopology.onThisMachine();
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("never-widen-outside"))
                .wrappedIn(TASKSET.toString(), "-c", cpu1).sysfs(topology).config(BoundConfig.YAML)
                .app("--devices=4", "--pool=1", "--json").run();
        assertThat(run.reports().main("before").cpus()).as("precondition: the JVM runs on %s only%s", cpu1, run)
                .isEqualTo(cpu1);
        for (int device = 0; device < 4; device++) {
            // devices 0 and 1 are on node 0 (not allowed at all), 2 and 3 on node 1 (= the allowed CPU)
            assertThat(run.reports().named("gpu-worker-" + device).cpus()).as("gpu-worker-%d%s", device, run)
                    .isEqualTo(cpu1);
        }
        assertThat(run.reports().helpers()).as("helpers of bound workers, reset (children: reset)%s", run)
                .isNotEmpty().allSatisfy(h -> assertThat(h.cpus()).as(h.name()).isEqualTo(cpu1));
        assertThat(run.agentWarnings()).as("%s", run).anySatisfy(w -> assertThat(w)
                .contains("none of node 0's CPUs (" + cpu0 + ") are allowed to this process (allowed: " + cpu1));
    }

    /**
     * Node 1 claims CPUs 0-7 on a machine where the JVM was given one: the workers of node 1 get the
     * intersection, that one CPU, not the node's list.
     */
    @Test
    void a_node_wider_than_the_process_is_cut_to_the_process() {
        List<Integer> wide = new ArrayList<>(IntStream.rangeClosed(0, 7).boxed().toList());
        Host.allowedCpus().stream().filter(c -> !wide.contains(c)).forEach(wide::add);
        FakeTopology topology = FakeTopology.onThisMachine().withNodeCpus(1, wide);
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("never-widen-wide-node"))
                .wrappedIn(TASKSET.toString(), "-c", cpu1).sysfs(topology).config(BoundConfig.YAML)
                .app("--devices=4", "--pool=1", "--json").run();
        assertThat(run.reports().main("before").cpus()).as("precondition%s", run).isEqualTo(cpu1);
        for (int device = 2; device < 4; device++) {
            ThreadReport worker = run.reports().named("gpu-worker-" + device);
            assertThat(worker.cpus()).as("gpu-worker-%d (node 1: %s)%s", device, FakeTopology.cpuList(wide), run)
                    .isEqualTo(cpu1);
        }
        assertThat(run.agentLines()).as("%s", run).anySatisfy(l -> assertThat(l)
                .contains("thread 'gpu-worker-2'").contains("bound to node 1 cpus=" + cpu1));
    }

    /**
     * {@code attach PID} on a JVM started under {@code taskset -c <second CPU>}: the running workers
     * whose node is outside that set keep the CPU they had, those of the allowed node get it, and no
     * thread is given the first CPU.
     */
    @Test
    void attach_never_widens_running_threads() throws Exception {
        FakeTopology topology = FakeTopology.onThisMachine();
        Path dir = Artifacts.newRunDir("never-widen-attach");
        Path sys = topology.writeTo(dir.resolve("sys"));
        Path config = Files.writeString(dir.resolve("numa.yaml"), "topology:\n  sysfs: " + sys + "\n" + BoundConfig.YAML);
        Path control = Files.createDirectories(dir.resolve("control"));
        RunningJvm app = JvmRun.on(Jdk.current(), dir).withoutAgent().wrappedIn(TASKSET.toString(), "-c", cpu1)
                .app("--devices=4", "--pool=1", "--control-dir=" + control, "--hold-ms=90000", "--json").start();
        AgentCli.Result attach;
        Map<String, String> cpusAfterAttach;
        try {
            app.awaitHolding();
            attach = AgentCli.run(Jdk.current(), dir, "attach", Long.toString(app.pid()), config.toString(), "--json");
            cpusAfterAttach = ProcTasks.cpusByTask(app.pid());
        } finally {
            Files.write(control.resolve("release"), new byte[0]);
        }
        RunResult run = app.await();
        // exit 1: some running threads could not be bound, which is the point (their node is not allowed)
        assertThat(attach.status()).as("attach%s%s", attach, run).isEqualTo(1);
        assertThat(attach.out()).as("%s", attach).contains("\"name\": \"gpu-worker-0\"").contains("\"outcome\": \"failed\"");
        assertThat(cpusAfterAttach.keySet()).as("threads (name and tid)").anyMatch(t -> t.startsWith("gpu-worker-0 "))
                .anyMatch(t -> t.startsWith("gpu-worker-3 "));
        assertThat(cpusAfterAttach).as("every thread of the JVM after attach%s%s", attach, run)
                .allSatisfy((thread, cpus) -> assertThat(cpus).as(thread).isEqualTo(cpu1));
    }
}
