package numa.agent.device;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

/** What the locators read about PCI functions under {@code <sysfs>/bus/pci/devices}. */
final class PciSysfs {
    private PciSysfs() {
    }

    static Path devicesDir(Path sysfs) {
        return sysfs.resolve("bus/pci/devices");
    }

    static Path functionDir(Path sysfs, BusId id) {
        return devicesDir(sysfs).resolve(id.toString());
    }

    /**
     * The {@code numa_node} of a device directory, -1 when the kernel does not know it (it writes
     * -1 on single-socket boxes, many VMs and ARM) or the file is absent (kernel without NUMA).
     */
    static int numaNode(Path deviceDir) {
        try {
            int node = Integer.parseInt(Files.readString(deviceDir.resolve("numa_node")).trim());
            return Math.max(node, -1);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** A hex attribute such as {@code vendor} ({@code 0x10de}) or {@code class} ({@code 0x030200}). */
    static OptionalInt hexAttribute(Path deviceDir, String name) {
        try {
            String s = Files.readString(deviceDir.resolve(name)).trim();
            if (s.startsWith("0x") || s.startsWith("0X")) {
                s = s.substring(2);
            }
            return OptionalInt.of(Integer.parseUnsignedInt(s, 16));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Every PCI function sysfs lists, in bus order; empty when there is no PCI bus. */
    static List<BusId> functions(Path sysfs) throws DeviceException {
        Path dir = devicesDir(sysfs);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<BusId> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                BusId.tryParse(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new DeviceException("cannot list " + dir + " (" + e.getMessage()
                    + "); check that sysfs is mounted and readable, or set devices.source: static", e);
        }
        Collections.sort(out);
        return out;
    }
}
