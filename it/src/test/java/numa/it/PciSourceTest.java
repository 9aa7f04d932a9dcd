package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * Devices found on the (fake) PCI bus, their node read from {@code numa_node}, the way a real GPU
 * box is described, rather than listed by hand with {@code source: static}.
 */
class PciSourceTest {
    private static final String RULES = """
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    /**
     * {@code source: pci}: device i is the i-th listed bus id, written as users copy them (upper
     * case, NVML's 8-digit domain) and normalised to sysfs form. Device 1's {@code numa_node} is -1
     * (single-socket boxes, many VMs): it is skipped with one warning, its worker left alone.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void listed_bus_ids_map_devices_to_nodes_and_a_minus_one_node_is_skipped(Jdk jdk) {
        FakeTopology topology = FakeTopology.onThisMachine()
                .nvidiaGpu("0000:3b:00.0", 0)
                .nvidiaGpu("0000:5e:00.0", -1)
                .nvidiaGpu("0000:86:00.0", 1)
                .nvidiaGpu("0000:af:00.0", 1);
        String config = """
                devices:
                  source: pci
                  pci: ["0000:3B:00.0", "0000:5e:00.0", "00000000:86:00.0", "0000:AF:00.0"]
                """ + RULES;
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("pci-jdk" + jdk.feature()))
                .sysfs(topology).config(config).app("--devices=4", "--pool=1", "--json").run();

        assertThat(run.reports().named("gpu-worker-0").cpus()).as("device 0 on 0000:3b:00.0, node 0%s", run)
                .isEqualTo(topology.cpusOf(0));
        assertThat(run.reports().named("gpu-worker-1").cpus()).as("device 1 on 0000:5e:00.0, node -1%s", run)
                .isEqualTo(Host.allowedCpuList());
        assertThat(run.reports().named("gpu-worker-2").cpus()).as("device 2 on 0000:86:00.0, node 1%s", run)
                .isEqualTo(topology.cpusOf(1));
        assertThat(run.reports().named("gpu-worker-3").cpus()).as("device 3 on 0000:af:00.0, node 1%s", run)
                .isEqualTo(topology.cpusOf(1));
        assertThat(run.agentWarnings()).as("warnings%s", run)
                .filteredOn(l -> l.contains("0000:5e:00.0")).hasSize(1);
        assertThat(run.agentLines()).as("agent lines%s", run)
                .noneMatch(l -> l.startsWith("numa-agent: thread 'gpu-worker-1'") && l.contains("bound to"));
    }

    /**
     * {@code source: auto} without NVML falls back to the PCI functions of vendor 0x10de and class
     * 0x03xxxx in bus-id order. The NVIDIA audio function every GPU card has (class 0x0403) and a
     * NIC are not GPUs; the tree is written out of order so that order must come from the bus ids.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void auto_source_finds_nvidia_gpus_on_the_pci_bus_in_bus_order(Jdk jdk) {
        assumeFalse(Host.hasNvml(), "NVML is installed: source auto would find this machine's real GPUs");
        FakeTopology topology = FakeTopology.onThisMachine()
                .nvidiaGpu("0000:86:00.0", 1)
                .nvidiaGpu("0000:3b:00.0", 0)
                .pciDevice("0000:3b:00.1", FakeTopology.NVIDIA, 0x040300, 0)
                .pciDevice("0000:5e:00.0", 0x8086, FakeTopology.CLASS_ETHERNET, 0)
                .nvidiaGpu("0000:af:00.0", 1)
                .nvidiaGpu("0000:18:00.0", 0);
        String config = """
                devices:
                  source: auto
                """ + RULES;
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("pci-auto-jdk" + jdk.feature()))
                .sysfs(topology).config(config).app("--devices=4", "--pool=1", "--json").run();
        // bus order: 18 (node 0), 3b (node 0), 86 (node 1), af (node 1)
        int[] nodeOfDevice = {0, 0, 1, 1};
        for (int device = 0; device < nodeOfDevice.length; device++) {
            assertThat(run.reports().named("gpu-worker-" + device).cpus()).as("gpu-worker-%d%s", device, run)
                    .isEqualTo(topology.cpusOf(nodeOfDevice[device]));
        }
    }
}
