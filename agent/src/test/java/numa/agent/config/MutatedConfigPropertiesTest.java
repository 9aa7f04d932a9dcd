package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated configs, loaded through {@link ConfigLoader#load(Path, java.util.function.Consumer)} exactly as
 * the agent loads its file: the answer is always a config, or a {@link ConfigException} whose every
 * error has a place in the file (a file that is not UTF-8 is refused as a whole, naming the file).
 * Any other throwable, a hang or an allocation beyond a generous cap fails the property.
 *
 * <p>The seeds are random; a failure reports its seed and the shrunk sample (the config and the list
 * of mutations that broke it). To replay one: {@code @Property(seed = "<seed>")}. jqwik also re-runs
 * the failing seed first on the next run (its database is under target/).
 */
class MutatedConfigPropertiesTest {
    private static final Duration HANG = Duration.ofSeconds(30);
    /** Inputs are a few KB: the loader needs a few MB for them. Far above; far below a runaway. */
    private static final long ALLOCATION_CAP = 256L * 1024 * 1024;

    private static Path dir;
    private static List<String> shipped;

    @BeforeContainer
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("mutated-configs");
        try (Stream<Path> files = Files.walk(Path.of("..", "config"))) {
            shipped = new ArrayList<>();
            for (Path p : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                shipped.add(Files.readString(p));
            }
        }
        assertThat(shipped).as("the shipped configs, the corpus").hasSizeGreaterThan(3);
    }

    @AfterContainer
    static void tearDown() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Property(tries = 1500, shrinking = ShrinkingMode.BOUNDED)
    void mutatedConfigLoadsOrFailsWithPositions(@ForAll("mutatedConfigs") Mutated mutated) throws Exception {
        checkLoads(mutated.bytes());
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void generatedConfigLoadsOrFailsWithPositions(@ForAll("generatedConfigs") String config) throws Exception {
        checkLoads(config.getBytes(StandardCharsets.UTF_8));
    }

    private static void checkLoads(byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve("config.yaml"), bytes);
        Allocation.Measured<AgentConfig> outcome = assertTimeoutPreemptively(HANG,
                () -> Allocation.measure(() -> ConfigLoader.load(file, warning -> assertPlaced(warning, bytes))),
                "loading hung");
        Throwable thrown = outcome.thrown();
        if (thrown != null && !(thrown instanceof ConfigException)) {
            throw new AssertionError("loading threw " + thrown, thrown);
        }
        if (Allocation.supported()) {
            assertThat(outcome.bytes()).as("bytes allocated while loading").isLessThan(ALLOCATION_CAP);
        }
        if (thrown instanceof ConfigException e) {
            if (!isUtf8(bytes)) {
                assertThat(e.getMessage()).isEqualTo("cannot read config file " + file + ": it is not UTF-8 text");
                return;
            }
            assertThat(e.all()).isNotEmpty();
            for (ConfigException each : e.all()) {
                assertPlaced(each, bytes);
            }
        } else {
            assertThat(outcome.value()).isNotNull();
        }
    }

    /** A position in the file: its name, a line it has (or the one after its end), a column from 1. */
    private static void assertPlaced(ConfigException e, byte[] bytes) {
        Position p = e.position();
        assertThat(p).as("position of: " + e.getMessage()).isNotNull();
        assertThat(p.file()).endsWith("config.yaml");
        String text = new String(bytes, StandardCharsets.UTF_8);
        long lines = text.chars().filter(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029).count() + 1;
        assertThat(p.line()).as(e.getMessage()).isBetween(1, (int) lines + 1);
        assertThat(p.column()).as(e.getMessage()).isBetween(1, text.length() + 1);
        assertThat(e.problem()).as("message").isNotBlank();
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // --- generators ---------------------------------------------------------------------------

    /** A config and what was done to it; its toString is what a failure report shows. */
    record Mutated(String original, List<Mutation> mutations) {
        byte[] bytes() {
            byte[] b = original.getBytes(StandardCharsets.UTF_8);
            for (Mutation m : mutations) {
                b = m.apply(b);
            }
            return b;
        }

        @Override
        public String toString() {
            return "mutations " + mutations + " of:\n" + original + "\ngiving:\n"
                    + new String(bytes(), StandardCharsets.UTF_8);
        }
    }

    enum Kind { FLIP_BIT, DELETE, INSERT, DUPLICATE_LINE, SWAP_VALUE, TAB_FOR_SPACE }

    /** One edit at a relative place ({@code where} in [0, 1)) of the bytes. */
    record Mutation(Kind kind, double where, int length, String text) {
        byte[] apply(byte[] b) {
            int at = (int) (where * b.length);
            return switch (kind) {
                case FLIP_BIT -> {
                    if (b.length == 0) {
                        yield b;
                    }
                    byte[] c = b.clone();
                    c[at] ^= (byte) (1 << (length % 8));
                    yield c;
                }
                case DELETE -> splice(b, at, Math.min(b.length, at + length), new byte[0]);
                case INSERT -> splice(b, at, at, text.getBytes(StandardCharsets.UTF_8));
                case DUPLICATE_LINE -> {
                    int start = lineStart(b, at);
                    int end = lineEnd(b, at);
                    byte[] line = java.util.Arrays.copyOfRange(b, start, end);
                    yield splice(b, end, end, line);
                }
                case SWAP_VALUE -> {
                    // the value after the next ": " (to the end of its line) becomes another type
                    int colon = indexOf(b, at, ": ");
                    if (colon < 0) {
                        yield b;
                    }
                    int end = lineEnd(b, colon);
                    int valueEnd = end > colon + 2 && b[end - 1] == '\n' ? end - 1 : end;
                    yield splice(b, colon + 2, valueEnd, text.getBytes(StandardCharsets.UTF_8));
                }
                case TAB_FOR_SPACE -> {
                    int space = indexOf(b, at, " ");
                    if (space < 0) {
                        yield b;
                    }
                    byte[] c = b.clone();
                    c[space] = '\t';
                    yield c;
                }
            };
        }

        private static byte[] splice(byte[] b, int from, int to, byte[] with) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + with.length);
            out.write(b, 0, from);
            out.write(with, 0, with.length);
            out.write(b, to, b.length - to);
            return out.toByteArray();
        }

        private static int lineStart(byte[] b, int at) {
            int i = Math.min(at, b.length);
            while (i > 0 && b[i - 1] != '\n') {
                i--;
            }
            return i;
        }

        private static int lineEnd(byte[] b, int at) {
            int i = at;
            while (i < b.length && b[i] != '\n') {
                i++;
            }
            return Math.min(b.length, i + 1);
        }

        private static int indexOf(byte[] b, int from, String s) {
            byte[] t = s.getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = from; i + t.length <= b.length; i++) {
                for (int j = 0; j < t.length; j++) {
                    if (b[i + j] != t[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** YAML's syntax, and what is special to the config (groups, lookups, regexes). */
    private static final String[] SYNTAX = {":", ": ", "- ", "-", "[", "]", "{", "}", ",", "&a ", "*a", "*b", "!!", "!x ",
        "!!binary ", "!!python/object ", "!!java.lang.Runtime ", "!!map ", "!!set ", "!!omap ", "|", ">", "|-\n  ", "'", "\"",
        "#", "\n", "\r\n", "\r", "  ", "    ", "\t", "---\n", "...\n", "? ", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "<<: *a\n",
        "\\", "\\x", "\\u12", "${", "$1", "${gpu}", "env:", "prop:", "(a+)+$", "(?<g>", "[^", "\uFEFF", "\u0000", "\u2028",
        "\u0085", "\uD834\uDD1E", "\u00e9", "~", "null", "&a [*a]\n", "=", "@", "`", "%"};

    /** Values of every type the config might meet where it expects another. */
    private static final String[] VALUES = {"[]", "{}", "~", "null", "", "-1", "0", "99999999999999999999", "1.5", "1e400",
        ".inf", ".nan", "true", "no", "'x'", "\"\\u0000\"", "[1, [2]]", "{a: b}", "0x1F", "0o17", "&a x", "*a", "!!int x",
        "!!str", "$1", "${x}", "env:", "prop:x", "round-robin", "arg0.", "this..x", "node", "all", "bind", "fail",
        "'(a+)+$'", "'['", "'*'", "com.**.*", "'#'", "- x"};

    @Provide
    Arbitrary<Mutated> mutatedConfigs() {
        Arbitrary<String> originals = Arbitraries.oneOf(Arbitraries.of(shipped), generatedConfigs());
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.doubles().between(0, 1).ofScale(4).filter(d -> d < 1),
                Arbitraries.integers().between(1, 40),
                Arbitraries.oneOf(Arbitraries.of(SYNTAX), Arbitraries.of(VALUES),
                        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4)))
                .as(Mutation::new);
        return Combinators.combine(originals, mutation.list().ofMinSize(1).ofMaxSize(8)).as(Mutated::new);
    }

    /** Valid-looking configs built from the config's keys, for more shapes than the shipped ones. */
    @Provide
    Arbitrary<String> generatedConfigs() {
        Arbitrary<String> binding = Combinators.combine(
                Arbitraries.of("node", "all", "cores", "x"),
                Arbitraries.of("preferred", "bind", "none", "local"),
                Arbitraries.of("reset", "inherit", "keep"),
                Arbitraries.of("warn", "fail"))
                .as((cpus, memory, children, onError) -> "binding:\n  cpus: " + cpus + "\n  memory: " + memory
                        + "\n  children: " + children + "\n  on-error: " + onError + "\n");
        Arbitrary<String> devices = Arbitraries.oneOf(
                Arbitraries.just("devices:\n  source: auto\n"),
                Arbitraries.integers().between(0, 3).list().ofMaxSize(4)
                        .map(nodes -> "devices:\n  source: static\n  nodes: " + nodes + "\n"),
                Arbitraries.just("devices:\n  source: pci\n  pci: ['0000:3b:00.0']\n"));
        Arbitrary<String> rule = Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("thread: 'gpu-worker-(\\d+)'", "thread: 'decode-(?<gpu>\\d+)'", "thread-class: com.acme.**Worker",
                        "method: 'com.acme.Server#run'", "process: '.*--device=(\\d+).*'", "thread: x"),
                Arbitraries.of("device: $1", "device: ${gpu}", "node: 1", "device: round-robin", "device: env:GPU",
                        "node: prop:numa.node", "device: arg0.device", "node: this.node"),
                Arbitraries.of("", "    bind: children\n", "    bind: call\n", "    bind: thread\n"))
                .as((name, matcher, target, bind) -> "  - name: " + name + "\n    " + matcher + "\n    " + target + "\n" + bind);
        Arbitrary<String> rules = rule.list().ofMaxSize(5)
                .map(list -> list.isEmpty() ? "rules: []\n" : "rules:\n" + String.join("", list));
        Arbitrary<String> process = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(0, 3).map(n -> "process:\n  node: " + n + "\n"));
        return Combinators.combine(binding, devices, process, rules).as((b, d, p, r) -> b + d + p + r);
    }
}
