package numa.agent.device;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code devices.source: pci}: device i is the PCI function of the i-th configured bus id, its
 * node read from that function's {@code numa_node}. For accelerators no other source knows.
 */
public final class PciDevices implements DeviceLocator {
    private final Path sysfs;
    private final List<String> busIds;

    /**
     * @param sysfs  the sysfs root
     * @param busIds bus ids as the user wrote them: any case, 4- or 8-digit domain, or none
     */
    public PciDevices(Path sysfs, List<String> busIds) {
        this.sysfs = sysfs;
        this.busIds = List.copyOf(busIds);
    }

    @Override
    public List<Device> locate() throws DeviceException {
        List<Device> out = new ArrayList<>();
        for (int i = 0; i < busIds.size(); i++) {
            BusId id;
            try {
                id = BusId.parse(busIds.get(i));
            } catch (IllegalArgumentException e) {
                throw new DeviceException("devices.pci[" + i + "]: " + e.getMessage());
            }
            Path dir = PciSysfs.functionDir(sysfs, id);
            if (!Files.isDirectory(dir)) {
                throw new DeviceException("no PCI function " + id + " under " + PciSysfs.devicesDir(sysfs)
                        + " (devices.pci[" + i + "] '" + busIds.get(i) + "'): check `lspci -D` for the device's bus id");
            }
            out.add(new Device(i, i, name(), id.toString(), PciSysfs.numaNode(dir), null));
        }
        return out;
    }

    @Override
    public String name() {
        return "pci";
    }
}
