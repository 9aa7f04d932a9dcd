package numa.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ArgumentsTest {
    private static Arguments parse(String... words) throws UsageException {
        return Arguments.parse(List.of(words), Set.of("--json"), Map.of("--sysfs", "DIR"), 1);
    }

    @Test
    void optionsBeforeOrAfterOperandsInBothSpellings() throws UsageException {
        Arguments a = parse("--sysfs", "/tmp/sys", "cfg.yaml", "--json");
        assertThat(a.value("--sysfs")).contains("/tmp/sys");
        assertThat(a.flag("--json")).isTrue();
        assertThat(a.operand(0, "CONFIG")).isEqualTo("cfg.yaml");
        assertThat(parse("cfg.yaml", "--sysfs=/x").value("--sysfs")).contains("/x");
        assertThat(parse().flag("--json")).isFalse();
    }

    @Test
    void doubleDashEndsOptions() throws UsageException {
        assertThat(parse("--", "--json").operand(0, "CONFIG")).isEqualTo("--json");
    }

    @Test
    void mistakesNameTheOptionAndWhatIsAccepted() {
        assertThatThrownBy(() -> parse("--sysfs")).hasMessage("--sysfs needs a value: --sysfs DIR");
        assertThatThrownBy(() -> parse("--sysfs=")).hasMessage("--sysfs needs a value: --sysfs DIR");
        assertThatThrownBy(() -> parse("--sysfs", "a", "--sysfs", "b")).hasMessage("--sysfs is given twice; give it once");
        assertThatThrownBy(() -> parse("--jsn"))
                .hasMessage("unknown option '--jsn' (expected: --sysfs DIR, --json, --help)");
        assertThatThrownBy(() -> parse("--json=yes")).hasMessage("--json takes no value (found '--json=yes')");
        assertThatThrownBy(() -> parse("a", "b")).hasMessage("unexpected argument 'b'");
        assertThatThrownBy(() -> parse().operand(0, "CONFIG")).hasMessage("missing CONFIG");
    }

    @Test
    void helpIsAlwaysAccepted() throws UsageException {
        assertThat(parse("-h").flag(Arguments.HELP)).isTrue();
        assertThat(parse("a", "b", "--help").flag(Arguments.HELP)).isTrue();
    }
}
