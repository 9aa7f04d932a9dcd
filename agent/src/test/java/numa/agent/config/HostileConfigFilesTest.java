package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile config files, each through {@link ConfigLoader#load(Path, java.util.function.Consumer)} as
 * the agent loads them: the answer is a config, a positioned error, or (for what is no config file
 * at all) a refusal that names the file; never another exception, never a hang, and never more
 * memory than a generous cap (counted as bytes allocated by the loading thread, not as time).
 *
 * <p>The timeouts are hang guards, far above what any of these takes: they turn a hang into a
 * failure instead of a stuck build, they measure nothing.
 */
class HostileConfigFilesTest {
    private static final Duration HANG = Duration.ofSeconds(60);
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    /** The outcome of loading, with what loading allocated. */
    private record Outcome(AgentConfig config, ConfigException error, long allocated) {
    }

    private Outcome load(Path file) {
        return assertTimeoutPreemptively(HANG, () -> {
            Allocation.Measured<AgentConfig> m = Allocation.measure(() -> ConfigLoader.load(file, w -> { }));
            if (m.thrown() != null && !(m.thrown() instanceof ConfigException)) {
                throw new AssertionError("loading " + file + " threw " + m.thrown(), m.thrown());
            }
            return new Outcome(m.value(), (ConfigException) m.thrown(), m.bytes());
        }, () -> "loading " + file + " hung");
    }

    private Outcome load(String name, byte[] bytes) throws Exception {
        return load(Files.write(dir.resolve(name), bytes));
    }

    private Outcome load(String name, String text) throws Exception {
        return load(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static ConfigException positioned(Outcome o) {
        assertThat(o.error()).as("a config error").isNotNull();
        assertThat(o.error().all()).allSatisfy(e -> assertThat(e.position()).as(e.getMessage()).isNotNull());
        return o.error();
    }

    private static void allocatedAtMost(Outcome o, long bytes) {
        if (Allocation.supported()) {
            assertThat(o.allocated()).as("bytes allocated while loading").isLessThan(bytes);
        }
    }

    @Test
    void billionLaughsCostsLittle() throws Exception {
        StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            yaml.append('a').append(i).append(": &a").append(i).append(" [")
                    .append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
        }
        yaml.append("rules: *a9\n");
        Outcome o = load("laughs.yaml", yaml.toString());
        assertThat(positioned(o).getMessage()).endsWith("more than 50 aliases (*name); write the values out instead");
        allocatedAtMost(o, 32 * MIB);
    }

    @Test
    void fiftyAliasesAreAllowedTheFiftyFirstIsNot() throws Exception {
        String fifty = "x: &v 1\ny: [" + "*v, ".repeat(49) + "*v]\n";
        ConfigException e = positioned(load("fifty.yaml", fifty));
        assertThat(e.getMessage()).contains("unknown key 'x'"); // got past the YAML: only the schema complains
        String fiftyOne = "x: &v 1\ny: [" + "*v, ".repeat(50) + "*v]\n";
        assertThat(positioned(load("fifty-one.yaml", fiftyOne)).getMessage())
                .isEqualTo(dir.resolve("fifty-one.yaml") + ":2:205: more than 50 aliases (*name); write the values out instead");
    }

    @Test
    void tenThousandLevelsOfNestingAreRefusedAtTheLevelTooDeep() throws Exception {
        for (String open : new String[] {"[", "{a: "}) {
            String close = open.equals("[") ? "]" : "}";
            Outcome o = load("deep.yaml", "rules: " + open.repeat(10_000) + "1" + close.repeat(10_000) + "\n");
            assertThat(positioned(o).getMessage()).contains("nesting deeper than 32 levels");
            allocatedAtMost(o, 64 * MIB);
        }
        // block style nests by indentation: as deep, as refused
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            block.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        assertThat(positioned(load("deep-block.yaml", block.toString())).getMessage()).contains("nesting deeper than 32 levels");
    }

    @Test
    void tenMegabyteScalarIsRefusedBeforeParsing() throws Exception {
        Outcome o = load("big-scalar.yaml", "rules:\n  - name: " + "x".repeat(10 * 1024 * 1024) + "\n");
        assertThat(o.error()).isNotNull();
        // its size says so: not even read
        assertThat(o.error().getMessage()).endsWith(": larger than 4 MiB, which no config is");
        allocatedAtMost(o, 1 * MIB);
        // 2 MB of it: read, but refused before parsing
        Outcome read = load("2mb-scalar.yaml", "rules:\n  - name: " + "x".repeat(2 * 1024 * 1024) + "\n");
        assertThat(read.error().getMessage()).endsWith(": the file is too large for a config (more than 1048576 characters)");
        allocatedAtMost(read, 32 * MIB);
    }

    @Test
    void scalarJustUnderTheLimitIsParsedWithBoundedMemory() throws Exception {
        // The engine's reader, left with its 1 KiB buffer, copied the token so far at each refill:
        // this one cost 2 GB (and 4 MB: 34 GB). Read in one go, it costs a few copies of itself.
        Outcome o = load("near-limit.yaml", "rules:\n  - name: '" + "x".repeat(YamlReader.MAX_CODE_POINTS - 100) + "'\n");
        assertThat(positioned(o).getMessage()).contains("rule");
        allocatedAtMost(o, 64 * MIB);
        Outcome comment = load("long-comment.yaml", "# " + "x".repeat(YamlReader.MAX_CODE_POINTS - 100) + "\n");
        assertThat(comment.config()).isNotNull();
        allocatedAtMost(comment, 64 * MIB);
    }

    @Test
    void tenMegabytesOfKeysAreRefusedBeforeParsing() throws Exception {
        StringBuilder keys = new StringBuilder(11 * 1024 * 1024);
        for (int i = 0; keys.length() < 10 * 1024 * 1024; i++) {
            keys.append("key").append(i).append(": 1\n");
        }
        Outcome o = load("keys.yaml", keys.toString());
        assertThat(o.error().getMessage()).endsWith(": larger than 4 MiB, which no config is");
        allocatedAtMost(o, 1 * MIB);
    }

    @Test
    void manyUnknownKeysUnderTheLimitCostBoundedMemory() throws Exception {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; keys.length() < YamlReader.MAX_CODE_POINTS - 20; i++) {
            keys.append("k").append(i).append(": 1\n");
        }
        Outcome o = load("many-keys.yaml", keys.toString());
        ConfigException e = positioned(o);
        assertThat(e.getMessage()).contains("unknown key 'k0'");
        // 100 listed, then one line for the rest: not 100,000 exceptions (which cost 600 MB)
        assertThat(e.all()).hasSize(Problems.MAX_LISTED + 1);
        assertThat(e.all().get(Problems.MAX_LISTED).problem()).matches("[0-9]+ more errors from here on, not listed: only the"
                + " first 100 are \\(is this file a numa-agent config\\?\\)");
        // the engine's own node tree is most of it (some 230 MB for 1 MB of short keys)
        allocatedAtMost(o, 512 * MIB);
    }

    @Test
    void hugeNumbersAreErrorsNotExceptions() throws Exception {
        String[] values = {"9".repeat(5000), "-" + "9".repeat(400), "1e400", "0x" + "f".repeat(300), "0o" + "7".repeat(300),
            ".inf", "-.inf", ".nan", "2147483648", "1_000"};
        for (String v : values) {
            positioned(load("number.yaml", "devices:\n  source: static\n  nodes: [" + v + "]\nprocess:\n  node: " + v
                    + "\nrules:\n  - {name: r, thread: x, node: " + v + "}\n"));
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() throws Exception {
        byte[][] samples = {
            {'a', ':', ' ', (byte) 0xC3},                        // truncated sequence
            {'a', ':', ' ', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate, encoded
            {'a', ':', ' ', (byte) 0xC0, (byte) 0xAF},           // overlong '/'
            {(byte) 0xFE, (byte) 0xFF, 0, 'a'},                  // UTF-16 big-endian BOM
            {(byte) 0xFF, (byte) 0xFE, 'a', 0},                  // UTF-16 little-endian BOM
        };
        for (byte[] bytes : samples) {
            Outcome o = load("bytes.yaml", bytes);
            assertThat(o.error().getMessage()).endsWith(": it is not UTF-8 text");
        }
    }

    @Test
    void utf8ByteOrderMarkIsSkipped() throws Exception {
        Outcome o = load("bom.yaml", "\uFEFFbinding:\n  cpus: node\n");
        assertThat(o.error()).isNull();
        assertThat(o.config()).isNotNull();
        // a second one: the engine skips it too, or it is content; never a crash
        Outcome twice = load("bom2.yaml", "\uFEFF\uFEFFbinding: {}\n");
        if (twice.error() != null) {
            positioned(twice);
        }
    }

    @Test
    void fifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("config.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo not available");
        // opening a FIFO nobody writes to blocks: the JVM would never start
        Outcome o = load(fifo);
        assertThat(o.error().getMessage()).isEqualTo("cannot read config file " + fifo
                + ": it is not a regular file (a pipe, device or socket); give the path of a YAML file");
    }

    @Test
    void endlessDevicesAreRefused() {
        for (String device : new String[] {"/dev/zero", "/dev/urandom"}) {
            Path path = Path.of(device);
            assumeTrue(Files.exists(path), device + " not available");
            Outcome o = load(path);
            assertThat(o.error().getMessage()).isEqualTo("cannot read config file " + device
                    + ": it is not a regular file (a pipe, device or socket); give the path of a YAML file");
            allocatedAtMost(o, 1 * MIB);
        }
    }

    @Test
    void symlinkToAnEndlessDeviceIsRefusedToo() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));
        assertThat(load(link).error().getMessage()).contains("it is not a regular file");
    }

    @Test
    void fileOfUnknownSizeIsReadOnlyUpToTheCap() {
        // /proc files say size 0 whatever they hold: reading stops at the cap, not at the end
        Path proc = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(proc), "no /proc");
        Outcome o = load(proc);
        positioned(o); // it is readable text, not a config
        allocatedAtMost(o, 64 * MIB);
    }

    @Test
    void symlinkLoopIsAClearRefusal() throws Exception {
        Path a = dir.resolve("a.yaml");
        Path b = dir.resolve("b.yaml");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        Outcome o = load(a);
        assertThat(o.error().position()).isNull();
        assertThat(o.error().getMessage()).startsWith("cannot read config file " + a + ": Too many levels of symbolic links");
    }
}
