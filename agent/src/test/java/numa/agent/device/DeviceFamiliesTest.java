package numa.agent.device;

import static numa.agent.testing.FakeSysfs.CLASS_3D_CONTROLLER;
import static numa.agent.testing.FakeSysfs.CLASS_ACCELERATOR;
import static numa.agent.testing.FakeSysfs.CLASS_AUDIO;
import static numa.agent.testing.FakeSysfs.CLASS_VGA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import numa.agent.config.DevicesConfig;
import numa.agent.config.DevicesConfig.Source;
import numa.agent.config.DevicesConfig.UnknownNode;
import numa.agent.testing.FakeSysfs;
import numa.agent.topology.SysfsTopologyReader;
import numa.agent.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each accelerator family found from sysfs alone, numbered as its runtime numbers it, through its
 * visibility variables: the whole {@link DeviceDiscovery} path on fake trees.
 */
class DeviceFamiliesTest {
    static final int AMD = 0x1002;
    static final int HUAWEI = 0x19e5;
    static final int CAMBRICON = 0xcabc;
    static final int INTEL = 0x8086;
    static final int CLASS_ETHERNET = 0x020000;

    @TempDir
    Path sys;
    private final Map<String, String> env = new HashMap<>();

    private static FakeSysfs twoNodes() {
        return FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024);
    }

    private DeviceDiscovery.Result discover(DevicesConfig config) throws IOException {
        Topology topology = new SysfsTopologyReader(sys).read();
        return DeviceDiscovery.discover(config, sys, topology, true, false, env::get);
    }

    private static DevicesConfig source(Source source) {
        return new DevicesConfig(source, List.of(), List.of(), null, UnknownNode.SKIP);
    }

    /** A KFD topology node as amdgpu writes it: {@code gpu_id} beside {@code properties}. */
    private void kfdNode(int n, long gpuId, String busId, long uniqueId) throws IOException {
        Path dir = sys.resolve("class/kfd/kfd/topology/nodes/" + n);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("gpu_id"), gpuId + "\n");
        StringBuilder p = new StringBuilder("cpu_cores_count " + (gpuId == 0 ? 64 : 0) + "\nsimd_count " + (gpuId == 0 ? 0 : 1216) + "\n");
        if (busId != null) {
            BusId id = BusId.parse(busId);
            p.append("location_id ").append(id.bus() << 8 | id.device() << 3 | id.function()).append('\n')
                    .append("domain ").append(id.domain()).append('\n');
        }
        p.append("unique_id ").append(Long.toUnsignedString(uniqueId)).append('\n');
        Files.writeString(dir.resolve("properties"), p.toString());
    }

    // --- AMD -----------------------------------------------------------------------------------

    /** Bus order: 0c 22 38 5c on node 0, 9f af bf df on node 1. */
    private static final String[] AMD_BUSES = {"0000:0c:00.0", "0000:22:00.0", "0000:38:00.0", "0000:5c:00.0",
            "0000:9f:00.0", "0000:af:00.0", "0000:bf:00.0", "0000:df:00.0"};
    /** KFD order (as on an MI300X box): not bus order. */
    private static final int[] KFD_ORDER = {6, 0, 7, 1, 4, 2, 5, 3};

    private void eightAmdGpus() throws IOException {
        FakeSysfs tree = twoNodes();
        for (int i = 0; i < AMD_BUSES.length; i++) {
            tree.pciDevice(AMD_BUSES[i], AMD, CLASS_ACCELERATOR, i < 4 ? 0 : 1);
            tree.pciDevice(AMD_BUSES[i].replace(":00.0", ":00.1"), AMD, CLASS_AUDIO, i < 4 ? 0 : 1);
        }
        tree.write(sys);
        kfdNode(0, 0, null, 0); // the CPU node
        for (int k = 0; k < KFD_ORDER.length; k++) {
            kfdNode(k + 1, 1000 + k, AMD_BUSES[KFD_ORDER[k]], 0xa1b2c3d4e5f60000L + KFD_ORDER[k]);
        }
    }

    @Test
    void amdGpusAreInKfdOrderNotBusOrderWithRocmUuids() throws IOException {
        eightAmdGpus();

        DeviceDiscovery.Result r = discover(source(Source.AMD));

        assertThat(r.devices()).extracting(Device::busId)
                .containsExactly(AMD_BUSES[6], AMD_BUSES[0], AMD_BUSES[7], AMD_BUSES[1], AMD_BUSES[4], AMD_BUSES[2],
                        AMD_BUSES[5], AMD_BUSES[3]);
        assertThat(r.devices()).extracting(Device::node).containsExactly(1, 0, 1, 0, 1, 0, 1, 0);
        assertThat(r.devices().get(0).uuid()).isEqualTo("GPU-a1b2c3d4e5f60006");
        assertThat(r.family()).isEqualTo("amd");
        assertThat(r.numbering()).startsWith("KFD topology order");
        assertThat(r.visibility()).isEqualTo("ROCR_VISIBLE_DEVICES, then HIP_VISIBLE_DEVICES"
                + " (or CUDA_VISIBLE_DEVICES when it is unset) (not set)");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void rocrVisibleDevicesFirstThenHipVisibleDevicesReindexesWhatIsLeft() throws IOException {
        eightAmdGpus();
        // ROCr: KFD GPUs 3 (5c, node 0), the one with UUID ...0004 (KFD 4: 9f, node 1), 7 (5c? no: 3 = 5c)
        env.put("ROCR_VISIBLE_DEVICES", "3,GPU-a1b2c3d4e5f60004,6");
        env.put("HIP_VISIBLE_DEVICES", "2,0");

        DeviceDiscovery.Result r = discover(source(Source.AMD));

        // after ROCr: [KFD 3 = 22 (node 0), KFD 4 = 9f (node 1), KFD 6 = af (node 1)]; HIP 2,0 -> af, 22
        assertThat(r.devices()).extracting(Device::index, Device::physicalIndex, Device::busId, Device::node)
                .containsExactly(tuple(0, 6, "0000:af:00.0", 1), tuple(1, 3, "0000:22:00.0", 0));
        assertThat(r.visibility()).isEqualTo("ROCR_VISIBLE_DEVICES='3,GPU-a1b2c3d4e5f60004,6', then HIP_VISIBLE_DEVICES='2,0'");
        assertThat(r.leftOut()).filteredOn(l -> l.physicalIndex() == 4).singleElement()
                .extracting(LeftOut::why).isEqualTo("hidden by HIP_VISIBLE_DEVICES='2,0'");
        assertThat(r.leftOut()).filteredOn(l -> l.physicalIndex() == 0).singleElement()
                .extracting(LeftOut::why).isEqualTo("hidden by ROCR_VISIBLE_DEVICES='3,GPU-a1b2c3d4e5f60004,6'");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void hipReadsCudaVisibleDevicesWhenHipVisibleDevicesIsUnset() throws IOException {
        eightAmdGpus();
        env.put("CUDA_VISIBLE_DEVICES", "1");

        assertThat(discover(source(Source.AMD)).devices()).extracting(Device::busId).containsExactly(AMD_BUSES[0]);
    }

    @Test
    void cpxComputePartitionsAreGpusOnTheirCardsNode() throws IOException {
        // two MI300X in CPX mode: each card's XCDs are GPU nodes at functions .0-.3; only .0 is a PCI function
        twoNodes().pciDevice("0000:0c:00.0", AMD, CLASS_ACCELERATOR, 0).pciDevice("0000:9f:00.0", AMD, CLASS_ACCELERATOR, 1)
                .write(sys);
        kfdNode(0, 0, null, 0);
        int n = 1;
        for (String card : List.of("0000:9f:00", "0000:0c:00")) {
            for (int f = 0; f < 4; f++) {
                kfdNode(n++, 2000 + n, card + "." + f, 0x100L * n);
            }
        }

        DeviceDiscovery.Result r = discover(source(Source.AMD));

        assertThat(r.devices()).extracting(Device::busId, Device::node).containsExactly(
                tuple("0000:9f:00.0", 1), tuple("0000:9f:00.1", 1), tuple("0000:9f:00.2", 1), tuple("0000:9f:00.3", 1),
                tuple("0000:0c:00.0", 0), tuple("0000:0c:00.1", 0), tuple("0000:0c:00.2", 0), tuple("0000:0c:00.3", 0));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void withoutKfdAmdFallsBackToBusOrderAndSaysHipMayDiffer() throws IOException {
        twoNodes().pciDevice("0000:9f:00.0", AMD, CLASS_ACCELERATOR, 1).pciDevice("0000:0c:00.0", AMD, CLASS_VGA, 0)
                .pciDevice("0000:0c:00.1", AMD, CLASS_AUDIO, 0).pciDevice("0000:a0:00.0", 0x1d94, CLASS_3D_CONTROLLER, 1)
                .write(sys);

        DeviceDiscovery.Result r = discover(source(Source.AMD));

        assertThat(r.devices()).extracting(Device::busId).containsExactly("0000:0c:00.0", "0000:9f:00.0", "0000:a0:00.0");
        assertThat(r.numbering()).startsWith("PCI bus order: no KFD topology under").contains("HIP numbers GPUs in KFD order");
        assertThat(r.leftOut()).extracting(LeftOut::what).containsExactly("0000:0c:00.1 (vendor 0x1002, class 0x040300)");
    }

    @Test
    void autoFindsAmdThroughKfd() throws IOException {
        eightAmdGpus();

        DeviceDiscovery.Result r = discover(DevicesConfig.defaults());

        assertThat(r.family()).isEqualTo("amd");
        assertThat(r.devices()).hasSize(8);
        assertThat(r.devices().get(0).busId()).isEqualTo(AMD_BUSES[6]);
    }

    // --- Ascend --------------------------------------------------------------------------------

    private void ascendBoxWithHuaweiNics() {
        FakeSysfs tree = twoNodes();
        String[] npus = {"0000:c1:00.0", "0000:01:00.0", "0000:c2:00.0", "0000:02:00.0"};
        int[] nodes = {1, 0, 1, 0};
        for (int i = 0; i < npus.length; i++) {
            tree.pciDevice(npus[i], HUAWEI, CLASS_ACCELERATOR, nodes[i]);
        }
        tree.pciDevice("0000:3d:00.0", HUAWEI, CLASS_ETHERNET, 0).pciDevice("0000:bd:00.0", HUAWEI, CLASS_ETHERNET, 1);
        tree.write(sys);
    }

    @Test
    void ascendNpusAreTheAcceleratorFunctionsNotTheHuaweiNics() throws IOException {
        ascendBoxWithHuaweiNics();

        DeviceDiscovery.Result r = discover(source(Source.ASCEND));

        assertThat(r.devices()).extracting(Device::busId, Device::node).containsExactly(tuple("0000:01:00.0", 0),
                tuple("0000:02:00.0", 0), tuple("0000:c1:00.0", 1), tuple("0000:c2:00.0", 1));
        assertThat(r.numbering()).contains("sysfs does not give Ascend logical ids").contains("devices.pci");
        assertThat(r.leftOut()).extracting(LeftOut::toString).containsExactly(
                "0000:3d:00.0 (vendor 0x19e5, class 0x020000): not an NPU: its class is not 0x12 (processing accelerator)",
                "0000:bd:00.0 (vendor 0x19e5, class 0x020000): not an NPU: its class is not 0x12 (processing accelerator)");
    }

    @Test
    void ascendRtVisibleDevicesKeepsAscendingOrder() throws IOException {
        ascendBoxWithHuaweiNics();
        env.put("ASCEND_RT_VISIBLE_DEVICES", "3,1");

        DeviceDiscovery.Result r = discover(source(Source.ASCEND));

        assertThat(r.devices()).extracting(Device::index, Device::physicalIndex, Device::node)
                .containsExactly(tuple(0, 1, 0), tuple(1, 3, 1));
        assertThat(r.warnings()).singleElement().asString().isEqualTo("ASCEND_RT_VISIBLE_DEVICES='3,1' is not in ascending"
                + " order; the Ascend runtime numbers the devices it shows in ascending order, and so does the agent:"
                + " write them ascending");
    }

    @Test
    void ascendLogicalOrderFromDevicesPci() throws IOException {
        ascendBoxWithHuaweiNics();
        DevicesConfig config = new DevicesConfig(Source.ASCEND, List.of("c1:00.0", "c2:00.0", "01:00.0", "02:00.0"),
                List.of(), null, UnknownNode.SKIP);

        DeviceDiscovery.Result r = discover(config);

        assertThat(r.devices()).extracting(Device::node).containsExactly(1, 1, 0, 0);
        assertThat(r.devices()).extracting(Device::source).containsOnly("ascend");
        assertThat(r.numbering()).isEqualTo("as devices.pci lists them");
    }

    // --- Cambricon -----------------------------------------------------------------------------

    @Test
    void cambriconMlusWithMluVisibleDevicesOrItsOlderName() throws IOException {
        twoNodes().pciDevice("0000:1a:00.0", CAMBRICON, CLASS_ACCELERATOR, 0).pciDevice("0000:3d:00.0", CAMBRICON, CLASS_ACCELERATOR, 0)
                .pciDevice("0000:b1:00.0", CAMBRICON, CLASS_ACCELERATOR, 1).write(sys);

        assertThat(discover(source(Source.CAMBRICON)).devices()).extracting(Device::node).containsExactly(0, 0, 1);

        env.put("CAMBRICON_VISIBLE_DEVICES", "2,0");
        DeviceDiscovery.Result older = discover(source(Source.CAMBRICON));
        assertThat(older.devices()).extracting(Device::busId).containsExactly("0000:b1:00.0", "0000:1a:00.0");

        env.put("MLU_VISIBLE_DEVICES", "1");
        DeviceDiscovery.Result both = discover(source(Source.CAMBRICON));
        assertThat(both.devices()).extracting(Device::busId).containsExactly("0000:3d:00.0");
        assertThat(both.visibility()).isEqualTo("MLU_VISIBLE_DEVICES='1'");
        assertThat(discover(DevicesConfig.defaults()).family()).isEqualTo("cambricon");
    }

    // --- Intel ---------------------------------------------------------------------------------

    private void intelGpus() {
        twoNodes().pciDevice("0000:00:02.0", INTEL, CLASS_VGA, 0) // integrated graphics
                .pciDevice("0000:00:1f.3", INTEL, CLASS_AUDIO, 0)
                .pciDevice("0000:29:00.0", INTEL, 0x038000, 0).pciDevice("0000:9a:00.0", INTEL, 0x038000, 1)
                .pciDevice("0000:00:00.0", INTEL, 0x060000, 0) // host bridge
                .write(sys);
    }

    @Test
    void intelGpusWithZeAffinityMaskDevicesAndSubdevices() throws IOException {
        intelGpus();
        env.put("ZE_AFFINITY_MASK", "2.1,2.0,1");

        DeviceDiscovery.Result r = discover(source(Source.INTEL));

        // physical: 00:02.0, 29:00.0, 9a:00.0; the mask picks card 2's two tiles, then card 1
        assertThat(r.devices()).extracting(Device::index, Device::physicalIndex, Device::node)
                .containsExactly(tuple(0, 2, 1), tuple(1, 2, 1), tuple(2, 1, 0));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.leftOut()).extracting(LeftOut::what).contains("0000:00:1f.3 (vendor 0x8086, class 0x040300)",
                "0000:00:00.0 (vendor 0x8086, class 0x060000)");
    }

    @Test
    void autoLeavesOutIntegratedGraphicsSoAnNvidiaWorkstationIsNotTwoFamilies() throws IOException {
        intelGpus();
        Files.delete(sys.resolve("bus/pci/devices/0000:29:00.0"));
        Files.delete(sys.resolve("bus/pci/devices/0000:9a:00.0"));
        FakeSysfs.create().nvidiaGpu("0000:01:00.0", 0).write(sys);

        DeviceDiscovery.Result r = discover(DevicesConfig.defaults());

        assertThat(r.family()).isEqualTo("nvidia");
        assertThat(r.warnings()).isEmpty();
    }

    // --- Habana Gaudi through accel ------------------------------------------------------------

    @Test
    void habanaVisibleModulesNamesModuleIds() throws IOException {
        twoNodes().accel(0, "0000:19:00.0", 0).accel(1, "0000:33:00.0", 0).accel(2, "0000:9a:00.0", 1)
                .accel(3, "0000:b3:00.0", 1).write(sys);
        int[] modules = {2, 3, 0, 1};
        for (int i = 0; i < 4; i++) {
            Files.writeString(sys.resolve("class/accel/accel" + i + "/device/module_id"), modules[i] + "\n");
        }
        env.put("HABANA_VISIBLE_MODULES", "1,2");

        DeviceDiscovery.Result r = discover(DevicesConfig.defaults());

        // module 2 is accel0 (node 0), module 1 is accel3 (node 1): shown in accel order
        assertThat(r.devices()).extracting(Device::index, Device::physicalIndex, Device::node)
                .containsExactly(tuple(0, 0, 0), tuple(1, 3, 1));
        assertThat(r.family()).isEqualTo("accel");
    }

    // --- auto, vendor, the old key -------------------------------------------------------------

    @Test
    void twoFamiliesOnOneHostAreAnErrorAskingForSource() throws IOException {
        twoNodes().nvidiaGpu("0000:3b:00.0", 0).pciDevice("0000:9f:00.0", AMD, CLASS_ACCELERATOR, 1).write(sys);

        DeviceDiscovery.Result r = discover(DevicesConfig.defaults());

        assertThat(r.devices()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().isEqualTo("devices (source auto): this host has devices of"
                + " more than one family: nvidia (1: 0000:3b:00.0); amd (1: 0000:9f:00.0); the numbers rules give mean"
                + " different devices in each, so devices.source: auto picks none: set devices.source to the family the"
                + " application drives (nvidia or amd)");
    }

    @Test
    void genericVendorScanFindsDisplayAndAcceleratorFunctions() throws IOException {
        twoNodes().pciDevice("0000:4f:00.0", 0x9999, CLASS_3D_CONTROLLER, 0).pciDevice("0000:4f:00.1", 0x9999, CLASS_AUDIO, 0)
                .pciDevice("0000:cf:00.0", 0x9999, CLASS_ACCELERATOR, 1).write(sys);
        DevicesConfig config = new DevicesConfig(Source.VENDOR, List.of(), List.of(), null, UnknownNode.SKIP, 0x9999);

        DeviceDiscovery.Result r = discover(config);

        assertThat(r.devices()).extracting(Device::busId, Device::node, Device::source)
                .containsExactly(tuple("0000:4f:00.0", 0, "vendor"), tuple("0000:cf:00.0", 1, "vendor"));
        assertThat(r.visibility()).isEqualTo("none");
        env.put("MUSA_VISIBLE_DEVICES", "1");
        assertThat(discover(config.withVisibleEnv("MUSA_VISIBLE_DEVICES")).devices()).extracting(Device::node).containsExactly(1);
    }

    @Test
    void visibleEnvStillOverridesTheFamilysVariables() throws IOException {
        eightAmdGpus();
        env.put("ROCR_VISIBLE_DEVICES", "0");
        env.put("MY_GPUS", "1");

        DeviceDiscovery.Result r = discover(source(Source.AMD).withVisibleEnv("MY_GPUS"));
        assertThat(r.devices()).extracting(Device::busId).containsExactly(AMD_BUSES[0]);

        DeviceDiscovery.Result none = discover(source(Source.AMD).withVisibleEnv(""));
        assertThat(none.devices()).hasSize(8);
    }
}
