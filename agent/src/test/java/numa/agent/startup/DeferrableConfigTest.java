package numa.agent.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeferrableConfigTest {
    private static final String THREAD_RULES = """
            devices:
              source: static
              nodes: [0, 1]
            binding:
              memory: preferred
              on-error: warn
            rules:
              - name: gpu-workers
                thread: "gpu-worker-(\\\\d+)"
                device: "$1"
            """;

    @Test
    void threadRulesOnlyCanWait() {
        assertThat(DeferrableConfig.allows(THREAD_RULES)).isTrue();
        assertThat(DeferrableConfig.allows("rules:\n  - {name: a, thread: 'process-worker', node: 0}\n")).isTrue();
    }

    @Test
    void whatMustHappenBeforeMainCannot() {
        assertThat(DeferrableConfig.allows(THREAD_RULES + "process:\n  node: 0\n")).isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES + "  - name: m\n    method: \"a.B#c\"\n    node: 0\n")).isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES + "  - name: p\n    process: \".*w.*\"\n    node: 0\n")).isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES.replace("on-error: warn", "on-error: fail"))).isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES.replace("on-error: warn", "\"on-error\": 'fail'"))).isFalse();
    }

    @Test
    void flowStyleAndQuotedKeysAreSeenToo() {
        assertThat(DeferrableConfig.allows("rules: [{name: m, method: 'a.B#c', node: 0}]")).isFalse();
        assertThat(DeferrableConfig.allows("{\"process\": {\"node\": 0}}")).isFalse();
        assertThat(DeferrableConfig.allows("binding: {on-error: fail}")).isFalse();
    }

    @Test
    void onErrorFailIsReadFromTheRawTextButNotFromAComment() {
        assertThat(DeferrableConfig.asksToFail("binding:\n  on-error: fail\n")).isTrue();
        assertThat(DeferrableConfig.asksToFail("binding: {cpus: node, \"on-error\": 'fail'}\n")).isTrue();
        assertThat(DeferrableConfig.asksToFail("binding:\n  on-error: warn  # or: on-error: fail\n")).isFalse();
        assertThat(DeferrableConfig.asksToFail("# on-error: fail\nbinding:\n  cpus: node\n")).isFalse();
    }

    @Test
    void onErrorWrittenAnyWayButPlainWarnIsReadAtPremain() {
        // valid YAML that a one-line scan misses: the value on the next line, after a comment
        assertThat(DeferrableConfig.allows(THREAD_RULES.replace("on-error: warn", "on-error:   # stop on mistakes\n    fail")))
                .isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES.replace("on-error: warn", "on-error: *policy"))).isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES.replace("on-error: warn", "on-error: !!str fail"))).isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES.replace("on-error: warn", "\"on\\x2derror\": fail"))).isFalse();
        assertThat(DeferrableConfig.allows(THREAD_RULES.replace("on-error: warn", "on-error: 'warn'"))).isTrue();
    }

    @Test
    void escapesThatCouldSpellAKeyAreReadAtPremain() {
        assertThat(DeferrableConfig.allows("rules:\n  - {name: a, thread: 'w', node: 0}\n\"pro\\x63ess\": {node: 0}\n"))
                .isFalse();
        assertThat(DeferrableConfig.allows("rules:\n  - {name: a, \"m\\u0065thod\": 'a.B#c', node: 0}\n")).isFalse();
    }

    @Test
    void aMentionInACommentIsTakenAtItsWordWhichIsOnlySlower() {
        assertThat(DeferrableConfig.allows(THREAD_RULES + "# process: node 1 some day\n")).isFalse();
    }

    @Test
    void filesThatAreNotPlainOrUnreadableAreLeftToTheLoader(@TempDir Path dir) throws IOException {
        assertThat(DeferrableConfig.allows(dir)).isFalse();
        assertThat(DeferrableConfig.allows(dir.resolve("missing.yaml"))).isFalse();
        Path big = Files.writeString(dir.resolve("big.yaml"), THREAD_RULES + "#".repeat(300_000));
        assertThat(DeferrableConfig.allows(big)).isFalse();
        Path ok = Files.writeString(dir.resolve("ok.yaml"), THREAD_RULES);
        assertThat(DeferrableConfig.allows(ok)).isTrue();
        Path notUtf8 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9});
        assertThat(DeferrableConfig.allows(notUtf8)).isFalse();
    }
}
