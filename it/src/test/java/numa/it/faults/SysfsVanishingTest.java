package numa.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;

/**
 * The sysfs tree the agent read goes away while the application runs (a hot-unplugged device's
 * directory, a bind mount a container runtime tears down): threads started afterwards are still
 * bound, and nothing is logged, because the agent reads sysfs at start only (topology, devices); it
 * keeps what it read. The whole tree is moved away, then late workers start.
 */
class SysfsVanishingTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1, 0, 1]
            binding:
              memory: none
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    @Test
    void threads_started_after_the_tree_is_gone_are_bound_as_before() throws Exception {
        Jdk jdk = Jdk.available().get(0);
        JvmRun launch = JvmRun.on(jdk, Artifacts.newRunDir("sysfs-vanishing")).sysfs(TOPOLOGY).config(CONFIG);
        Path control = launch.dir().resolve("control");
        Files.createDirectories(control);
        Path sys = launch.dir().resolve("sys");
        RunningJvm app = launch.app("--devices=2", "--pool=0", "--late-workers=2", "--control-dir=" + control,
                "--hold-ms=60000", "--json").start();
        try {
            app.awaitHolding();
            Files.move(sys, launch.dir().resolve("sys-gone"));
            assertThat(sys).doesNotExist();
            Files.createFile(control.resolve("start-late"));
            app.awaitStderr("late workers reported");
            Files.write(control.resolve("release"), new byte[0]);
            RunResult run = app.await();
            for (int device : List.of(2, 3)) {
                assertThat(run.reports().named("gpu-worker-" + device).cpus()).as("late gpu-worker-%d%s", device, run)
                        .isEqualTo(TOPOLOGY.cpusOf(device % 2));
            }
            assertThat(run.agentWarnings()).as("warnings%s", run).isEmpty();
        } finally {
            Files.write(control.resolve("release"), new byte[0]);
        }
    }
}
