package numa.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * JNA's temporary folder ({@code jna.tmpdir}, and {@code java.io.tmpdir}) on a real {@code noexec}
 * tmpfs, mounted in a private mount namespace ({@code unshare -m}) for the one JVM: JNA would unpack
 * its stub there and dlopen would refuse it. The agent gives JNA a copy in the user's own cache
 * folder instead ({@code $XDG_CACHE_HOME/numa-agent}, 0700) and binds as usual; where that folder is
 * noexec too, or is a link, it says one line and the application runs unbound.
 */
class NoexecTmpdirTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            binding:
              memory: none
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;
    /** Mounts a noexec tmpfs on $0, then runs the JVM: the mount exists only for it. */
    private static final String MOUNT_THEN_EXEC = "mount -t tmpfs -o noexec,mode=1777 tmpfs \"$0\" && exec \"$@\"";

    @BeforeAll
    static void privateMountsArePossible() throws Exception {
        Path probe = Artifacts.newRunDir("noexec-probe").resolve("mnt");
        Files.createDirectories(probe);
        Process p;
        try {
            p = new ProcessBuilder("unshare", "-m", "sh", "-c", MOUNT_THEN_EXEC, probe.toString(), "true")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("unshare cannot be run here (" + e.getMessage() + "): no private noexec mount to test with");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                "mounting a tmpfs in a private mount namespace is not permitted here (needs root or CAP_SYS_ADMIN): " + out);
    }

    private static JvmRun launch(Jdk jdk, String label, Path cache) throws Exception {
        Path dir = Artifacts.newRunDir("noexec-" + label + "-jdk" + jdk.feature());
        Path tmp = dir.resolve("noexec-tmp");
        Files.createDirectories(tmp);
        return JvmRun.on(jdk, dir)
                .wrappedIn("unshare", "-m", "sh", "-c", MOUNT_THEN_EXEC, tmp.toString())
                .jvmOption("-Djna.tmpdir=" + tmp).jvmOption("-Djava.io.tmpdir=" + tmp)
                .env("XDG_CACHE_HOME", cache == null ? tmp.resolve("cache").toString() : cache.toString())
                .sysfs(TOPOLOGY).config(CONFIG)
                .app("--devices=2", "--pool=0", "--json");
    }

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void jna_loads_from_a_private_copy_and_threads_are_bound(Jdk jdk) throws Exception {
        Path cache = Artifacts.newRunDir("noexec-cache-jdk" + jdk.feature()).resolve("cache");
        RunResult run = launch(jdk, "private-copy", cache).run();
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(run.reports().named("gpu-worker-1").cpus()).as("gpu-worker-1%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(run.agentWarnings()).as("warnings%s", run).isEmpty();
        Path folder = cache.resolve("numa-agent");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)))
                .as("the private folder").isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.toList()).as("what the agent left there").singleElement().satisfies(f -> {
                assertThat(f.getFileName().toString()).matches("libjnidispatch-[0-9a-f]{32}\\.so");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)))
                        .isEqualTo("rw-------");
            });
        }
    }

    @Test
    void where_the_cache_folder_is_noexec_too_one_line_says_why_and_the_application_runs_unbound() throws Exception {
        Jdk jdk = Jdk.available().get(0);
        RunResult run = launch(jdk, "cache-noexec", null).run();
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0%s", run).isEqualTo(Host.allowedCpuList());
        assertThat(run.linesNotFromApp()).as("stderr%s", run).singleElement().asString()
                .contains("cannot bind threads here").contains("is on a noexec mount, and so is")
                .contains("point -Djna.tmpdir at a directory where files may be executed");
    }

    @Test
    void a_cache_folder_that_is_a_link_is_not_followed() throws Exception {
        Jdk jdk = Jdk.available().get(0);
        Path cache = Artifacts.newRunDir("noexec-link-cache").resolve("cache");
        Path elsewhere = cache.resolveSibling("elsewhere");
        Files.createDirectories(elsewhere);
        Files.createDirectories(cache);
        Files.createSymbolicLink(cache.resolve("numa-agent"), elsewhere);
        RunResult run = launch(jdk, "cache-link", cache).run();
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0%s", run).isEqualTo(Host.allowedCpuList());
        assertThat(run.linesNotFromApp()).as("stderr%s", run).singleElement().asString()
                .contains("cannot bind threads here").contains("not a directory of this user");
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files.toList()).as("nothing written through the link").isEmpty();
        }
    }
}
