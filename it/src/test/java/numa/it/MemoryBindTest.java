package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.ThreadReport;

/**
 * {@code memory: bind} gives a bound worker {@code MPOL_BIND} on its node, as get_mempolicy(2)
 * inside the worker reports it (JDK 22+ only: the engine asks through FFM). The CPU binding is the
 * same as with {@code preferred}.
 */
class MemoryBindTest {
    private static final int[] NODE_OF_DEVICE = {0, 0, 1, 1};
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            binding:
              cpus: node
              memory: bind
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
    void workers_get_mpol_bind_on_their_node(Jdk jdk) {
        assumeTrue(jdk.canReportMemPolicy(), "the engine can read its memory policy on JDK 22+ only");
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("memory-bind-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(CONFIG).app("--devices=4", "--pool=1", "--json").run();
        for (int device = 0; device < NODE_OF_DEVICE.length; device++) {
            int node = NODE_OF_DEVICE[device];
            ThreadReport worker = run.reports().named("gpu-worker-" + device);
            assertThat(worker.cpus()).as("gpu-worker-%d cpus%s", device, run).isEqualTo(TOPOLOGY.cpusOf(node));
            assertThat(worker.policy()).as("gpu-worker-%d memory policy%s", device, run)
                    .isEqualTo(ExpectedPolicy.bound(jdk, "bind", node));
        }
    }
}
