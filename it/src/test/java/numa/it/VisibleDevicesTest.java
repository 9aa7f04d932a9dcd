package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * {@code CUDA_VISIBLE_DEVICES} remaps logical to physical devices: with {@code 2,0} the engine's
 * device 0 is physical GPU 2 (node 1) and its device 1 is physical GPU 0 (node 0). The classic
 * mistake is to bind device 0 to GPU 0's node. (The remap is the agent's own logic: one JDK.)
 */
class VisibleDevicesTest {
    @Test
    void logical_devices_follow_cuda_visible_devices() {
        FakeTopology topology = FakeTopology.onThisMachine()
                .nvidiaGpu("0000:3b:00.0", 0)
                .nvidiaGpu("0000:5e:00.0", 0)
                .nvidiaGpu("0000:86:00.0", 1)
                .nvidiaGpu("0000:af:00.0", 1);
        String config = """
                devices:
                  source: pci
                  pci: ["0000:3b:00.0", "0000:5e:00.0", "0000:86:00.0", "0000:af:00.0"]
                rules:
                  - name: gpu-workers
                    thread: 'gpu-worker-(\\d+)'
                    device: "$1"
                """;
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("visible-devices"))
                .sysfs(topology).config(config).env("CUDA_VISIBLE_DEVICES", "2,0")
                .app("--devices=2", "--pool=1", "--json").run();
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("logical 0 = physical 2, node 1%s", run)
                .isEqualTo(topology.cpusOf(1));
        assertThat(run.reports().named("gpu-worker-1").cpus()).as("logical 1 = physical 0, node 0%s", run)
                .isEqualTo(topology.cpusOf(0));
    }
}
