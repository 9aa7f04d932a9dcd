package numa.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages of the agent in layers: a package uses only packages of lower layers (never its
 * own layer's others, never a higher one), so there is no cycle and each layer can be read,
 * tested and changed with only what is below it in mind. Read from the sources: imports and fully
 * qualified names in code (comments and string literals left out).
 *
 * <pre>
 * 0  launcher  config  topology  log  jna    the hand-off, the model, the machine, logging, JNA
 * 1  proc                            /proc
 * 2  device                          devices and their nodes
 * 3  bind                            plans and the kernel calls
 * 4  observe                         what was bound: MBean, JFR, the report
 * 5  rules                           which rule names what (and counts what it decided)
 * 6  instrument  attach              the hooks and rewrites; binding running threads
 * 7  startup                         the start-up pipeline
 * 8  cli                             the command line
 * </pre>
 * The launcher (system class loader) uses nothing of the agent's: the two loaders meet only in its
 * own hand-off types.
 */
class LayeringTest {
    static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("launcher", 0), Map.entry("config", 0), Map.entry("topology", 0), Map.entry("log", 0), Map.entry("jna", 0),
            Map.entry("proc", 1), Map.entry("device", 2), Map.entry("bind", 3), Map.entry("observe", 4),
            Map.entry("rules", 5), Map.entry("instrument", 6), Map.entry("attach", 6), Map.entry("startup", 7),
            Map.entry("cli", 8));
    private static final Path MAIN = Path.of("src/main/java/numa/agent");
    private static final Pattern USE = Pattern.compile("\\bnuma\\.agent\\.([a-z]+)\\.[A-Za-z]");
    private static final Pattern COMMENTS_AND_STRINGS =
            Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"", Pattern.DOTALL);

    /** {@code from -> to} for each package {@code from} whose code uses {@code to}, with the file. */
    static List<String> violations(Path main) throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Path relative = main.relativize(file);
                if (relative.getNameCount() < 2) {
                    bad.add(relative + ": a class outside every package layer (put it in one)");
                    continue;
                }
                String from = relative.getName(0).toString();
                String code = COMMENTS_AND_STRINGS.matcher(Files.readString(file)).replaceAll(" ");
                TreeSet<String> used = new TreeSet<>();
                for (Matcher m = USE.matcher(code); m.find(); ) {
                    used.add(m.group(1));
                }
                used.remove(from);
                for (String to : used) {
                    if (from.equals("launcher")) {
                        bad.add(relative + ": the launcher uses numa.agent." + to + " (it may use nothing of the agent)");
                    } else if (!LAYER.containsKey(from) || !LAYER.containsKey(to)) {
                        bad.add(relative + ": package " + (LAYER.containsKey(from) ? to : from) + " has no layer in LayeringTest");
                    } else if (LAYER.get(to) >= LAYER.get(from)) {
                        bad.add(relative + ": " + from + " (layer " + LAYER.get(from) + ") uses " + to + " (layer "
                                + LAYER.get(to) + ")");
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void eachPackageUsesOnlyLowerLayers() throws IOException {
        assertThat(violations(MAIN)).isEmpty();
    }

    @Test
    void aCycleOrAnUpwardUseIsFound(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path device = Files.createDirectories(dir.resolve("device"));
        Path bind = Files.createDirectories(dir.resolve("bind"));
        Files.writeString(device.resolve("A.java"), "package numa.agent.device;\n// numa.agent.cli.Cli in a comment is fine\n"
                + "class A { Object x = numa.agent.bind.JnaStub.class; String s = \"numa.agent.cli.Cli\"; }\n");
        Files.writeString(bind.resolve("B.java"), "package numa.agent.bind;\nimport numa.agent.device.A;\nclass B { }\n");
        assertThat(violations(dir)).singleElement().asString().contains("device (layer 2) uses bind (layer 3)");
    }
}
