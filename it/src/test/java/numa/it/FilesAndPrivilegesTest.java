package numa.it;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * What the agent writes, and with which rights it runs. Its one file on disk is JNA's native stub,
 * which must go into a fresh owner-only directory (never through a link planted at JNA's default
 * cache path, never readable-writable by others even under umask 000) and be gone after start-up;
 * and binding needs no privilege beyond the process's own (sched_setaffinity on its own threads).
 */
class FilesAndPrivilegesTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** Runs a command with umask 000: whatever the JVM creates with its default mode is then 0666/0777. */
    private static final String[] UMASK_000 = {"/bin/sh", "-c", "umask 000; exec \"$@\"", "sh"};

    /** A run whose java.io.tmpdir and HOME are folders of its own, so that what it writes there is visible. */
    private record Places(Path dir, Path tmp, Path home, Jdk jdk) {
        static Places make(String label) throws IOException {
            return make(label, Jdk.current());
        }

        static Places make(String label, Jdk jdk) throws IOException {
            Path dir = Artifacts.newRunDir(label);
            Path tmp = Files.createDirectory(dir.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx")); // shared, like /tmp
            Path home = Files.createDirectory(dir.resolve("home"));
            return new Places(dir, tmp, home, jdk);
        }

        JvmRun jvm() {
            return JvmRun.on(jdk, dir).sysfs(TOPOLOGY).config(BoundConfig.YAML)
                    .env("HOME", home.toString()).env("XDG_CACHE_HOME", home.resolve(".cache").toString())
                    .jvmOption("-Djava.io.tmpdir=" + tmp)
                    .app("--devices=4", "--json");
        }
    }

    /** JNA loads through the agent's own module on JDK 22+ (JnaModule): both paths. */
    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static void assertBound(RunResult run) {
        for (int device = 0; device < 4; device++) {
            assertThat(run.reports().named("gpu-worker-" + device).cpus()).as("gpu-worker-%d%s", device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(BoundConfig.NODE_OF_DEVICE[device]));
        }
    }

    /** Everything under {@code root}, links not followed. */
    private static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).toList();
        }
    }

    /**
     * Paths under {@code root} another user could write: world-writable themselves, and reachable
     * (every folder between {@code root} and them searchable by others).
     */
    private static List<Path> writableByOthers(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path p : walk(root)) {
            if (Files.isSymbolicLink(p) || !Files.getPosixFilePermissions(p, NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OTHERS_WRITE)) {
                continue;
            }
            boolean reachable = true;
            for (Path d = p.getParent(); !d.equals(root); d = d.getParent()) {
                reachable &= Files.getPosixFilePermissions(d, NOFOLLOW_LINKS).contains(PosixFilePermission.OTHERS_EXECUTE);
            }
            if (reachable) {
                found.add(p);
            }
        }
        return found;
    }

    /**
     * A link planted at JNA's default extraction folder ($XDG_CACHE_HOME/JNA/temp) is not followed,
     * and under umask 000 the stub is in an owner-only folder. {@code jnidispatch.preserve} keeps the
     * unpacked file (JNA deletes it once loaded) so that where it went can be seen.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void the_native_stub_goes_to_a_fresh_owner_only_folder_and_no_planted_link_is_followed(Jdk jdk) throws Exception {
        Places places = Places.make("files-jna-link-jdk" + jdk.feature(), jdk);
        Path attacker = Files.createDirectory(places.dir().resolve("attacker"));
        Path jnaCache = Files.createDirectories(places.home().resolve(".cache/JNA"));
        Files.createSymbolicLink(jnaCache.resolve("temp"), attacker);

        RunResult run = places.jvm().wrappedIn(UMASK_000).jvmOption("-Djnidispatch.preserve=true").run();
        assertBound(run); // JNA's stub loaded: the agent bound the workers

        assertThat(walk(attacker)).as("written through the planted link%s", run).isEmpty();
        List<Path> inTmp = walk(places.tmp());
        Path privateDir = inTmp.stream().filter(p -> p.getParent().equals(places.tmp())).findFirst().orElseThrow(
                () -> new AssertionError("the preserved stub is not under java.io.tmpdir: " + inTmp + run));
        assertThat(privateDir.getFileName().toString()).startsWith("numa-agent-jna-");
        assertThat(Files.isDirectory(privateDir, NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.getPosixFilePermissions(privateDir, NOFOLLOW_LINKS)).as("under umask 000%s", run)
                .isEqualTo(OWNER_ONLY);
        assertThat(walk(privateDir)).as("the preserved stub").isNotEmpty();
        assertThat(writableByOthers(places.tmp())).as("files others could replace%s", run).isEmpty();
        assertThat(writableByOthers(places.home())).as("files others could replace%s", run).isEmpty();
    }

    /** Without preserving, the stub and its folder are gone after start-up: nothing is left in tmp. */
    @Test
    void nothing_is_left_in_tmp_after_start_up() throws Exception {
        Places places = Places.make("files-nothing-left");
        RunResult run = places.jvm().wrappedIn(UMASK_000).run();
        assertBound(run);
        assertThat(walk(places.tmp())).as("left in java.io.tmpdir%s", run).isEmpty();
        assertThat(walk(places.home())).as("written to HOME%s", run).isEmpty();
    }

    /**
     * As {@code nobody} (setpriv drops root's uid, gid and groups; CI runs as root): the agent loads,
     * binds every worker (sched_setaffinity on the JVM's own threads needs no capability) and logs.
     */
    @Test
    void an_unprivileged_user_gets_the_same_bindings() throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        assumeTrue(Files.isExecutable(setpriv), "setpriv(1) is not installed");
        Process id = new ProcessBuilder("id", "-u", "nobody").start();
        assumeTrue(id.waitFor(30, TimeUnit.SECONDS) && id.exitValue() == 0, "no user 'nobody'");
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can switch to nobody");
        Places places = Places.make("files-nobody");
        // the run folder is made owner-only (by root): nobody needs to read the config and fake sysfs
        Files.setPosixFilePermissions(places.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        JvmRun jvm = places.jvm().wrappedIn(setpriv.toString(), "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        RunResult run = jvm.run();
        assertBound(run);
        assertThat(run.agentLines()).as("%s", run).anySatisfy(l -> assertThat(l).contains("thread 'gpu-worker-0'")
                .contains("bound to node 0"));
        assertThat(run.agentWarnings()).as("%s", run).noneSatisfy(w -> assertThat(w).containsAnyOf("permission",
                "EPERM", "not permitted"));
        assertThat(walk(places.tmp())).as("left in java.io.tmpdir%s", run).isEmpty();
    }
}
