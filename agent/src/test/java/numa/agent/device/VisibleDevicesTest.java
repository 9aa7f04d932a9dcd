package numa.agent.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class VisibleDevicesTest {
    private static final String UUID0 = "GPU-5a2c8f3e-1111-2222-3333-444455556666";
    private static final String UUID1 = "GPU-5a2d0000-1111-2222-3333-444455556666";
    private static final String UUID2 = "GPU-9f000000-aaaa-bbbb-cccc-ddddeeeeffff";
    private static final String UUID3 = "GPU-c0ffee00-aaaa-bbbb-cccc-ddddeeeeffff";

    /** Four GPUs as NVML finds them: nodes 0, 0, 1, 1. */
    private static final List<Device> GPUS = List.of(
            new Device(0, 0, "nvidia", "0000:1b:00.0", 0, UUID0),
            new Device(1, 1, "nvidia", "0000:3b:00.0", 0, UUID1),
            new Device(2, 2, "nvidia", "0000:86:00.0", 1, UUID2),
            new Device(3, 3, "nvidia", "0000:af:00.0", 1, UUID3));

    /** The same GPUs found by the PCI scan: no UUIDs. */
    private static final List<Device> SCANNED = GPUS.stream()
            .map(d -> new Device(d.index(), d.physicalIndex(), d.source(), d.busId(), d.node(), null)).toList();

    private static VisibleDevices.Result remap(String value) {
        return VisibleDevices.remap(value, GPUS, null);
    }

    private static List<Integer> physical(VisibleDevices.Result r) {
        return r.devices().stream().map(Device::physicalIndex).toList();
    }

    @Test
    void unsetIsEveryDeviceInPhysicalOrder() {
        VisibleDevices.Result r = remap(null);

        assertThat(r.devices()).isEqualTo(GPUS);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void emptyMeansNoDeviceWithoutWarning() {
        assertThat(remap("").devices()).isEmpty();
        assertThat(remap("").warnings()).isEmpty();
    }

    @Test
    void indexesRenumberLogicallyAndKeepPhysicalIndexAndNode() {
        VisibleDevices.Result r = remap("2, 0");

        assertThat(r.devices()).extracting(Device::index).containsExactly(0, 1);
        assertThat(physical(r)).containsExactly(2, 0);
        assertThat(r.devices()).extracting(Device::node).containsExactly(1, 0);
        assertThat(r.devices()).extracting(Device::busId).containsExactly("0000:86:00.0", "0000:1b:00.0");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void fullUuidsAndUniquePrefixesMatchIgnoringCase() {
        VisibleDevices.Result r = remap(UUID3.toUpperCase() + ",GPU-9f,gpu-5a2d");

        assertThat(physical(r)).containsExactly(3, 2, 1);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void ambiguousUuidPrefixStopsTheList() {
        VisibleDevices.Result r = remap("3,GPU-5a2,0");

        assertThat(physical(r)).containsExactly(3);
        assertThat(r.warnings()).singleElement().asString()
                .contains("entry 2 'GPU-5a2'").contains("matches 2 GPUs").contains("only logical device 0 is visible");
    }

    @Test
    void uuidsWithoutNvmlCannotBeMatched() {
        VisibleDevices.Result r = VisibleDevices.remap(UUID0, SCANNED, null);

        assertThat(r.devices()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("NVML").contains("use device indexes")
                .contains("no device is visible");
    }

    @Test
    void invalidEntryEndsTheListAsCudaDoes() {
        VisibleDevices.Result outOfRange = remap("1,7,2");
        assertThat(physical(outOfRange)).containsExactly(1);
        assertThat(outOfRange.warnings()).singleElement().asString()
                .contains("CUDA_VISIBLE_DEVICES='1,7,2', entry 2 '7'").contains("no device 7").contains("4 found: 0-3");

        VisibleDevices.Result garbage = remap("0,gpu,1");
        assertThat(physical(garbage)).containsExactly(0);
        assertThat(garbage.warnings()).singleElement().asString().contains("not a device index");

        VisibleDevices.Result unknownUuid = remap("GPU-deadbeef,0");
        assertThat(unknownUuid.devices()).isEmpty();
        assertThat(unknownUuid.warnings()).singleElement().asString().contains("nvidia-smi -L");

        VisibleDevices.Result emptyEntry = remap("0,,1");
        assertThat(physical(emptyEntry)).containsExactly(0);
        assertThat(emptyEntry.warnings()).singleElement().asString().contains("empty entry");
    }

    @Test
    void negativeIndexHidesTheRestQuietly() {
        assertThat(remap("-1").devices()).isEmpty();
        assertThat(remap("-1").warnings()).isEmpty();
        assertThat(physical(remap("1,-1,2"))).containsExactly(1);
    }

    @Test
    void leadingDigitsCountAsCudaReadsThemWithAWarning() {
        VisibleDevices.Result r = remap("1gpu,2");

        assertThat(physical(r)).containsExactly(1, 2);
        assertThat(r.warnings()).singleElement().asString().contains("read as 1");
    }

    @Test
    void aDeviceListedTwiceHidesEverything() {
        VisibleDevices.Result r = remap("0,1," + UUID0);

        assertThat(r.devices()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("second time");
    }

    @Test
    void migIdsResolveToTheirGpuThroughNvml() throws DeviceException {
        Nvml nvml = mock(Nvml.class);
        when(nvml.parentOfMig(anyString())).thenReturn(OptionalInt.empty());
        when(nvml.parentOfMig("MIG-aaaa-1")).thenReturn(OptionalInt.of(2));
        when(nvml.parentOfMig("MIG-aaaa-2")).thenReturn(OptionalInt.of(2));
        when(nvml.parentOfMig("MIG-bbbb-1")).thenReturn(OptionalInt.of(0));

        VisibleDevices.Result r = VisibleDevices.remap("MIG-aaaa-1,MIG-aaaa-2,MIG-bbbb-1,MIG-nope", GPUS, nvml);

        // two slices of one GPU are two logical devices on that GPU's node
        assertThat(physical(r)).containsExactly(2, 2, 0);
        assertThat(r.devices()).extracting(Device::index).containsExactly(0, 1, 2);
        assertThat(r.devices()).extracting(Device::node).containsExactly(1, 1, 0);
        assertThat(r.warnings()).singleElement().asString().contains("'MIG-nope'").contains("NVML knows no MIG");
    }

    @Test
    void migFailureInNvmlIsAWarningNotACrash() throws DeviceException {
        Nvml nvml = mock(Nvml.class);
        when(nvml.parentOfMig("MIG-x")).thenThrow(new DeviceException("nvmlDeviceGetHandleByUUID(MIG-x) failed: Unknown Error"));

        VisibleDevices.Result r = VisibleDevices.remap("MIG-x", GPUS, nvml);

        assertThat(r.devices()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("Unknown Error");
    }

    @Test
    void migWithoutNvmlIsAWarning() {
        VisibleDevices.Result r = VisibleDevices.remap("MIG-aaaa-1", GPUS, null);

        assertThat(r.devices()).isEmpty();
        assertThat(r.warnings()).singleElement().asString().contains("only through NVML");
    }

    @Test
    void legacyMigFormNamesItsGpu() {
        VisibleDevices.Result r = remap("MIG-" + UUID3 + "/1/0,MIG-" + UUID3 + "/2/0");

        assertThat(physical(r)).containsExactly(3, 3);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void otherVariableNamesAppearInMessages() {
        VisibleDevices.Result r = VisibleDevices.remap("HABANA_VISIBLE_MODULES", "0,9", GPUS, null);

        assertThat(r.warnings()).singleElement().asString().startsWith("HABANA_VISIBLE_MODULES='0,9'");
    }
}
