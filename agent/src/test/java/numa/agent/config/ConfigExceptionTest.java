package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {
    private static final Position P1 = new Position("c.yaml", 1, 2);
    private static final Position P2 = new Position("c.yaml", 3, 4);

    @Test
    void messageIsFileLineColumnProblem() {
        ConfigException e = new ConfigException(P1, "bad thing");
        assertThat(e).hasMessage("c.yaml:1:2: bad thing");
        assertThat(e.position()).isEqualTo(P1);
        assertThat(e.problem()).isEqualTo("bad thing");
        assertThat(e.all()).containsExactly(e);
    }

    @Test
    void withoutPositionTheMessageIsTheProblem() {
        assertThat(new ConfigException(null, "cannot read x")).hasMessage("cannot read x");
    }

    @Test
    void severalErrorsReadAsTheFirst() {
        ConfigException combined = ConfigException.of(List.of(new ConfigException(P1, "one"), new ConfigException(P2, "two")));
        assertThat(combined).hasMessage("c.yaml:1:2: one");
        assertThat(combined.position()).isEqualTo(P1);
        assertThat(combined.all()).extracting(Throwable::getMessage).containsExactly("c.yaml:1:2: one", "c.yaml:3:4: two");
        assertThat(combined.all().get(0).all()).hasSize(1);
        // combining again flattens
        ConfigException again = ConfigException.of(List.of(combined, new ConfigException(null, "three")));
        assertThat(again.all()).extracting(ConfigException::problem).containsExactly("one", "two", "three");
        assertThat(ConfigException.of(List.of(combined))).isSameAs(combined);
        assertThatThrownBy(() -> ConfigException.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
