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

/**
 * A config with a mistake: the message names file, line and column and what was expected. With
 * {@code on-error: warn} the application runs, and runs unbound (a config with an error is not
 * applied in part); with {@code on-error: fail} the JVM stops at start with exit status 78, before
 * the application's main.
 */
class ConfigErrorTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    /** The typo {@code cpu} is on line 5, column 3. */
    private static final String CONFIG_WITH_TYPO = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            binding:
              cpu: node
              on-error: %s
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;
    private static final String MESSAGE = "numa.yaml:5:3: unknown key 'cpu' in binding";

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void on_error_warn_runs_the_application_unbound_and_names_the_position(Jdk jdk) {
        RunResult run = launch(jdk, "warn");
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.reports().all()).as("every thread%s", run)
                .allSatisfy(t -> assertThat(t.cpus()).as(t.name()).isEqualTo(Host.allowedCpuList()));
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .startsWith("numa-agent: ").contains(MESSAGE).contains("cpus"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void on_error_fail_stops_the_jvm_with_status_78_before_main(Jdk jdk) {
        RunResult run = launch(jdk, "fail");
        assertThat(run.exitCode()).as("exit status%s", run).isEqualTo(78);
        assertThat(run.stdout()).as("the application must not have run%s", run).isEmpty();
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .startsWith("numa-agent: ").contains(MESSAGE));
    }

    private static RunResult launch(Jdk jdk, String onError) {
        return JvmRun.on(jdk, Artifacts.newRunDir("config-error-" + onError + "-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(CONFIG_WITH_TYPO.formatted(onError))
                .app("--devices=4", "--pool=1", "--json").run();
    }
}
