package numa.agent.device;

import static numa.agent.testing.FakeSysfs.CLASS_3D_CONTROLLER;
import static numa.agent.testing.FakeSysfs.CLASS_AUDIO;
import static numa.agent.testing.FakeSysfs.CLASS_BRIDGE;
import static numa.agent.testing.FakeSysfs.CLASS_VGA;
import static numa.agent.testing.FakeSysfs.NVIDIA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import numa.agent.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static, PCI, accel and auto sources against fake sysfs trees (NVML is in NvidiaDevicesTest). */
class LocatorsTest {
    @TempDir
    Path sys;

    private static FakeSysfs twoNodes() {
        return FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024);
    }

    @Test
    void staticDevicesAreTheListedNodes() throws DeviceException {
        List<Device> ds = new StaticDevices(List.of(0, 0, 1, 1)).locate();

        assertThat(ds).extracting(Device::node).containsExactly(0, 0, 1, 1);
        assertThat(ds).extracting(Device::index).containsExactly(0, 1, 2, 3);
        assertThat(ds).extracting(Device::physicalIndex).containsExactly(0, 1, 2, 3);
        assertThat(ds).allSatisfy(d -> assertThat(d.source()).isEqualTo("static"));
    }

    @Test
    void staticDevicesRejectANegativeNodeOtherThanUnknown() throws DeviceException {
        assertThat(new StaticDevices(List.of(-1)).locate().get(0).nodeKnown()).isFalse();
        assertThatThrownBy(() -> new StaticDevices(List.of(0, -2)).locate()).isInstanceOf(DeviceException.class)
                .hasMessageContaining("devices.nodes[1] is -2");
        assertThatThrownBy(() -> new StaticDevices(Arrays.asList(0, null)).locate())
                .hasMessageContaining("devices.nodes[1] is null");
    }

    @Test
    void pciDevicesReadNumaNodeOfEachBusIdInConfiguredOrder() throws DeviceException {
        twoNodes().nvidiaGpu("0000:3b:00.0", 0).nvidiaGpu("0000:86:00.0", 1).write(sys);

        List<Device> ds = new PciDevices(sys, List.of("00000000:86:00.0", "3B:00.0")).locate();

        assertThat(ds).extracting(Device::busId).containsExactly("0000:86:00.0", "0000:3b:00.0");
        assertThat(ds).extracting(Device::node).containsExactly(1, 0);
        assertThat(ds).extracting(Device::source).containsOnly("pci");
    }

    @Test
    void pciDeviceWithNumaNodeMinusOneOrNoFileIsUnknown() throws DeviceException {
        twoNodes().nvidiaGpu("0000:3b:00.0", -1).pciDeviceWithoutNumaNode("0000:3c:00.0", NVIDIA, CLASS_3D_CONTROLLER)
                .write(sys);

        List<Device> ds = new PciDevices(sys, List.of("0000:3b:00.0", "0000:3c:00.0")).locate();

        assertThat(ds).extracting(Device::node).containsExactly(-1, -1);
    }

    @Test
    void pciDeviceFoundUnderAWideDomain() throws DeviceException {
        twoNodes().nvidiaGpu("10000:e1:00.0", 1).write(sys);

        List<Device> ds = new PciDevices(sys, List.of("00010000:E1:00.0")).locate();

        assertThat(ds.get(0).busId()).isEqualTo("10000:e1:00.0");
        assertThat(ds.get(0).node()).isEqualTo(1);
    }

    @Test
    void missingPciFunctionNamesBusIdPathAndWhatToCheck() {
        twoNodes().nvidiaGpu("0000:3b:00.0", 0).write(sys);

        assertThatThrownBy(() -> new PciDevices(sys, List.of("0000:3B:00.0", "0000:AF:00.0")).locate())
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("no PCI function 0000:af:00.0 under " + sys.resolve("bus/pci/devices"))
                .hasMessageContaining("devices.pci[1]")
                .hasMessageContaining("lspci -D");
    }

    @Test
    void malformedPciBusIdSaysWhichEntry() {
        twoNodes().write(sys);

        assertThatThrownBy(() -> new PciDevices(sys, List.of("gpu0")).locate())
                .hasMessageContaining("devices.pci[0]").hasMessageContaining("'gpu0'");
    }

    @Test
    void accelDevicesInNumericOrderWithBusIdAndNode() throws DeviceException {
        FakeSysfs fake = twoNodes();
        for (int n : new int[] {10, 2, 0, 1}) {
            fake.accel(n, String.format("0000:%02x:00.0", 0x10 + n), n % 2);
        }
        fake.write(sys);

        List<Device> ds = new AccelDevices(sys).locate();

        assertThat(ds).extracting(Device::busId)
                .containsExactly("0000:10:00.0", "0000:11:00.0", "0000:12:00.0", "0000:1a:00.0");
        assertThat(ds).extracting(Device::node).containsExactly(0, 1, 0, 0);
        assertThat(ds).extracting(Device::index).containsExactly(0, 1, 2, 3);
        assertThat(ds).extracting(Device::source).containsOnly("accel");
    }

    @Test
    void accelPlatformDeviceHasNoBusId() throws DeviceException {
        twoNodes().accel(0, null, 1).write(sys);

        Device d = new AccelDevices(sys).locate().get(0);

        assertThat(d.busId()).isNull();
        assertThat(d.node()).isEqualTo(1);
    }

    @Test
    void noAccelClassMeansNoDevices() throws DeviceException {
        twoNodes().write(sys);

        assertThat(new AccelDevices(sys).locate()).isEmpty();
    }

    @Test
    void pciScanKeepsNvidiaDisplayFunctionsInBusOrder() throws DeviceException {
        twoNodes()
                .nvidiaGpu("0000:3b:00.0", 0)
                .pciDevice("0000:3b:00.1", NVIDIA, CLASS_AUDIO, 0)       // the card's HDMI audio
                .pciDevice("0000:0a:00.0", NVIDIA, CLASS_VGA, 0)         // a VGA GPU, lower bus
                .pciDevice("0000:86:00.0", NVIDIA, 0x068000, 1)          // an NVSwitch bridge
                .pciDevice("0000:3a:00.0", 0x8086, CLASS_BRIDGE, 0)      // someone else's bridge
                .pciDevice("0000:40:00.0", 0x1002, CLASS_3D_CONTROLLER, 0) // an AMD GPU
                .nvidiaGpu("0000:af:00.0", 1)
                .nvidiaGpu("10000:01:00.0", -1)                          // behind VMD: sorts last,
                .nvidiaGpu("ffff:00:00.0", 1)                            // after ffff, though not as text
                .write(sys);

        List<Device> ds = new NvidiaDevices(sys, null).locate();

        assertThat(ds).extracting(Device::busId)
                .containsExactly("0000:0a:00.0", "0000:3b:00.0", "0000:af:00.0", "ffff:00:00.0", "10000:01:00.0");
        assertThat(ds).extracting(Device::node).containsExactly(0, 0, 1, 1, -1);
        assertThat(ds).extracting(Device::physicalIndex).containsExactly(0, 1, 2, 3, 4);
        assertThat(ds).extracting(Device::uuid).containsOnlyNulls();
        assertThat(ds).extracting(Device::source).containsOnly("nvidia");
    }

    @Test
    void pciScanWithoutAPciBusFindsNothing() throws DeviceException {
        twoNodes().write(sys);

        assertThat(new NvidiaDevices(sys, null).locate()).isEmpty();
    }

    @Test
    void autoPrefersNvidiaOverAccel() throws DeviceException {
        twoNodes().accel(0, "0000:20:00.0", 0).nvidiaGpu("0000:3b:00.0", 1).write(sys);

        List<Device> ds = new AutoDevices(sys, null).locate();

        assertThat(ds).extracting(Device::source).containsExactly("nvidia");
        assertThat(ds.get(0).busId()).isEqualTo("0000:3b:00.0");
    }

    @Test
    void autoFallsBackToAccelThenToNothing(@TempDir Path empty) throws DeviceException {
        twoNodes().accel(0, "0000:20:00.0", 1).write(sys);

        assertThat(new AutoDevices(sys, null).locate()).extracting(Device::source, Device::node)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("accel", 1));

        FakeSysfs.create().node(0, "0-1", 512).write(empty);
        assertThat(new AutoDevices(empty, null).locate()).isEmpty();
    }
}
