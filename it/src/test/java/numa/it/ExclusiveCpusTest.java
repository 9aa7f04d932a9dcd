package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code cpus: exclusive}: the node's usable CPUs split into disjoint sets, one per device on the
 * node. One fake node owns two real CPUs and two devices live on it, so each worker must get one
 * CPU, and not the same one.
 */
class ExclusiveCpusTest {
    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void devices_on_one_node_get_disjoint_cpus(Jdk jdk) {
        FakeTopology topology = FakeTopology.oneNodeWithTwoCpus();
        String config = """
                devices:
                  source: static
                  nodes: [0, 0]
                binding:
                  cpus: exclusive
                rules:
                  - name: gpu-workers
                    thread: 'gpu-worker-(\\d+)'
                    device: "$1"
                """;
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("exclusive-jdk" + jdk.feature()))
                .sysfs(topology).config(config).app("--devices=2", "--pool=1", "--json").run();
        ThreadReport w0 = run.reports().named("gpu-worker-0");
        ThreadReport w1 = run.reports().named("gpu-worker-1");
        List<Integer> nodeCpus = Host.allowedCpus().subList(0, 2);
        assertThat(List.of(w0.cpus(), w1.cpus())).as("the two workers' CPUs%s", run)
                .containsExactlyInAnyOrder(nodeCpus.get(0).toString(), nodeCpus.get(1).toString());
        assertThat(run.reports().pool()).as("pool%s", run)
                .allSatisfy(p -> assertThat(p.cpus()).isEqualTo(Host.allowedCpuList()));
    }
}
