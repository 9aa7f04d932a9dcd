package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.ProcTasks;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;
import numa.it.harness.ThreadReport;

/**
 * A {@code process:} section binds the whole JVM at start: every thread it already has (GC, JIT,
 * the main thread) and every thread it starts later, read by the engine from /proc/self/task. Not
 * only the main thread, as {@code sched_setaffinity(getpid())} would do.
 */
class ProcessSectionTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    /** Checked from inside (the engine's reports) and from outside (this JVM reads /proc/PID/task). */
    @ParameterizedTest
    @MethodSource("jdks")
    void node_1_binds_every_thread_of_the_jvm_to_its_cpus(Jdk jdk) {
        RunningJvm jvm = configured(jdk, "node: 1").app("--hold-ms=300").start();
        jvm.awaitHolding();
        Map<String, String> seenFromOutside = ProcTasks.cpusByTask(jvm.pid());
        RunResult run = jvm.await();
        String cpus = TOPOLOGY.cpusOf(1);
        assertThat(seenFromOutside).as("/proc/%d/task read from outside%s", jvm.pid(), run).hasSizeGreaterThan(10)
                .allSatisfy((task, allowed) -> assertThat(allowed).as(task).isEqualTo(cpus));
        assertThat(run.reports().tasks()).as("every task of the JVM%s", run).hasSizeGreaterThan(10)
                .allSatisfy(task -> assertThat(task.cpus()).as("task %s (%d)", task.name(), task.tid()).isEqualTo(cpus));
        assertThat(run.reports().all()).as("every thread the engine reported%s", run)
                .allSatisfy(t -> assertThat(t.cpus()).as("%s %s", t.kind(), t.name()).isEqualTo(cpus));
    }

    /** Node 0 is real memory here, so the main thread's policy (which later threads inherit) is checkable. */
    @ParameterizedTest
    @MethodSource("jdks")
    void device_0_binds_cpus_and_memory_policy_of_the_jvm(Jdk jdk) {
        RunResult run = launch(jdk, "device: 0");
        String cpus = TOPOLOGY.cpusOf(0);
        String policy = ExpectedPolicy.bound(jdk, "preferred", 0);
        assertThat(run.reports().tasks()).as("every task of the JVM%s", run)
                .allSatisfy(task -> assertThat(task.cpus()).as("task %s (%d)", task.name(), task.tid()).isEqualTo(cpus));
        for (ThreadReport t : run.reports().all()) {
            if (!t.kind().equals("task")) {
                assertThat(t.cpus()).as("%s %s cpus%s", t.kind(), t.name(), run).isEqualTo(cpus);
                assertThat(t.policy()).as("%s %s memory policy%s", t.kind(), t.name(), run).isEqualTo(policy);
            }
        }
    }

    private static RunResult launch(Jdk jdk, String processTarget) {
        return configured(jdk, processTarget).run();
    }

    private static JvmRun configured(Jdk jdk, String processTarget) {
        String config = """
                devices:
                  source: static
                  nodes: [0, 0, 1, 1]
                binding:
                  memory: preferred
                process:
                  %s
                """.formatted(processTarget);
        return JvmRun.on(jdk, Artifacts.newRunDir("process-" + processTarget.replace(": ", "") + "-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(config).app("--devices=4", "--pool=2", "--tasks", "--json");
    }
}
