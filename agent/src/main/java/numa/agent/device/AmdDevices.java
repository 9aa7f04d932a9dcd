package numa.agent.device;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code devices.source: amd}: AMD GPUs (vendor 0x1002) and Hygon DCUs (0x1d94) in the order HIP
 * and ROCr number them, which is the order of the GPU nodes of the KFD topology
 * ({@code <sysfs>/class/kfd/kfd/topology/nodes/N}, nodes whose {@code gpu_id} is not 0), not bus
 * order.
 *
 * <p>A node's {@code properties} give its PCI address as {@code domain} and {@code location_id}
 * ({@code bus << 8 | device << 3 | function}) and its {@code unique_id}, which ROCm shows as the
 * UUID {@code GPU-<16 hex digits>}. A compute partition (an MI300 in CPX mode shows each XCD as a
 * GPU node at functions .1, .2, ...) has no PCI function of its own: its node is function .0's.
 *
 * <p>Without a KFD topology (amdgpu not loaded, or {@code /sys/class/kfd} not visible) it falls
 * back to a PCI scan in bus order and says that HIP may number the GPUs differently.
 */
public final class AmdDevices implements DeviceLocator {
    static final Visibility VISIBILITY = Visibility.of(List.of(
            List.of(new VisibleEnv("ROCR_VISIBLE_DEVICES", "ROCr", VisibleEnv.Entries.INDEX_OR_UUID, false)),
            List.of(new VisibleEnv("HIP_VISIBLE_DEVICES", "HIP", VisibleEnv.Entries.INDEX, false),
                    new VisibleEnv("CUDA_VISIBLE_DEVICES", "HIP", VisibleEnv.Entries.INDEX, false))));
    private static final String KFD_NODES = "class/kfd/kfd/topology/nodes";

    private final Path sysfs;
    private final PciScan scan;
    private final List<String> order;
    private String numbering = "KFD topology order (as HIP and ROCr number them)";
    private List<LeftOut> leftOut = List.of();

    /** @param order {@code devices.pci}: the GPUs in HIP's order, instead of the KFD's; empty for the KFD's */
    public AmdDevices(Path sysfs, List<String> order) {
        this(new PciScan(sysfs), order);
    }

    AmdDevices(PciScan scan, List<String> order) {
        this.sysfs = scan.sysfs();
        this.scan = scan;
        this.order = List.copyOf(order);
    }

    @Override
    public List<Device> locate() throws DeviceException {
        Path nodes = sysfs.resolve(KFD_NODES);
        if (!order.isEmpty() || !Files.isDirectory(nodes)) {
            PciFamilyDevices byPci = new PciFamilyDevices(scan, PciFamily.AMD, order, false);
            List<Device> found = byPci.locate();
            leftOut = byPci.leftOut();
            numbering = !order.isEmpty() ? byPci.numbering()
                    : "PCI bus order: no KFD topology under " + nodes + " (amdgpu not loaded, or /sys/class/kfd not"
                    + " visible here), and HIP numbers GPUs in KFD order, which may differ; if it does, give devices.pci"
                    + " in HIP's order";
            return found;
        }
        List<Device> out = new ArrayList<>();
        for (Path node : numbered(nodes).values()) {
            Map<String, String> properties = properties(node.resolve("properties"));
            if (gpuId(node, properties) <= 0) {
                continue; // a CPU node
            }
            int i = out.size();
            BusId id = busId(properties);
            out.add(new Device(i, i, name(), id == null ? null : id.toString(), id == null ? -1 : numaNode(id),
                    uuid(properties)));
        }
        return out;
    }

    /** The node of a GPU's function, or of function .0 for a compute partition that has no function of its own. */
    private int numaNode(BusId id) {
        Path own = PciSysfs.functionDir(sysfs, id);
        if (id.function() == 0 || Files.isDirectory(own)) {
            return PciSysfs.numaNode(own);
        }
        return PciSysfs.numaNode(PciSysfs.functionDir(sysfs, new BusId(id.domain(), id.bus(), id.device(), 0)));
    }

    private static TreeMap<Integer, Path> numbered(Path nodes) throws DeviceException {
        TreeMap<Integer, Path> byNumber = new TreeMap<>(); // node 10 after node 9
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(nodes)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.length() < 10 && name.chars().allMatch(Character::isDigit)) {
                    byNumber.put(Integer.parseInt(name), p);
                }
            }
        } catch (IOException e) {
            throw new DeviceException("cannot list " + nodes + " (" + e.getMessage()
                    + "); check that sysfs is readable, or set devices.source: pci with the GPUs' bus ids in HIP's order", e);
        }
        return byNumber;
    }

    /** {@code key value} lines; an unreadable file has none (the node is then taken for a CPU node). */
    private static Map<String, String> properties(Path file) {
        Map<String, String> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2) {
                    out.put(kv[0], kv[1]);
                }
            }
        } catch (IOException e) {
            // left empty
        }
        return out;
    }

    /** {@code gpu_id} is its own file beside {@code properties}; 0 for CPU nodes. */
    private static long gpuId(Path node, Map<String, String> properties) {
        String text;
        try {
            text = Files.readString(node.resolve("gpu_id")).trim();
        } catch (IOException e) {
            text = properties.getOrDefault("gpu_id", "0");
        }
        return unsigned(text);
    }

    private static BusId busId(Map<String, String> properties) {
        long location = unsigned(properties.getOrDefault("location_id", "-"));
        long domain = unsigned(properties.getOrDefault("domain", "0"));
        if (location < 0 || location > 0xffff || domain < 0 || domain > 0xffff_ffffL) {
            return null;
        }
        int loc = (int) location;
        return new BusId(domain, loc >>> 8, (loc >>> 3) & 0x1f, loc & 7);
    }

    private static String uuid(Map<String, String> properties) {
        String text = properties.get("unique_id");
        if (text == null || text.equals("0")) {
            return null;
        }
        try {
            return String.format(Locale.ROOT, "GPU-%016x", Long.parseUnsignedLong(text));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A decimal u64 as the KFD writes it, or -1 when it is not one. */
    private static long unsigned(String text) {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String name() {
        return "amd";
    }

    @Override
    public String numbering() {
        return numbering;
    }

    @Override
    public Visibility visibility() {
        return VISIBILITY;
    }

    @Override
    public List<LeftOut> leftOut() {
        return leftOut;
    }
}
