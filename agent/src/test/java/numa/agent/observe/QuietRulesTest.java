package numa.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import numa.agent.config.ConfigLoader;
import numa.agent.config.Rule;

/**
 * Rules that bound nothing are named with what the agent saw instead: the nearest thread names, or
 * how far a method rule got; rules that matched are not; nothing is said while the hooks cannot bind.
 */
class QuietRulesTest {
    private List<Rule> rules;

    @BeforeEach
    void setUp() throws Exception {
        clear();
        rules = ConfigLoader.parse("c.yaml", """
                rules:
                  - name: gpu-workers
                    thread: "gpu-worker-(\\\\d+)"
                    node: 0
                  - name: servers
                    method: com.acme.Server#create
                    node: 0
                  - name: loaded
                    method: com.acme.Loaded#create
                    node: 0
                  - name: spawned
                    process: ".*worker --device=(\\\\d+)"
                    node: 0
                  - name: engines
                    thread-class: com.acme.*Engine
                    node: 0
                """).rules();
        QuietRules.watch(CompletableFuture.completedFuture(new Object()));
    }

    @AfterEach
    void clear() {
        UnmatchedNames.clear();
        RuleActivity.clear();
        BoundLineBudget.clear();
        QuietRules.watch(null);
    }

    @Test
    void eachQuietRuleIsNamedWithWhatWasSeen() {
        for (String name : List.of("main-pool-1", "gpu_worker_0", "pool-1-thread-1", "gpu_worker_1", "Gpu-Worker-2", "reaper")) {
            UnmatchedNames.seen(name);
        }
        RuleActivity.instrumented("loaded", "com.acme.Loaded.create(Device)");

        assertThat(QuietRules.lines(rules, false)).containsExactly(
                "rule gpu-workers (c.yaml:2:5) has bound nothing yet: no thread name matched its thread regex"
                        + " 'gpu-worker-(\\d+)'; nearest thread names seen: 'gpu_worker_0', 'gpu_worker_1', 'Gpu-Worker-2'"
                        + " (of 6 distinct names that matched no rule; log-level=debug lists each)",
                "rule servers (c.yaml:5:5) has bound nothing yet: no class loaded yet has the method com.acme.Server#create"
                        + " (its class was not loaded, or the class or method name differs; `numa-agent check CONFIG"
                        + " --classpath CP` tells which classes of the application match)",
                "rule loaded (c.yaml:8:5) has bound nothing yet: com.acme.Loaded.create(Device) was loaded and"
                        + " instrumented, but has not been called",
                "rule spawned (c.yaml:11:5) has bound nothing yet: no process started whose command line matches"
                        + " '.*worker --device=(\\d+)'",
                "rule engines (c.yaml:14:5) has bound nothing yet: no thread of a class matching thread-class"
                        + " com.acme.*Engine has started");
        assertThat(QuietRules.lines(rules, true)).first().asString()
                .startsWith("at exit: rule gpu-workers (c.yaml:2:5) bound nothing in this run: no thread name matched");
    }

    @Test
    void rulesThatMatchedAreNotNamed() {
        for (String rule : List.of("gpu-workers", "servers", "loaded", "spawned")) {
            RuleActivity.matched(rule);
        }
        assertThat(QuietRules.lines(rules, false)).singleElement().asString().startsWith("rule engines");
    }

    @Test
    void noThreadSeenIsSaid() {
        assertThat(QuietRules.lines(rules, false)).first().asString().endsWith("no thread name matched its thread regex"
                + " 'gpu-worker-(\\d+)'; no thread that matches no rule has started since the agent's hooks were installed");
    }

    /** The agent said at start why it cannot bind: every rule is quiet for that reason alone. */
    @Test
    void nothingIsSaidWhileTheHooksCannotBind() {
        QuietRules.watch(CompletableFuture.completedFuture(null));
        assertThat(QuietRules.lines(rules, true)).isEmpty();
        QuietRules.watch(new CompletableFuture<>());
        assertThat(QuietRules.lines(rules, true)).isEmpty();
    }

    @Test
    void theSampleOfNamesIsBounded() {
        for (int i = 0; i < 100_000; i++) {
            UnmatchedNames.seen("pool-" + i + "-thread-1");
        }
        UnmatchedNames.seen("x".repeat(1_000_000));
        assertThat(UnmatchedNames.sample()).hasSize(UnmatchedNames.KEPT);
        assertThat(UnmatchedNames.overflowed()).isTrue();
        assertThat(QuietRules.lines(rules, false)).first().asString().contains("(of more than 64 distinct names");
    }

    @Test
    void theLiteralPartOfARegexIsWhatItSpells() {
        assertThat(QuietRules.literalPart("gpu-worker-(\\d+)")).isEqualTo("gpu-worker-");
        assertThat(QuietRules.literalPart("worker\\.[0-9]{1,2}-(?:a|b)")).isEqualTo("worker.-:ab");
        assertThat(QuietRules.literalPart("gpu-\\\\d")).isEqualTo("gpu-\\d");
    }
}
