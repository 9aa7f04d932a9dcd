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

/**
 * {@code dry-run}: every binding decided and logged, none applied. And the SPEC's precedence for
 * keys: system property > environment > agent argument.
 */
class DryRunTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void dry_run_logs_each_would_be_binding_and_applies_none(Jdk jdk) {
        RunResult run = launch(jdk, "dry-run", null, null, "true");
        assertThat(run.reports().all()).as("every thread%s", run).allSatisfy(t -> {
            assertThat(t.cpus()).as(t.name()).isEqualTo(Host.allowedCpuList());
            assertThat(t.policy()).as(t.name()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
        for (int device = 0; device < BoundConfig.NODE_OF_DEVICE.length; device++) {
            int node = BoundConfig.NODE_OF_DEVICE[device];
            String prefix = "numa-agent: thread 'gpu-worker-" + device + "' (rule gpu-workers, device " + device + ") ";
            assertThat(run.agentLines()).as("dry-run line for gpu-worker-%d%s", device, run)
                    .filteredOn(l -> l.startsWith(prefix))
                    .singleElement().satisfies(l -> assertThat(l)
                            .contains("would").contains("node " + node + " cpus=" + TOPOLOGY.cpusOf(node)));
        }
        assertThat(run.agentLines()).as("no line claims a binding was made%s", run)
                .noneMatch(l -> l.contains(" bound to ") && !l.contains("would"));
    }

    /** One case of the precedence table: what is set where, and whether the run must be dry. */
    record Case(String label, String systemProperty, String environment, String agentArgument, boolean dry) {
        @Override
        public String toString() {
            return label;
        }
    }

    static List<Case> precedence() {
        return List.of(
                new Case("environment alone", null, "true", null, true),
                new Case("system property alone", "true", null, null, true),
                new Case("environment beats agent argument", null, "true", "false", true),
                new Case("system property beats environment", "false", "true", null, false),
                new Case("system property beats agent argument", "true", null, "false", true));
    }

    /** Precedence is the agent's own logic, the same on every JDK: the running one is enough. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void dry_run_key_follows_the_spec_precedence(Case c) {
        Jdk jdk = Jdk.current();
        RunResult run = launch(jdk, "precedence-" + c.label(), c.systemProperty(), c.environment(), c.agentArgument());
        String expected = c.dry() ? Host.allowedCpuList() : TOPOLOGY.cpusOf(1);
        assertThat(run.reports().named("gpu-worker-2").cpus())
                .as("gpu-worker-2 (node 1) %s%s", c.dry() ? "left alone (dry run)" : "bound", run)
                .isEqualTo(expected);
        // a dry run still decides: without its line, "left alone" could be an agent that did nothing
        assertThat(run.agentLines()).as("agent lines%s", run)
                .filteredOn(l -> l.startsWith("numa-agent: thread 'gpu-worker-2' (rule gpu-workers, device 2) "))
                .singleElement().satisfies(l -> assertThat(l).contains(c.dry() ? "would" : " bound to "));
    }

    private static RunResult launch(Jdk jdk, String label, String systemProperty, String environment,
                                    String agentArgument) {
        JvmRun launch = JvmRun.on(jdk, Artifacts.newRunDir(label + "-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(BoundConfig.YAML).app("--devices=4", "--pool=1", "--json");
        if (systemProperty != null) {
            launch.jvmOption("-Dnuma.agent.dry-run=" + systemProperty);
        }
        if (environment != null) {
            launch.env("NUMA_AGENT_DRY_RUN", environment);
        }
        if (agentArgument != null) {
            launch.agentArg("dry-run", agentArgument);
        }
        return launch.run();
    }
}
