package numa.agent.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The machine's PCI functions with their vendor and class, read once and shared by every family
 * that {@code devices.source: auto} tries (a host has hundreds of functions: one pass, not one per
 * family).
 */
final class PciScan {
    /** One function: its address, {@code vendor}, {@code class} (-1 when unreadable) and sysfs directory. */
    record Function(BusId id, int vendor, int pciClass, Path dir) {
    }

    private final Path sysfs;
    private List<Function> functions;

    PciScan(Path sysfs) {
        this.sysfs = sysfs;
    }

    Path sysfs() {
        return sysfs;
    }

    /** Every function, in bus order; empty when there is no PCI bus. */
    List<Function> functions() throws DeviceException {
        if (functions == null) {
            List<Function> out = new ArrayList<>();
            for (BusId id : PciSysfs.functions(sysfs)) {
                Path dir = PciSysfs.functionDir(sysfs, id);
                OptionalInt vendor = PciSysfs.hexAttribute(dir, "vendor");
                OptionalInt pciClass = PciSysfs.hexAttribute(dir, "class");
                out.add(new Function(id, vendor.orElse(-1), pciClass.orElse(-1), dir));
            }
            functions = List.copyOf(out);
        }
        return functions;
    }
}
