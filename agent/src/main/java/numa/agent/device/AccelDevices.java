package numa.agent.device;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code devices.source: accel}: the kernel's compute-accelerator class
 * ({@code <sysfs>/class/accel/accelN}, used by Habana Gaudi, Intel NPU, AMD XDNA, ...), device i
 * being the i-th accelN in N order. The node is {@code accelN/device/numa_node}; the bus id is
 * the name the {@code device} link points at, when that is a PCI address. Habana Gaudi's
 * {@code accelN/device/module_id} is kept: {@code HABANA_VISIBLE_MODULES} names devices by it, and
 * the runtime numbers the ones it shows in accelN order.
 */
public final class AccelDevices implements DeviceLocator {
    private static final Pattern ACCEL = Pattern.compile("accel(\\d+)");
    static final Visibility VISIBILITY = Visibility.of(
            new VisibleEnv("HABANA_VISIBLE_MODULES", "the Habana runtime", VisibleEnv.Entries.MODULE_ID, true));

    private final Path sysfs;

    public AccelDevices(Path sysfs) {
        this.sysfs = sysfs;
    }

    @Override
    public List<Device> locate() throws DeviceException {
        Path classDir = sysfs.resolve("class/accel");
        if (!Files.isDirectory(classDir)) {
            return List.of(); // no accel driver loaded, or a kernel older than 6.2
        }
        // numbered by N, not by name: accel10 comes after accel9
        TreeMap<Integer, Path> byNumber = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(classDir)) {
            for (Path p : entries) {
                Matcher m = ACCEL.matcher(p.getFileName().toString());
                if (m.matches()) {
                    byNumber.put(Integer.parseInt(m.group(1)), p);
                }
            }
        } catch (IOException e) {
            throw new DeviceException("cannot list " + classDir + " (" + e.getMessage()
                    + "); check that sysfs is readable, or set devices.source: static", e);
        }
        List<Device> out = new ArrayList<>();
        for (Path accel : byNumber.values()) {
            Path device = accel.resolve("device");
            int i = out.size();
            out.add(new Device(i, i, name(), pciAddressOf(device), PciSysfs.numaNode(device), null, moduleId(device)));
        }
        return out;
    }

    /** The bus id the {@code device} link resolves to, or null for a platform (non-PCI) device. */
    private static String pciAddressOf(Path deviceLink) {
        try {
            Path target = deviceLink.toRealPath();
            return BusId.tryParse(target.getFileName().toString()).map(BusId::toString).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Habana's {@code module_id} (decimal), or -1 for accelerators that have none. */
    private static int moduleId(Path device) {
        try {
            String text = Files.readString(device.resolve("module_id")).trim();
            return text.length() < 10 && !text.isEmpty() && text.chars().allMatch(Character::isDigit)
                    ? Integer.parseInt(text) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String name() {
        return "accel";
    }

    @Override
    public String numbering() {
        return "accelN order";
    }

    @Override
    public Visibility visibility() {
        return VISIBILITY;
    }
}
