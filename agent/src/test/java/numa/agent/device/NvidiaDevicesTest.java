package numa.agent.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.List;
import numa.agent.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NVML cannot be real here: a Mockito {@link Nvml} plays the driver, sysfs is a fake tree. */
class NvidiaDevicesTest {
    @TempDir
    Path sys;

    @Test
    void nvmlOrderBusIdsUuidsAndSysfsNodes() throws DeviceException {
        FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024)
                .nvidiaGpu("0000:3b:00.0", 0).nvidiaGpu("0000:86:00.0", 1).nvidiaGpu("10000:e1:00.0", -1)
                .write(sys);
        Nvml nvml = mock(Nvml.class);
        when(nvml.deviceCount()).thenReturn(3);
        when(nvml.pciBusId(0)).thenReturn("00000000:3B:00.0");
        when(nvml.pciBusId(1)).thenReturn("00000000:86:00.0");
        when(nvml.pciBusId(2)).thenReturn("00010000:E1:00.0");
        when(nvml.uuid(0)).thenReturn("GPU-aaaa");
        when(nvml.uuid(1)).thenReturn("GPU-bbbb");
        when(nvml.uuid(2)).thenReturn("GPU-cccc");

        List<Device> ds = new NvidiaDevices(sys, nvml).locate();

        assertThat(ds).extracting(Device::busId).containsExactly("0000:3b:00.0", "0000:86:00.0", "10000:e1:00.0");
        assertThat(ds).extracting(Device::node).containsExactly(0, 1, -1);
        assertThat(ds).extracting(Device::uuid).containsExactly("GPU-aaaa", "GPU-bbbb", "GPU-cccc");
        assertThat(ds).extracting(Device::source).containsOnly("nvidia");
    }

    @Test
    void gpuThatSysfsDoesNotShowHasAnUnknownNode() throws DeviceException {
        FakeSysfs.create().node(0, "0-3", 1024).write(sys);
        Nvml nvml = mock(Nvml.class);
        when(nvml.deviceCount()).thenReturn(1);
        when(nvml.pciBusId(0)).thenReturn("00000000:3B:00.0");
        when(nvml.uuid(0)).thenReturn("GPU-aaaa");

        assertThat(new NvidiaDevices(sys, nvml).locate().get(0).node()).isEqualTo(-1);
    }

    @Test
    void nvmlSeeingNoGpuLetsAutoTryAccel() throws DeviceException {
        FakeSysfs.create().node(0, "0-3", 1024).accel(0, "0000:20:00.0", 0).write(sys);
        Nvml nvml = mock(Nvml.class);
        when(nvml.deviceCount()).thenReturn(0);

        assertThat(new AutoDevices(sys, nvml).locate()).extracting(Device::source).containsExactly("accel");
    }

    @Test
    void nvmlFailureStopsAutoWithNvmlsMessage() throws DeviceException {
        FakeSysfs.create().node(0, "0-3", 1024).accel(0, "0000:20:00.0", 0).write(sys);
        Nvml nvml = mock(Nvml.class);
        when(nvml.deviceCount()).thenThrow(new DeviceException("nvmlDeviceGetCount_v2 failed: GPU is lost"));

        assertThatThrownBy(() -> new AutoDevices(sys, nvml).locate()).hasMessageContaining("GPU is lost");
    }

    @Test
    void unreadableBusIdFromNvmlSaysWhatToDo() throws DeviceException {
        FakeSysfs.create().node(0, "0-3", 1024).write(sys);
        Nvml nvml = mock(Nvml.class);
        when(nvml.deviceCount()).thenReturn(1);
        when(nvml.pciBusId(0)).thenReturn("garbage");

        assertThatThrownBy(() -> new NvidiaDevices(sys, nvml).locate()).isInstanceOf(DeviceException.class)
                .hasMessageContaining("GPU 0").hasMessageContaining("devices.source: pci");
    }

    @Test
    void jnaNvmlLoadNeverThrowsAndExplainsItself() {
        JnaNvml.LoadResult r = JnaNvml.tryLoad();
        try {
            assertThat(r.reason()).isNotBlank().doesNotContain("\n"); // it becomes one log line
            if (r.nvml().isEmpty()) {
                assertThat(r.reason()).contains("libnvidia-ml.so.1");
            }
        } finally {
            r.nvml().ifPresent(JnaNvml::close);
        }
    }
}
