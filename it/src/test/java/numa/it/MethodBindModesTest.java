package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.Reports;
import numa.it.harness.RunResult;
import numa.it.harness.ThreadReport;

/**
 * The three {@code bind} modes of a {@code method} rule, on the engine's
 * {@code WorkerServer.createServer(Device)} (which starts one thread during the call), a
 * {@code createFailingServer(Device)} that throws, and a {@code WorkerPool.start(Device)} that makes
 * its pool threads during the call. Each device's thread calls them; {@code device: arg0.index}.
 */
class MethodBindModesTest {
    private static final int[] NODE_OF_DEVICE = BoundConfig.NODE_OF_DEVICE;
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    private static String config(String mode) {
        return """
                devices:
                  source: static
                  nodes: [0, 0, 1, 1]
                binding:
                  memory: preferred
                rules:
                  - name: worker-server
                    method: numa.testapp.WorkerServer#createServer(numa.testapp.Device)
                    device: arg0.index
                    bind: %1$s
                  - name: failing-server
                    method: numa.testapp.WorkerServer#createFailingServer
                    device: arg0.index
                    bind: %1$s
                  - name: worker-pool
                    method: numa.testapp.WorkerPool#start
                    device: arg0.index
                    bind: %1$s
                """.formatted(mode);
    }

    private static OncePerJdk runs(String mode) {
        return new OncePerJdk(jdk -> JvmRun.on(jdk, Artifacts.newRunDir("method-" + mode + "-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(config(mode)).app("--methods=server,throwing,pool", "--json").run());
    }

    private static final OncePerJdk CALLER = runs("caller");
    private static final OncePerJdk CALL = runs("call");
    private static final OncePerJdk CHILDREN = runs("children");

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static void assertBound(RunResult run, Jdk jdk, String name, String phase, int device) {
        ThreadReport row = run.reports().row(name, phase);
        int node = NODE_OF_DEVICE[device];
        assertThat(row.cpus()).as("%s %s: device %d, node %d%s", name, phase, device, node, run)
                .isEqualTo(TOPOLOGY.cpusOf(node));
        assertThat(row.policy()).as("%s %s memory policy%s", name, phase, run)
                .isEqualTo(ExpectedPolicy.bound(jdk, "preferred", node));
    }

    private static void assertUnbound(RunResult run, Jdk jdk, String name, String phase) {
        ThreadReport row = run.reports().row(name, phase);
        assertThat(row.cpus()).as("%s %s: the process's original CPUs%s", name, phase, run).isEqualTo(Host.allowedCpuList());
        assertThat(row.policy()).as("%s %s memory policy%s", name, phase, run).isEqualTo(ExpectedPolicy.unbound(jdk));
    }

    // ---- bind: caller

    @ParameterizedTest
    @MethodSource("jdks")
    void caller_binds_the_calling_thread_for_good(Jdk jdk) {
        RunResult run = CALLER.get(jdk);
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertBound(run, jdk, "server-" + d, "in-call", d);
            assertBound(run, jdk, "server-" + d, "after-call", d);
            assertBound(run, jdk, "failing-" + d, "after-throw", d);
            assertBound(run, jdk, "pool-owner-" + d, "after-call", d);
        }
    }

    /** children: reset (the default): what the bound worker starts later, or during the call, gets the original set. */
    @ParameterizedTest
    @MethodSource("jdks")
    void caller_threads_its_worker_starts_are_reset(Jdk jdk) {
        RunResult run = CALLER.get(jdk);
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertUnbound(run, jdk, "server-" + d + "-inner", "start");
            assertUnbound(run, jdk, "server-" + d + "-helper", "start");
            assertUnbound(run, jdk, "pool-" + d + "-worker-1", "start");
        }
    }

    /** SPEC log form, with how and where it was bound. */
    @ParameterizedTest
    @MethodSource("jdks")
    void caller_binding_is_logged_with_rule_device_and_method(Jdk jdk) {
        RunResult run = CALLER.get(jdk);
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l).startsWith(
                "numa-agent: thread 'server-0' (rule worker-server, device 0) bound to node 0 cpus=" + TOPOLOGY.cpusOf(0)
                        + " memory=").endsWith("(bind: caller, in numa.testapp.WorkerServer.createServer(Device))"));
    }

    // ---- bind: call

    @ParameterizedTest
    @MethodSource("jdks")
    void call_binds_for_the_call_and_restores_on_return(Jdk jdk) {
        RunResult run = CALL.get(jdk);
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertBound(run, jdk, "server-" + d, "in-call", d);
            assertUnbound(run, jdk, "server-" + d, "after-call");
            assertBound(run, jdk, "pool-owner-" + d, "in-call", d);
            assertUnbound(run, jdk, "pool-owner-" + d, "after-call");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void call_restores_the_caller_when_the_method_throws(Jdk jdk) {
        RunResult run = CALL.get(jdk);
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertBound(run, jdk, "failing-" + d, "in-call", d);
            assertUnbound(run, jdk, "failing-" + d, "after-throw");
        }
    }

    /** Threads the bound caller starts during the call match no rule: reset, not the call's node. */
    @ParameterizedTest
    @MethodSource("jdks")
    void call_threads_started_during_the_call_are_reset(Jdk jdk) {
        RunResult run = CALL.get(jdk);
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertUnbound(run, jdk, "server-" + d + "-inner", "start");
            assertUnbound(run, jdk, "pool-" + d + "-worker-1", "start");
            assertUnbound(run, jdk, "pool-" + d + "-worker-2", "start");
        }
    }

    // ---- bind: children

    @ParameterizedTest
    @MethodSource("jdks")
    void children_leaves_the_caller_alone(Jdk jdk) {
        RunResult run = CHILDREN.get(jdk);
        assertThat(run.reports().row("pool-0-worker-1", "start").cpus()).as("precondition: the rule bound%s", run)
                .isEqualTo(TOPOLOGY.cpusOf(0));
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertUnbound(run, jdk, "server-" + d, "in-call");
            assertUnbound(run, jdk, "server-" + d, "after-call");
            assertUnbound(run, jdk, "pool-owner-" + d, "in-call");
            assertUnbound(run, jdk, "failing-" + d, "after-throw");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void children_binds_every_thread_started_during_the_call(Jdk jdk) {
        RunResult run = CHILDREN.get(jdk);
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertBound(run, jdk, "server-" + d + "-inner", "start", d);
            assertBound(run, jdk, "pool-" + d + "-worker-1", "start", d);
            assertBound(run, jdk, "pool-" + d + "-worker-2", "start", d);
        }
    }

    /** Threads the same caller starts after the call returns are not the call's children. */
    @ParameterizedTest
    @MethodSource("jdks")
    void children_threads_started_after_the_call_are_not_bound(Jdk jdk) {
        RunResult run = CHILDREN.get(jdk);
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertUnbound(run, jdk, "server-" + d + "-helper", "start");
            assertUnbound(run, jdk, "pool-" + d + "-worker-3", "start");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void children_bindings_are_logged_with_the_method_that_started_them(Jdk jdk) {
        RunResult run = CHILDREN.get(jdk);
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l).startsWith(
                "numa-agent: thread 'pool-3-worker-1' (rule worker-pool, device 3) bound to node 1 cpus=" + TOPOLOGY.cpusOf(1)
                        + " memory=").endsWith("(bind: children, started by 'pool-owner-3' in numa.testapp.WorkerPool.start(Device))"));
    }

    /** The main thread, which only starts the shape threads, is never touched in any mode. */
    @ParameterizedTest
    @MethodSource("jdks")
    void main_is_left_as_it_was_in_every_mode(Jdk jdk) {
        for (OncePerJdk runs : List.of(CALLER, CALL, CHILDREN)) {
            RunResult run = runs.get(jdk);
            Reports reports = run.reports();
            assertThat(reports.main("before").cpus()).as("main before%s", run).isEqualTo(Host.allowedCpuList());
            assertThat(reports.main("after").cpus()).as("main after%s", run).isEqualTo(Host.allowedCpuList());
            assertThat(run.agentWarnings()).as("warnings%s", run).allSatisfy(w -> assertThat(w).contains("memory policy"));
        }
    }

    /** Where the kernel has memory on the node (a real multi-node machine), the policy follows the call too. */
    @ParameterizedTest
    @MethodSource("jdks")
    void call_restores_the_memory_policy(Jdk jdk) {
        assumeTrue(jdk.canReportMemPolicy(), "the engine reads its memory policy on JDK 22+ only");
        RunResult run = CALL.get(jdk);
        assertThat(run.reports().row("server-0", "in-call").policy()).as("in the call%s", run)
                .isEqualTo(ExpectedPolicy.bound(jdk, "preferred", 0));
        assertThat(run.reports().row("server-0", "after-call").policy()).as("after the call%s", run).isEqualTo("default");
    }
}
