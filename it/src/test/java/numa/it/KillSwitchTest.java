package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * {@code enabled=false} turns the agent into a no-op, whichever way it is set (agent argument,
 * environment, system property), even with a config that would bind: no thread is touched and the
 * agent says at most one line (nothing else on stderr either: no JDK warning it caused).
 */
class KillSwitchTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    enum Switch { AGENT_ARGUMENT, ENVIRONMENT, SYSTEM_PROPERTY }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.available()) {
            for (Switch s : Switch.values()) {
                cases.add(Arguments.of(jdk, s));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void disabled_agent_binds_nothing_and_says_at_most_one_line(Jdk jdk, Switch how) {
        JvmRun launch = JvmRun.on(jdk, Artifacts.newRunDir("kill-switch-" + how + "-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(BoundConfig.YAML).app("--devices=4", "--pool=2", "--json");
        switch (how) {
            case AGENT_ARGUMENT -> launch.agentArg("enabled", "false");
            case ENVIRONMENT -> launch.env("NUMA_AGENT_ENABLED", "false");
            case SYSTEM_PROPERTY -> launch.jvmOption("-Dnuma.agent.enabled=false");
        }
        RunResult run = launch.run();
        assertThat(run.reports().all()).as("every thread%s", run).allSatisfy(t -> {
            assertThat(t.cpus()).as(t.name()).isEqualTo(Host.allowedCpuList());
            assertThat(t.policy()).as(t.name()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
        assertThat(run.linesNotFromApp()).as("stderr%s", run).hasSizeLessThanOrEqualTo(1)
                .allSatisfy(l -> assertThat(l).startsWith("numa-agent:")
                        // a switched-off agent is quiet by choice, not because it failed to start
                        .doesNotContain("could not start"));
    }
}
