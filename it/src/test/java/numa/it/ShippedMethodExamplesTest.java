package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * The method and process examples under config/examples do what their comments say, run as they
 * say against the demo engine (with its devices put on the fake topology: the examples leave
 * discovery to {@code source: auto}, which finds no GPU here).
 */
class ShippedMethodExamplesTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final int[] NODE_OF_DEVICE = BoundConfig.NODE_OF_DEVICE;
    private static final String DEVICES = "devices:\n  source: static\n  nodes: [0, 0, 1, 1]\n";

    private static String example(String name) {
        try {
            return DEVICES + Files.readString(Path.of("..", "config", "examples", name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static RunResult run(String example, String... app) {
        return JvmRun.on(Jdk.current(), Artifacts.newRunDir("example-" + example)).sysfs(TOPOLOGY)
                .config(example(example)).app(app).run();
    }

    private static void assertOnItsNode(RunResult run, String name, String phase, int device) {
        assertThat(run.reports().row(name, phase).cpus()).as("%s %s (device %d)%s", name, phase, device, run)
                .isEqualTo(TOPOLOGY.cpusOf(NODE_OF_DEVICE[device]));
    }

    @Test
    void method_caller_binds_each_server_thread_for_good() {
        RunResult run = run("method-caller.yaml", "--methods=server", "--json");
        for (int d = 0; d < 4; d++) {
            assertOnItsNode(run, "server-" + d, "after-call", d);
            assertThat(run.reports().row("server-" + d + "-helper", "start").cpus()).isEqualTo(Host.allowedCpuList());
        }
    }

    @Test
    void method_call_binds_for_the_call_only() {
        RunResult run = run("method-call.yaml", "--methods=overloads,throwing", "--json");
        for (int d = 0; d < 4; d++) {
            assertOnItsNode(run, "server-int-" + d, "in-call", d);
            assertOnItsNode(run, "failing-" + d, "in-call", d);
            assertThat(run.reports().row("failing-" + d, "after-throw").cpus()).as("%s", run).isEqualTo(Host.allowedCpuList());
        }
    }

    @Test
    void method_children_binds_the_pool_made_in_the_call() {
        RunResult run = run("method-children.yaml", "--methods=pool", "--json");
        for (int d = 0; d < 4; d++) {
            assertOnItsNode(run, "pool-" + d + "-worker-1", "start", d);
            assertThat(run.reports().row("pool-owner-" + d, "in-call").cpus()).as("%s", run).isEqualTo(Host.allowedCpuList());
        }
    }

    @Test
    void method_hierarchy_binds_implementations_and_subclasses() {
        RunResult run = run("method-hierarchy.yaml", "--methods=interface,inherited", "--json");
        for (int d = 0; d < 4; d++) {
            assertOnItsNode(run, "factory-" + d, "in-call", d);
            assertOnItsNode(run, "gpu-launcher-" + d, "in-call", d);
            assertOnItsNode(run, "plain-launcher-" + d, "in-call", d);
        }
    }

    @Test
    void spawned_workers_binds_each_worker_process_to_its_devices_node() {
        JvmRun jvm = JvmRun.on(Jdk.current(), Artifacts.newRunDir("example-spawned-workers.yaml")).sysfs(TOPOLOGY)
                .config(example("spawned-workers.yaml"));
        RunResult run = jvm.app("--spawn-workers=4", "--child-jvm-arg=" + jvm.agentOption(), "--json").run();
        assertThat(run.reports().main("before").cpus()).as("the parent, on node 0%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        for (int d = 0; d < 4; d++) {
            assertOnItsNode(run, "spawn-worker-" + d, "start", d);
        }
    }
}
