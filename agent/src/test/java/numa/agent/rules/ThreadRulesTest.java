package numa.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.agent.config.AgentConfig;
import numa.agent.config.ConfigLoader;

class ThreadRulesTest {
    static class EngineWorker extends Thread {
        EngineWorker(String name) {
            super(name);
        }
    }

    static final class GpuEngineWorker extends EngineWorker {
        GpuEngineWorker(String name) {
            super(name);
        }
    }

    private static ThreadRules rules(String yaml) throws Exception {
        AgentConfig config = ConfigLoader.parse("test.yaml", yaml);
        return new ThreadRules(config.rules());
    }

    @Test
    void nameRegexMustMatchTheWholeNameAndExposesGroups() throws Exception {
        ThreadRules r = rules("rules:\n  - name: gpu\n    thread: \"gpu-worker-(\\\\d+)\"\n    device: \"$1\"\n");
        ThreadRules.Match m = r.match(new Thread("gpu-worker-12"));
        assertThat(m.rule().name()).isEqualTo("gpu");
        assertThat(m.nameMatch().group(1)).isEqualTo("12");
        assertThat(r.match(new Thread("gpu-worker-12-helper"))).isNull();
        assertThat(r.match(new Thread("my-gpu-worker-1"))).isNull();
    }

    @Test
    void classGlobMatchesSubclassesAndCombinesWithTheName() throws Exception {
        ThreadRules r = rules("rules:\n"
                + "  - name: both\n    thread-class: \"numa.agent.rules.*$EngineWorker\"\n    thread: \"special-.*\"\n    node: 0\n"
                + "  - name: by-class\n    thread-class: \"**.ThreadRulesTest$EngineWorker\"\n    node: 1\n");
        assertThat(r.match(new GpuEngineWorker("special-1")).rule().name()).isEqualTo("both");
        assertThat(r.match(new GpuEngineWorker("w-1")).rule().name()).isEqualTo("by-class");
        assertThat(r.match(new EngineWorker("w-2")).rule().name()).isEqualTo("by-class");
        assertThat(r.match(new Thread("special-1"))).isNull();
    }

    @Test
    void firstRuleInFileOrderWins() throws Exception {
        ThreadRules r = rules("rules:\n"
                + "  - name: first\n    thread: \"w-.*\"\n    node: 0\n"
                + "  - name: second\n    thread: \"w-1\"\n    node: 1\n");
        assertThat(r.match(new Thread("w-1")).rule().name()).isEqualTo("first");
    }

    @Test
    void nonThreadRulesAreNotConsidered() throws Exception {
        ThreadRules r = rules("rules:\n  - name: spawned\n    process: \"worker (\\\\d+)\"\n    device: \"$1\"\n");
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.match(new Thread("worker 1"))).isNull();
    }

    /**
     * Rules run inside the application's Thread.start: a regex that backtracks catastrophically on a
     * thread's name must not hang it. The rule gives up (no match) and the next rule is tried. The
     * timeout is a hang guard: without the bound this takes some 40^12 steps.
     */
    @Test
    void catastrophicRegexGivesUpAndTheNextRuleApplies() throws Exception {
        ThreadRules r = rules("rules:\n  - name: evil\n    thread: '(.*a){12}'\n    node: 0\n"
                + "  - name: all\n    thread: '.*'\n    node: 1\n");
        Thread thread = new Thread("a".repeat(40) + "!");
        ThreadRules.Match m = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(60), () -> r.match(thread));
        assertThat(m.rule().name()).isEqualTo("all");
        assertThat(numa.agent.log.AgentLog.occurrences("regex-cost:thread:evil")).isEqualTo(1);
        assertThat(r.match(new Thread("a".repeat(12))).rule().name()).isEqualTo("evil");
    }

    @Test
    void catastrophicProcessRegexGivesUpToo() throws Exception {
        ProcessRules r = new ProcessRules(ConfigLoader.parse("test.yaml", "rules:\n  - name: evil-process\n"
                + "    process: '(.*a){12}'\n    node: 0\n").rules());
        ProcessRules.Match m = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> r.match("python worker " + "a".repeat(40) + "!"));
        assertThat(m).isNull();
        assertThat(numa.agent.log.AgentLog.occurrences("regex-cost:process:evil-process")).isEqualTo(1);
        assertThat(r.match("python " + "a".repeat(12)).rule().name()).isEqualTo("evil-process");
    }
}
