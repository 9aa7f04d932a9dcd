package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.ThreadReport;

/**
 * Virtual threads (JDK 21+). A virtual thread is never bound, even when a rule names it: binding
 * it would bind whichever carrier it runs on. And the carriers themselves, created lazily by the
 * first thread that starts a virtual thread, must not inherit that thread's binding when it is a
 * bound worker ({@code children: reset}); the same holds for the VirtualThread-unblocker.
 * A virtual thread reports the CPUs of the carrier it runs on.
 */
class VirtualThreadTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void virtual_threads_a_rule_names_are_never_bound(Jdk jdk) {
        assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21");
        // the pool rule shows the agent is at work in this very run
        String config = """
                devices:
                  source: static
                  nodes: [0, 0, 1, 1]
                rules:
                  - name: gpu-workers
                    thread: 'gpu-worker-(\\d+)'
                    device: "$1"
                  - name: pool
                    thread: 'pool-\\d+-thread-\\d+'
                    node: 1
                """;
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("virtual-workers-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(config).app("--virtual-workers", "--devices=4", "--pool=1", "--tasks", "--json").run();
        assertThat(run.reports().pool()).as("pool (platform threads a rule names)%s", run)
                .allSatisfy(p -> assertThat(p.cpus()).isEqualTo(TOPOLOGY.cpusOf(1)));
        assertThat(run.reports().workers()).as("virtual workers, as their carriers show%s", run).hasSize(4)
                .allSatisfy(w -> assertThat(w.cpus()).as(w.name()).isEqualTo(Host.allowedCpuList()));
        assertThat(carriers(run)).as("carriers%s", run).isNotEmpty()
                .allSatisfy(c -> assertThat(c.cpus()).as(c.name()).isEqualTo(Host.allowedCpuList()));
        assertThat(run.agentLines()).as("agent lines%s", run)
                .noneMatch(l -> l.startsWith("numa-agent: thread 'gpu-worker-") && l.contains(" bound to "));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void carriers_a_bound_worker_creates_stay_whole(Jdk jdk) {
        assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21");
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("virtual-helpers-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(BoundConfig.YAML)
                .app("--virtual-helpers", "--devices=4", "--pool=1", "--tasks", "--json").run();
        for (int device = 0; device < BoundConfig.NODE_OF_DEVICE.length; device++) {
            assertThat(run.reports().named("gpu-worker-" + device).cpus()).as("gpu-worker-%d%s", device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(BoundConfig.NODE_OF_DEVICE[device]));
        }
        assertThat(run.reports().helpers()).as("virtual helpers, as their carriers show%s", run).hasSize(4)
                .allSatisfy(h -> assertThat(h.cpus()).as(h.name()).isEqualTo(Host.allowedCpuList()));
        assertThat(carriers(run)).as("carriers and unblocker%s", run).isNotEmpty()
                .allSatisfy(c -> assertThat(c.cpus()).as(c.name()).isEqualTo(Host.allowedCpuList()));
    }

    /** Carrier threads (ForkJoinPool-1-worker-N) and the unblocker, by their 15-character kernel names. */
    private static List<ThreadReport> carriers(RunResult run) {
        return run.reports().tasks().stream()
                .filter(t -> t.name().startsWith("ForkJoinPool-") || t.name().startsWith("VirtualThread-"))
                .toList();
    }
}
