package numa.agent.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code devices.source: nvidia}: NVIDIA GPUs in NVML's order (PCI bus order).
 *
 * <p>With NVML, the GPUs are those the driver manages, with their UUIDs (so {@code GPU-}/{@code MIG-}
 * entries of {@code CUDA_VISIBLE_DEVICES} can be matched). Without it, every PCI function of vendor
 * 0x10de and display class 0x03xxxx, in bus order: the same GPUs in the same order on a normal
 * host, but without UUIDs, and NVSwitches (class 0x0680) and the cards' audio and USB functions
 * are left out by the class. Either way the node is the function's sysfs {@code numa_node}.
 *
 * <p>The scan cannot tell which GPUs the driver owns: it also counts GPUs passed through to VMs
 * (vfio-pci) and, in a container, GPUs the container was not given, both of which NVML and CUDA
 * leave out. It is the fallback for hosts where NVML cannot load, not a replacement.
 *
 * <p>CUDA numbers devices fastest-first unless {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}; on a machine of
 * identical GPUs the two orders agree.
 */
public final class NvidiaDevices implements DeviceLocator {

    private final Path sysfs;
    private final Nvml nvml;
    private final PciFamilyDevices scan;

    /** @param nvmlOrNull NVML when {@link JnaNvml#tryLoad()} loaded it, else null for the PCI scan */
    public NvidiaDevices(Path sysfs, Nvml nvmlOrNull) {
        this(new PciScan(sysfs), nvmlOrNull);
    }

    NvidiaDevices(PciScan pci, Nvml nvmlOrNull) {
        this.sysfs = pci.sysfs();
        this.nvml = nvmlOrNull;
        this.scan = new PciFamilyDevices(pci, PciFamily.NVIDIA, List.of(), false);
    }

    @Override
    public List<Device> locate() throws DeviceException {
        return nvml != null ? fromNvml() : fromPciScan();
    }

    private List<Device> fromNvml() throws DeviceException {
        int count = nvml.deviceCount();
        List<Device> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String raw = nvml.pciBusId(i);
            BusId id;
            try {
                id = BusId.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new DeviceException("NVML gave GPU " + i + " a bus id the agent cannot read: " + e.getMessage()
                        + "; set devices.source: pci with the ids `nvidia-smi --query-gpu=pci.bus_id --format=csv` shows");
            }
            // A function NVML knows but sysfs does not show (sysfs masked in a container) has node -1.
            int node = PciSysfs.numaNode(PciSysfs.functionDir(sysfs, id));
            out.add(new Device(i, i, name(), id.toString(), node, nvml.uuid(i)));
        }
        return out;
    }

    private List<Device> fromPciScan() throws DeviceException {
        return scan.locate();
    }

    @Override
    public String name() {
        return "nvidia";
    }

    @Override
    public String numbering() {
        return nvml != null ? "NVML order (PCI bus order)" : PciFamily.NVIDIA.numbering();
    }

    @Override
    public List<LeftOut> leftOut() {
        return nvml != null ? List.of() : scan.leftOut();
    }
}
