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

    @Test
    void under_fail_the_jvm_stops_before_main_with_status_78() {
        RunResult run = launch("fail");
        assertThat(run.exitCode()).as("exit status%s", run).isEqualTo(78);
        assertThat(run.stdout()).as("the application must not have run%s", run).isEmpty();
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .contains("rule missing-device").contains("device 7 does not exist").contains("exit status 78"));
    }
}
