package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A regex escaped for the wrong kind of YAML string is valid and never matches: warned about, with
 * the two ways to write what was meant; regexes escaped right are not.
 */
class EscapeMistakesTest {
    private static List<String> warnings(String threadValue) throws ConfigException {
        List<String> out = new ArrayList<>();
        ConfigLoader.parse("c.yaml", "rules:\n  - name: w\n    thread: " + threadValue + "\n    node: 0\n",
                w -> out.add(w.getMessage()));
        return out;
    }

    @Test
    void doubledBackslashInSingleQuotesIsWarnedAbout() throws Exception {
        assertThat(warnings("'gpu-worker-(\\\\d+)'")).containsExactly("c.yaml:3:13: thread in rule 'w': the regex has"
                + " \\\\d, a literal backslash followed by 'd' (in single quotes YAML keeps every backslash as written),"
                + " which thread names and command lines do not contain, so it likely never matches; if you meant \\d,"
                + " write 'gpu-worker-(\\d+)' (single quotes) or \"gpu-worker-(\\\\d+)\" (double quotes)");
    }

    @Test
    void doubledBackslashUnquotedOrFourInDoubleQuotesIsWarnedAbout() throws Exception {
        assertThat(warnings("gpu-worker-\\\\w+")).singleElement().asString()
                .contains("the regex has \\\\w").contains("unquoted, YAML keeps every backslash as written")
                .contains("write 'gpu-worker-\\w+'");
        assertThat(warnings("\"gpu-worker-(\\\\\\\\d+)\"")).singleElement().asString()
                .contains("in double quotes \\\\ is one backslash, so \\\\\\\\ is two")
                .contains("\"gpu-worker-(\\\\d+)\" (double quotes)");
    }

    @Test
    void rightlyEscapedRegexesAreNot() throws Exception {
        assertThat(warnings("'gpu-worker-(\\d+)'")).isEmpty();
        assertThat(warnings("\"gpu-worker-(\\\\d+)\"")).isEmpty();
        assertThat(warnings("gpu-worker-\\d+")).isEmpty();
    }

    @Test
    void processRegexesToo() throws Exception {
        List<String> out = new ArrayList<>();
        ConfigLoader.parse("c.yaml", "rules:\n  - name: p\n    process: '.*--device=(\\\\d+)'\n    device: $1\n",
                w -> out.add(w.getMessage()));
        assertThat(out).singleElement().asString().startsWith("c.yaml:3:14: process in rule 'p': the regex has \\\\d");
    }
}
