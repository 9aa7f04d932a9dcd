package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;

/**
 * Which calls a {@code method} rule names: overloads (all of them, or the one a parameter list
 * picks), implementations of a named interface, overrides of a named class's method and the
 * method a subclass inherits from it, and classes loaded before the agent started (instrumented
 * by retransformation) as well as after. Each row is the calling thread inside the call.
 */
class MethodMatchingTest {
    private static final int[] NODE_OF_DEVICE = BoundConfig.NODE_OF_DEVICE;
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String DEVICES = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            """;

    private static final OncePerJdk HIERARCHY = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("method-hierarchy-jdk" + jdk.feature()))
            // loaded (and initialised) by another agent before numa-agent's premain
            .jvmOption("-javaagent:" + Artifacts.testappJar() + "=numa.testapp.EarlyServer")
            .sysfs(TOPOLOGY).config(DEVICES + """
                    rules:
                      - name: factories
                        method: numa.testapp.ServerFactory#newServer
                        device: arg0.index
                        bind: call
                      - name: launchers
                        method: numa.testapp.BaseLauncher#launch
                        device: arg0.index
                        bind: call
                      - name: early
                        method: numa.testapp.EarlyServer#create
                        device: arg0.index
                        bind: call
                    """).agentArg("log-level", "debug")
            .app("--methods=interface,inherited,early", "--json").run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static void assertInCallOnItsNode(RunResult run, String thread) {
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertThat(run.reports().row(thread + d, "in-call").cpus()).as("%s%d in the call (device %d)%s", thread, d, d, run)
                    .isEqualTo(TOPOLOGY.cpusOf(NODE_OF_DEVICE[d]));
        }
    }

    private static void assertInCallUnbound(RunResult run, String thread) {
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            assertThat(run.reports().row(thread + d, "in-call").cpus()).as("%s%d in the call%s", thread, d, run)
                    .isEqualTo(Host.allowedCpuList());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void an_implementation_of_a_named_interface_is_bound(Jdk jdk) {
        RunResult run = HIERARCHY.get(jdk);
        assertInCallOnItsNode(run, "factory-");
        assertThat(run.agentLines()).as("%s", run).anyMatch(l -> l.contains("(bind: call, in numa.testapp.Assembler.newServer(Device))"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void an_override_and_an_inherited_method_of_a_named_class_are_bound(Jdk jdk) {
        RunResult run = HIERARCHY.get(jdk);
        assertInCallOnItsNode(run, "gpu-launcher-");   // GpuLauncher.launch overrides BaseLauncher.launch
        assertInCallOnItsNode(run, "plain-launcher-"); // PlainLauncher runs BaseLauncher.launch
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_class_loaded_before_the_agent_is_instrumented_by_retransformation(Jdk jdk) {
        RunResult run = HIERARCHY.get(jdk);
        assertThat(run.agentLines()).as("the agent found it loaded%s", run)
                .anyMatch(l -> l.contains("1 already loaded class(es) a method rule names were instrumented"));
        assertInCallOnItsNode(run, "early-");
    }

    @Test
    void without_a_parameter_list_every_overload_is_bound() {
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("method-overloads-all"))
                .sysfs(TOPOLOGY).config(DEVICES + """
                        rules:
                          - name: every-overload
                            method: numa.testapp.WorkerServer#createServer
                            device: arg0
                            bind: call
                        """).app("--methods=overloads", "--json").run();
        assertInCallOnItsNode(run, "server-int-");
        assertInCallOnItsNode(run, "server-str-"); // createServer(String): "2" is device 2
    }

    @Test
    void a_parameter_list_binds_that_overload_only() {
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("method-overloads-int"))
                .sysfs(TOPOLOGY).config(DEVICES + """
                        rules:
                          - name: int-overload
                            method: numa.testapp.WorkerServer#createServer(int)
                            device: arg0
                            bind: call
                        """).app("--methods=overloads,server", "--json").run();
        assertInCallOnItsNode(run, "server-int-");
        assertInCallUnbound(run, "server-str-");
        assertInCallUnbound(run, "server-");
        assertThat(run.agentWarnings()).as("nothing evaluated on other overloads%s", run)
                .noneMatch(w -> w.contains("cannot be evaluated"));
    }

    /** A thread rule that names a thread wins over the children call it is started in. */
    @Test
    void a_thread_rule_beats_the_children_call_a_thread_is_started_in() {
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("method-children-vs-thread-rule"))
                .sysfs(TOPOLOGY).config(DEVICES + """
                        rules:
                          - name: inner-threads
                            thread: 'server-0-inner'
                            node: 1
                          - name: servers
                            method: numa.testapp.WorkerServer#createServer(numa.testapp.Device)
                            device: arg0.index
                            bind: children
                        """).app("--methods=server", "--devices=2", "--json").run();
        assertThat(run.reports().row("server-0-inner", "start").cpus()).as("named by the thread rule%s", run)
                .isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(run.reports().row("server-1-inner", "start").cpus()).as("the children call's (device 1, node 0)%s", run)
                .isEqualTo(TOPOLOGY.cpusOf(0));
    }
}
