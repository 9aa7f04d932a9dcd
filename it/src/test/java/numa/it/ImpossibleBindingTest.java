package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * A rule that names a device this machine does not have: an impossible binding. Under
 * {@code on-error: warn} the thread runs as it is and one warning says why; under {@code fail} the
 * JVM stops at start with status 78, before main.
 */
class ImpossibleBindingTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            binding:
              on-error: %s
            rules:
              - name: missing-device
                thread: 'gpu-worker-0'
                device: 7
            """;

    private static RunResult launch(String onError) {
        Jdk jdk = Jdk.available().get(0);
        return JvmRun.on(jdk, Artifacts.newRunDir("impossible-" + onError))
                .sysfs(TOPOLOGY).config(CONFIG.formatted(onError))
                .app("--devices=2", "--pool=0", "--json").run();
    }

    @Test
    void under_warn_the_thread_runs_unbound_with_one_warning() {
        RunResult run = launch("warn");
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0%s", run).isEqualTo(Host.allowedCpuList());
        assertThat(run.agentWarnings()).as("warnings%s", run).singleElement().asString()
                .contains("rule missing-device").contains("device 7 does not exist (2 devices found)");
    }

    /** A rule whose device is the thread's ({@code $1}): every device found must be bindable. */
    private static final String PER_THREAD = """
            devices:
              source: static
              nodes: %s
            binding:
              cpus: %s
              on-error: fail
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    private static RunResult launchFailing(String label, JvmRun run) {
        RunResult result = run.app("--devices=2", "--pool=0", "--json").run();
        assertThat(result.exitCode()).as("%s: exit status%s", label, result).isEqualTo(78);
        assertThat(result.stdout()).as("%s: the application must not have run%s", label, result).isEmpty();
        return result;
    }

    @Test
    void under_fail_too_few_cores_for_exclusive_stop_the_jvm() {
        RunResult run = launchFailing("exclusive", JvmRun.on(Jdk.available().get(0), Artifacts.newRunDir("impossible-exclusive"))
                .sysfs(TOPOLOGY).config(PER_THREAD.formatted("[0, 0]", "exclusive")));
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .contains("rule gpu-workers").contains("fewer cores").contains("exit status 78"));
    }

    @Test
    void under_fail_a_static_device_on_a_node_that_does_not_exist_stops_the_jvm() {
        RunResult run = launchFailing("no node", JvmRun.on(Jdk.available().get(0), Artifacts.newRunDir("impossible-node"))
                .sysfs(TOPOLOGY).config(PER_THREAD.formatted("[0, 7]", "node")));
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .contains("rule gpu-workers").contains("device 1").contains("exit status 78"));
    }

    @Test
    void on_error_fail_given_to_the_agent_stops_the_jvm_when_the_config_file_is_missing() {
        RunResult run = launchFailing("missing file", JvmRun.on(Jdk.available().get(0), Artifacts.newRunDir("impossible-missing"))
                .sysfs(TOPOLOGY).agentArg("config", "/nonexistent/numa.yaml").agentArg("on-error", "fail"));
        assertThat(run.agentLines()).as("agent lines%s", run)
                .anySatisfy(l -> assertThat(l).contains("/nonexistent/numa.yaml").contains("no such file"))
                .anySatisfy(l -> assertThat(l).contains("exit status 78"));
    }

    @Test
    void every_config_error_is_printed_at_start_not_only_the_first() {
        RunResult run = JvmRun.on(Jdk.available().get(0), Artifacts.newRunDir("impossible-all-errors"))
                .sysfs(TOPOLOGY).config("binding:\n  cpu: node\n  memroy: bind\nrules: []\n")
                .app("--devices=1", "--pool=0", "--json").run();
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.agentLines()).as("both errors%s", run)
                .anySatisfy(l -> assertThat(l).contains(":2:3: unknown key 'cpu'"))
                .anySatisfy(l -> assertThat(l).contains(":3:3: unknown key 'memroy'"));
    }

    @Test
    void under_fail_the_jvm_stops_before_main_with_status_78() {
        RunResult run = launch("fail");
        assertThat(run.exitCode()).as("exit status%s", run).isEqualTo(78);
        assertThat(run.stdout()).as("the application must not have run%s", run).isEmpty();
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .contains("rule missing-device").contains("device 7 does not exist").contains("exit status 78"));
    }
}
