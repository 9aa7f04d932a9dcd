package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * {@code log-level=warn} keeps the application's stderr to what needs attention: no start-up
 * report, no line per binding, and the binding still done. (The level is the agent's own logic:
 * one JDK is enough.)
 */
class LogLevelTest {
    @Test
    void warn_level_hides_info_lines_but_binds() {
        FakeTopology topology = FakeTopology.onThisMachine();
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("log-level-warn"))
                .sysfs(topology).config(BoundConfig.YAML).agentArg("log-level", "warn")
                .app("--devices=4", "--pool=1", "--json").run();
        assertThat(run.reports().named("gpu-worker-2").cpus()).as("gpu-worker-2%s", run).isEqualTo(topology.cpusOf(1));
        assertThat(run.agentLines()).as("agent lines at warn%s", run)
                .allMatch(l -> l.startsWith("numa-agent: warning:") || l.startsWith("numa-agent: error:"));
    }
}
