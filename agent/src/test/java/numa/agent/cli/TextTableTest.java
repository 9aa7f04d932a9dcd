package numa.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsArePaddedToTheWidestCellAndNumbersAlignRight() {
        String table = new TextTable("node", "cpus", "memory").alignRight(0, 2)
                .row(0, "0-3", "16384 MiB")
                .row(12, "4-7,64-71", "0 MiB")
                .render("  ");
        assertThat(table).isEqualTo("""
                  node  cpus          memory
                     0  0-3        16384 MiB
                    12  4-7,64-71      0 MiB
                """);
    }

    @Test
    void trailingBlanksAreTrimmed() {
        String table = new TextTable("a", "notes").row("x", "").render("");
        assertThat(table.lines()).allMatch(l -> l.equals(l.stripTrailing()));
    }

    @Test
    void aRowMustFillEveryColumn() {
        assertThatThrownBy(() -> new TextTable("a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
