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
 * A kernel without NUMA (no {@code devices/system/node} in sysfs): where NUMA cannot be used the
 * SPEC wants one line that says why, and no change. The same config binds on a NUMA tree (ThreadRuleBindingTest).
 */
class NonNumaHostTest {
    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void application_runs_unbound_and_the_agent_says_one_line(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("non-numa-jdk" + jdk.feature()))
                .sysfs(FakeTopology.onThisMachine().withoutNumaNodes()).config(BoundConfig.YAML)
                .app("--devices=4", "--pool=2", "--json").run();
        assertThat(run.reports().all()).as("every thread%s", run).allSatisfy(t -> {
            assertThat(t.cpus()).as(t.name()).isEqualTo(Host.allowedCpuList());
            assertThat(t.policy()).as(t.name()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
        assertThat(run.linesNotFromApp()).as("stderr%s", run).singleElement()
                .satisfies(l -> assertThat(l).startsWith("numa-agent:").containsIgnoringCase("NUMA")
                        .doesNotContain("could not start"));
    }
}
