package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.ThreadReport;

/**
 * {@code children: inherit} keeps Linux's default: a thread a bound worker starts takes the
 * worker's binding (the opposite of the default {@code reset}, checked in ThreadRuleBindingTest).
 * Threads started by unbound threads stay as they were.
 */
class ChildrenInheritTest {
    private static final int[] NODE_OF_DEVICE = {0, 0, 1, 1};
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            binding:
              cpus: node
              memory: preferred
              children: inherit
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void helpers_take_their_workers_binding(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("children-inherit-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(CONFIG).app("--devices=4", "--pool=2", "--json").run();
        for (int device = 0; device < NODE_OF_DEVICE.length; device++) {
            int node = NODE_OF_DEVICE[device];
            ThreadReport worker = run.reports().named("gpu-worker-" + device);
            ThreadReport helper = run.reports().named("gpu-worker-" + device + "-helper");
            assertThat(worker.cpus()).as("gpu-worker-%d cpus%s", device, run).isEqualTo(TOPOLOGY.cpusOf(node));
            assertThat(helper.cpus()).as("gpu-worker-%d-helper cpus%s", device, run).isEqualTo(worker.cpus());
            assertThat(helper.policy()).as("gpu-worker-%d-helper memory policy%s", device, run)
                    .isEqualTo(ExpectedPolicy.bound(jdk, "preferred", node));
        }
        assertThat(run.reports().pool()).as("pool threads, started by main%s", run)
                .allSatisfy(pool -> assertThat(pool.cpus()).isEqualTo(Host.allowedCpuList()));
    }
}
