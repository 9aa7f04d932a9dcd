package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * A rule that matches nothing is said at info: once after the start-up window (the app holds past
 * it) and again at exit, with the nearest thread names the agent saw; a method rule whose class
 * never loads says so too. The classic mistake is the subject: {@code '\\d'} in single quotes is a
 * literal backslash followed by d, warned about at start as well.
 */
class QuietRulesTest {
    private static final String YAML = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\\\d+)'
                device: "$1"
              - name: servers
                method: com.acme.NeverLoaded#create
                device: 0
            """;

    @Test
    void rules_that_bind_nothing_are_named_after_the_window_and_at_exit() {
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("quiet-rules"))
                .sysfs(FakeTopology.onThisMachine()).config(YAML)
                .jvmOption("-Dnuma.agent.dryrun=true")
                .app("--devices=4", "--pool=1", "--hold-ms=6000").run();
        assertThat(run.exitCode()).as("exit%s", run).isZero();
        assertThat(run.agentWarnings()).as("escape warning%s", run).anyMatch(l -> l.contains(
                "thread in rule 'gpu-workers': the regex has \\\\d, a literal backslash followed by 'd'"));
        assertThat(run.agentWarnings()).as("unknown property%s", run).anyMatch(l -> l.contains(
                "system property numa.agent.dryrun is not a setting of the agent and is ignored (did you mean numa.agent.dry-run?"));
        assertThat(run.agentLines()).as("window line%s", run).anyMatch(l -> l.startsWith(
                "numa-agent: rule gpu-workers (") && l.contains("has bound nothing yet: no thread name matched its thread regex"
                + " 'gpu-worker-(\\\\d+)'; nearest thread names seen: 'gpu-worker-0', 'gpu-worker-1', 'gpu-worker-2'"));
        assertThat(run.agentLines()).as("window line, method rule%s", run).anyMatch(l -> l.startsWith(
                "numa-agent: rule servers (") && l.contains("has bound nothing yet: no class loaded yet has the method"
                + " com.acme.NeverLoaded#create"));
        assertThat(run.agentLines()).as("exit line%s", run).anyMatch(l -> l.startsWith(
                "numa-agent: at exit: rule gpu-workers (") && l.contains("bound nothing in this run: no thread name matched"));
        assertThat(run.agentLines()).as("exit line, method rule%s", run).anyMatch(l -> l.startsWith(
                "numa-agent: at exit: rule servers (") && l.contains("no class loaded has the method"));
    }

    @Test
    void a_rule_that_binds_is_not_named() {
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("quiet-rules-bound"))
                .sysfs(FakeTopology.onThisMachine()).config(BoundConfig.YAML)
                .app("--devices=4", "--pool=1", "--hold-ms=4000").run();
        assertThat(run.exitCode()).as("exit%s", run).isZero();
        assertThat(run.agentLines()).as("no quiet-rule lines%s", run)
                .noneMatch(l -> l.contains("bound nothing") || l.contains("is not a setting"));
    }
}
