package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> BINDING = List.of("cpus", "memory", "children", "on-error");

    @Test
    void suggestsTyposOnly() {
        assertThat(Suggestions.closest("cpu", BINDING)).isEqualTo("cpus");
        assertThat(Suggestions.closest("memroy", BINDING)).isEqualTo("memory");   // swapped letters
        assertThat(Suggestions.closest("onerror", BINDING)).isEqualTo("on-error");
        assertThat(Suggestions.closest("CPUS", BINDING)).isEqualTo("cpus");
        assertThat(Suggestions.closest("dryrun", AgentSettings.KEYS)).isEqualTo("dry-run");
        assertThat(Suggestions.closest("affinity", BINDING)).isNull();
        assertThat(Suggestions.closest("x", BINDING)).isNull();
        assertThat(Suggestions.closest("mem", BINDING)).isEqualTo("memory");      // a prefix
        assertThat(Suggestions.closest("warning", AgentSettings.LOG_LEVELS)).isEqualTo("warn");
        assertThat(Suggestions.closest("me", BINDING)).isNull();
    }

    @Test
    void didYouMeanIsAMessageTail() {
        assertThat(Suggestions.didYouMean("cpu", BINDING)).isEqualTo("; did you mean 'cpus'?");
        assertThat(Suggestions.didYouMean("zzz", BINDING)).isEmpty();
    }

    @Test
    void distance() {
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("abc", "abc")).isZero();
        assertThat(Suggestions.distance("abc", "acb")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    }
}
