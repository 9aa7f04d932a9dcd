package numa.agent.config;

import static numa.agent.config.Configs.error;
import static numa.agent.config.Configs.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken, hostile and unreadable input: always a clear, positioned error, never an object, never a hang. */
class YamlSafetyTest {

    @Test
    void javaClassTagIsRefusedWithItsPosition() {
        assertThat(message("binding: !!java.lang.Object {}\n")).isEqualTo("config.yaml:1:10: unsupported tag"
                + " '!!java.lang.Object' (a numa-agent config is plain YAML: maps, lists, strings, numbers, true/false)");
        assertThat(message("rules:\n  - !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL"
                + " [\"http://x\"]]]]\n")).startsWith("config.yaml:2:5: unsupported tag '!!javax.script.ScriptEngineManager'");
    }

    @Test
    void unknownTagsAnywhereAreRefused() {
        assertThat(message("binding:\n  cpus: !node node\n")).startsWith("config.yaml:2:9: unsupported tag '!node'");
        assertThat(message("!config\nbinding: {}\n")).startsWith("config.yaml:1:1: unsupported tag '!config'");
        assertThat(message("devices:\n  source: static\n  nodes: [0, !big 1]\n"))
                .startsWith("config.yaml:3:14: unsupported tag '!big'");
        assertThat(message("binding:\n  !k cpus: node\n")).startsWith("config.yaml:2:3: unsupported tag '!k'");
        // explicit ENV substitution is not a feature of the config: refused rather than read literally
        assertThat(message("topology:\n  sysfs: !ENV ${SYSFS}\n")).startsWith("config.yaml:2:10: unsupported tag '!ENV'");
    }

    @Test
    void standardTagsAreFine() throws Exception {
        AgentConfig config = Configs.parse("topology:\n  sysfs: !!str /sys\ndevices:\n  source: static\n"
                + "  nodes: !!seq [!!int '1']\n");
        assertThat(config.devices().nodes()).containsExactly(1);
        assertThat(message("devices:\n  source: static\n  nodes: [!!int x]\n"))
                .isEqualTo("config.yaml:3:11: devices.nodes[0] must be a NUMA node number (0 or more), not 'x'");
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        String bomb = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                rules: *i
                """;
        ConfigException e = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () -> error(bomb));
        assertThat(e.getMessage()).isEqualTo("config.yaml:7:23: more than 50 aliases (*name); write the values out instead");
    }

    @Test
    void aliasBombInsideTheSchemaIsAlsoCheap() {
        // aliases used where the config expects lists: each alias costs one check, not one expansion
        StringBuilder yaml = new StringBuilder("rules:\n  - &r {thread: x, node: 1, name: a}\n");
        for (int i = 0; i < 49; i++) {
            yaml.append("  - *r\n");
        }
        ConfigException e = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () -> error(yaml.toString()));
        // an alias is the anchored node itself: the place shown is the anchor's
        assertThat(e.getMessage()).isEqualTo("config.yaml:2:35: duplicate rule name 'a' (the rule at line 2 has it too)");
        assertThat(e.all()).hasSize(49);
    }

    @Test
    void recursiveAliasDoesNotLoop() {
        ConfigException e = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> error("rules: &r\n  - *r\n"));
        assertThat(e.getMessage()).startsWith("config.yaml:1:8: rule 1 must be a map");
    }

    @Test
    void deepNestingIsRefusedWithAPosition() {
        String deep = "rules: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThat(message(deep))
                .isEqualTo("config.yaml:1:39: nesting deeper than 32 levels; a numa-agent config needs 3");
    }

    @Test
    void tooLargeIsRefusedBeforeParsing() {
        String huge = "# " + "x".repeat(YamlReader.MAX_CODE_POINTS) + "\n";
        ConfigException e = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> error(huge));
        assertThat(e.position()).isNull();
        assertThat(e.getMessage()).isEqualTo("config.yaml: the file is too large for a config (more than 1048576 characters)");
    }

    @Test
    void syntaxErrorsSayWhatUsuallyCausesThem() {
        // a regex's backslash in double quotes starts a YAML escape
        assertThat(message("rules:\n  - thread: \"gpu-(\\d+)\"\n    device: 0\n"))
                .startsWith("config.yaml:2:20: YAML syntax error: found unknown escape character d(100)")
                .endsWith("; in double quotes a backslash starts a YAML escape: write \\\\d there (\"gpu-(\\\\d+)\"),"
                        + " or use single quotes, where a backslash is kept as written ('gpu-(\\d+)')");
        // a key one column off
        assertThat(message("rules:\n  - name: w\n   thread: x\n    device: 0\n"))
                .startsWith("config.yaml:3:4: YAML syntax error: expected <block end>")
                .contains("; check the indentation here and on the line above");
    }

    @Test
    void syntaxErrorsArePositioned() {
        assertThat(message("binding:\n  cpus: node\n   memory: bind\n"))
                .startsWith("config.yaml:3:10: YAML syntax error: mapping values are not allowed here; check the indentation");
        assertThat(message("binding: {cpus: node\n")).isEqualTo("config.yaml:2:1: YAML syntax error: expected ',' or '}',"
                + " but got <stream end> (while parsing a flow mapping that starts at line 1, column 10)");
        assertThat(message("rules:\n  - thread: 'x\n")).isEqualTo("config.yaml:3:1: YAML syntax error: found unexpected"
                + " end of stream (while scanning a quoted scalar that starts at line 2, column 13)");
        assertThat(message("binding:\n\tcpus: node\n")).startsWith("config.yaml:2:1: YAML syntax error: found character"
                + " '\\t(TAB)' that cannot start any token.");
        assertThat(message("rules: *nothing\n"))
                .isEqualTo("config.yaml:1:8: YAML syntax error: found undefined alias nothing");
    }

    @Test
    void secondDocumentIsRefused() {
        assertThat(message("binding: {}\n---\nrules: []\n")).isEqualTo(
                "config.yaml:2:1: a second YAML document starts here; a config is one document (remove the '---' line)");
    }

    @Test
    void controlCharacterIsPositioned() {
        assertThat(message("binding:\n  cpus: no\u0001de\n"))
                .isEqualTo("config.yaml:2:11: character U+0001 is not allowed in YAML");
    }

    @Test
    void columnsCountCharactersNotBytes() {
        assertThat(message("rules: [{name: 'ö', thread: x, node: 1, bnd: 1}]\n"))
                .startsWith("config.yaml:1:41: unknown key 'bnd' in rule 'ö'");
    }

    @Test
    void missingFileSaysWhichAndWhereItWasLookedFor() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(Path.of("no-such-dir/numa.yaml")));
        assertThat(e.position()).isNull();
        assertThat(e.getMessage()).startsWith("cannot read config file no-such-dir/numa.yaml: no such file (working directory: ");
    }

    @Test
    void directoryIsNotAConfig(@TempDir Path dir) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir));
        assertThat(e.getMessage()).isEqualTo("cannot read config file " + dir + ": it is a directory");
    }

    @Test
    void unreadableFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret.yaml"), "binding: {}\n");
        assumeTrue(file.toFile().setReadable(false) && !Files.isReadable(file), "root can read every file");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.getMessage()).isEqualTo("cannot read config file " + file + ": permission denied");
    }

    @Test
    void notUtf8(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.getMessage()).isEqualTo("cannot read config file " + file + ": it is not UTF-8 text");
    }

    @Test
    void errorsInAFileNameTheFileAsGiven(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("numa.yaml"), "\nbinding:\n  cpu: node\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(e.getMessage()).startsWith(file + ":3:3: unknown key 'cpu' in binding");
    }
}
