package numa.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;

/**
 * The agent needs no libnuma: it makes the four system calls itself (JNA direct mapping, libc's
 * {@code syscall(2)} for the memory-policy calls glibc does not wrap). Shown on a running JVM whose
 * threads the agent bound, CPUs and memory policy: its memory map holds JNA's stub and no libnuma,
 * even on a host where libnuma is installed.
 */
class LibnumaAbsentTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0]
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    @Test
    void a_bound_jvm_has_no_libnuma_mapped() throws Exception {
        Jdk jdk = Jdk.available().get(0);
        JvmRun launch = JvmRun.on(jdk, Artifacts.newRunDir("no-libnuma")).sysfs(TOPOLOGY).config(CONFIG);
        Path control = launch.dir().resolve("control");
        Files.createDirectories(control);
        RunningJvm app = launch.app("--devices=1", "--pool=0", "--control-dir=" + control, "--hold-ms=60000", "--json")
                .start();
        String maps;
        try {
            app.awaitHolding();
            maps = Files.readString(Path.of("/proc/" + app.pid() + "/maps"));
        } finally {
            Files.write(control.resolve("release"), new byte[0]);
        }
        RunResult run = app.await();
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0 bound%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(run.agentLines()).as("memory policy set too%s", run)
                .anySatisfy(l -> assertThat(l).contains("thread 'gpu-worker-0'").contains("memory=preferred"));
        // JNA's stub, unpacked by JNA as jna<number>.tmp (or libjnidispatch*.so from a private copy)
        assertThat(maps.lines()).as("the agent's native code is mapped").anyMatch(l -> l.matches(
                ".*/(jna\\d+\\.tmp|libjnidispatch[^/]*\\.so)( \\(deleted\\))?$"));
        assertThat(maps).as("no libnuma").doesNotContain("libnuma");
    }
}
