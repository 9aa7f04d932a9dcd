package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;

/**
 * A parent JVM bound to node 0 (its {@code process} section) spawns, through {@code Runtime.exec},
 * worker JVMs that run the agent with the same config: the worker of device 1 runs on exactly node
 * 1's CPUs (the parent's node-0 binding is replaced, not mixed in), and the worker's own agent
 * honours the binding its parent gave it (NUMA_AGENT_INHERITED_BINDING) instead of applying the
 * shared config's {@code process} section, which would put it back on node 0.
 */
class ProcessHandshakeTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            binding:
              memory: preferred
            process:
              node: 0
            rules:
              - name: spawned-workers
                process: '.*--spawn-worker --device=(\\d+)'
                device: $1
            """;

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> {
        JvmRun run = JvmRun.on(jdk, Artifacts.newRunDir("process-handshake-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(CONFIG);
        return run.app("--spawn-workers=2", "--spawn-with=exec", "--child-jvm-arg=" + run.agentOption(), "--json").run();
    });

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_parent_is_on_node_0_and_each_worker_on_exactly_its_own_node(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.reports().main("before").cpus()).as("the parent, bound by its process section%s", run)
                .isEqualTo(TOPOLOGY.cpusOf(0));
        for (int device = 0; device < 2; device++) {
            assertThat(run.reports().row("spawn-worker-" + device, "start").cpus()).as("worker of device %d%s", device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(device));
            assertThat(run.reports().row("spawn-worker-" + device + "-tasks", "start").cpus())
                    .as("every thread of the worker of device %d%s", device, run).isEqualTo(TOPOLOGY.cpusOf(device));
            assertThat(run.reports().row("spawn-worker-" + device, "start").policy()).as("worker %d memory policy%s", device, run)
                    .isEqualTo(ExpectedPolicy.bound(jdk, "preferred", device));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void each_workers_agent_honours_the_binding_its_parent_gave_it(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        for (int device = 0; device < 2; device++) {
            String expected = "numa-agent: this JVM was bound by its parent's agent: node " + device + " cpus="
                    + TOPOLOGY.cpusOf(device) + " memory=";
            int d = device;
            assertThat(run.agentLines()).as("worker %d's agent%s", device, run).anySatisfy(l -> assertThat(l)
                    .startsWith(expected).contains("(device " + d + ", rule spawned-workers, parent pid "));
        }
        assertThat(run.agentLines()).as("%s", run).filteredOn(l -> l.contains("the process section is not applied")).hasSize(2);
        assertThat(run.agentLines()).as("only the parent binds a whole process%s", run)
                .filteredOn(l -> l.contains("threads of this JVM bound to")).hasSize(1);
    }
}
