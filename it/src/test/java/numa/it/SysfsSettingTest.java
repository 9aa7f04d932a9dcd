package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * The sysfs root from the config file ({@code topology.sysfs}), and the lower end of the SPEC's
 * precedence: the agent argument beats the config file. (DryRunTest covers the upper end.) A
 * wrong root would leave gpu-worker-2 unbound, so its CPUs tell which root was used.
 */
class SysfsSettingTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    @Test
    void config_file_topology_sysfs_is_used() {
        RunResult run = launch("sysfs-from-config", true, false);
        assertThat(run.reports().named("gpu-worker-2").cpus()).as("gpu-worker-2%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }

    @Test
    void agent_argument_beats_config_file() {
        RunResult run = launch("sysfs-argument-beats-config", false, true);
        assertThat(run.reports().named("gpu-worker-2").cpus()).as("gpu-worker-2%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }

    /**
     * @param fakeInConfig     the config file names the fake tree (else a folder that does not exist)
     * @param fakeInArgument   the agent argument names the fake tree (else it has no sysfs key)
     */
    private static RunResult launch(String label, boolean fakeInConfig, boolean fakeInArgument) {
        var dir = Artifacts.newRunDir(label);
        String fake = TOPOLOGY.writeTo(dir.resolve("sys")).toString();
        String config = """
                topology:
                  sysfs: "%s"
                """.formatted(fakeInConfig ? fake : dir.resolve("no-such-sysfs")) + BoundConfig.YAML;
        JvmRun jvm = JvmRun.on(Jdk.current(), dir).config(config).app("--devices=4", "--pool=1", "--json");
        if (fakeInArgument) {
            jvm.agentArg("sysfs", fake);
        }
        return jvm.run();
    }
}
