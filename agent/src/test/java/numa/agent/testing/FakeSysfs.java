package numa.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds a fake sysfs tree in a test's temporary folder, laid out as the kernel lays out
 * {@code /sys}: NUMA nodes, online CPUs, PCI functions (real directories under
 * {@code devices/pci*}, reached through {@code bus/pci/devices} symlinks) and accel devices
 * ({@code class/accel/accelN} with a {@code device} symlink to their PCI function).
 *
 * <pre>{@code
 * Path sys = FakeSysfs.create()
 *         .node(0, "0-3", 16384).node(1, "4-7", 16384)
 *         .nvidiaGpu("0000:3b:00.0", 0)
 *         .write(tempDir);
 * }</pre>
 *
 * Anything the builder cannot express, a test writes or deletes in the tree afterwards.
 */
public final class FakeSysfs {
    public static final int NVIDIA = 0x10de;
    public static final int HABANA = 0x1da3;
    public static final int CLASS_3D_CONTROLLER = 0x030200;
    public static final int CLASS_VGA = 0x030000;
    public static final int CLASS_AUDIO = 0x040300;
    public static final int CLASS_BRIDGE = 0x060400;
    public static final int CLASS_ACCELERATOR = 0x120000;

    private record Node(int id, String cpus, long memMiB) {
    }

    private record Pci(String busId, int vendor, int pciClass, Integer numaNode) {
    }

    private record Accel(int n, String busId, Integer node) {
    }

    private final TreeMap<Integer, Node> nodes = new TreeMap<>();
    private final Map<Integer, int[]> distances = new TreeMap<>();
    private final Map<String, Pci> pci = new LinkedHashMap<>();
    private final List<Accel> accels = new ArrayList<>();
    private String onlineCpus;

    private FakeSysfs() {
    }

    public static FakeSysfs create() {
        return new FakeSysfs();
    }

    /** A node with CPUs ({@code cpulist} syntax) and memory. */
    public FakeSysfs node(int id, String cpus, long memMiB) {
        nodes.put(id, new Node(id, cpus, memMiB));
        return this;
    }

    /** A memory-only node (GH200/GB200 GPU memory, CXL): empty {@code cpulist}. */
    public FakeSysfs cpuLessNode(int id, long memMiB) {
        return node(id, "", memMiB);
    }

    /** A node with CPUs and {@code MemTotal: 0 kB}. */
    public FakeSysfs memoryLessNode(int id, String cpus) {
        return node(id, cpus, 0);
    }

    /** {@code devices/system/cpu/online}; by default the union of the nodes' CPUs. */
    public FakeSysfs onlineCpus(String cpus) {
        this.onlineCpus = cpus;
        return this;
    }

    /** One node's row of the distance table; by default 10 to itself and 20 to every other node. */
    public FakeSysfs distances(int nodeId, int... row) {
        distances.put(nodeId, row.clone());
        return this;
    }

    /** A PCI function; {@code numaNode} is what its {@code numa_node} file says (-1 allowed). */
    public FakeSysfs pciDevice(String busId, int vendor, int pciClass, int numaNode) {
        pci.put(busId, new Pci(busId, vendor, pciClass, numaNode));
        return this;
    }

    /** A PCI function without a {@code numa_node} file (kernels built without NUMA). */
    public FakeSysfs pciDeviceWithoutNumaNode(String busId, int vendor, int pciClass) {
        pci.put(busId, new Pci(busId, vendor, pciClass, null));
        return this;
    }

    /** An NVIDIA 3D controller (vendor 0x10de, class 0x0302), as data-center GPUs show up. */
    public FakeSysfs nvidiaGpu(String busId, int numaNode) {
        return pciDevice(busId, NVIDIA, CLASS_3D_CONTROLLER, numaNode);
    }

    /**
     * {@code class/accel/accel<n>}. With a bus id, its {@code device} link points at that PCI
     * function (created as a Habana processing accelerator unless already added); with
     * {@code null}, at a platform device whose {@code numa_node} is {@code node}.
     */
    public FakeSysfs accel(int n, String busIdOrNull, int node) {
        accels.add(new Accel(n, busIdOrNull, node));
        if (busIdOrNull != null) {
            pci.putIfAbsent(busIdOrNull, new Pci(busIdOrNull, HABANA, CLASS_ACCELERATOR, node));
        }
        return this;
    }

    /** Writes the tree under {@code root} (created if needed) and returns {@code root}. */
    public Path write(Path root) {
        try {
            writeNodes(root);
            writePci(root);
            writeAccel(root);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeNodes(Path root) throws IOException {
        String online = onlineCpus != null ? onlineCpus
                : nodes.values().stream().map(Node::cpus).filter(c -> !c.isEmpty()).collect(Collectors.joining(","));
        put(root.resolve("devices/system/cpu/online"), online);
        if (nodes.isEmpty()) {
            return; // a non-NUMA kernel: no devices/system/node at all
        }
        Path nodeRoot = root.resolve("devices/system/node");
        put(nodeRoot.resolve("online"), nodes.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")));
        put(nodeRoot.resolve("possible"), nodes.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")));
        for (Node n : nodes.values()) {
            Path dir = nodeRoot.resolve("node" + n.id());
            put(dir.resolve("cpulist"), n.cpus());
            long kb = n.memMiB() * 1024;
            long free = kb * 3 / 4;
            put(dir.resolve("meminfo"), String.format(
                    "Node %d MemTotal:       %d kB%nNode %d MemFree:        %d kB%nNode %d MemUsed:        %d kB%n"
                            + "Node %d HugePages_Total:     0%n",
                    n.id(), kb, n.id(), free, n.id(), kb - free, n.id()));
            put(dir.resolve("distance"), distanceRow(n.id()));
        }
    }

    private String distanceRow(int id) {
        int[] row = distances.get(id);
        if (row != null) {
            return java.util.Arrays.stream(row).mapToObj(String::valueOf).collect(Collectors.joining(" "));
        }
        return nodes.keySet().stream().map(other -> other == id ? "10" : "20").collect(Collectors.joining(" "));
    }

    private void writePci(Path root) throws IOException {
        for (Pci p : pci.values()) {
            Path dir = pciDir(root, p.busId());
            put(dir.resolve("vendor"), String.format("0x%04x", p.vendor()));
            put(dir.resolve("device"), "0x2335");
            put(dir.resolve("class"), String.format("0x%06x", p.pciClass()));
            if (p.numaNode() != null) {
                put(dir.resolve("numa_node"), String.valueOf(p.numaNode()));
            }
            Path link = root.resolve("bus/pci/devices").resolve(p.busId());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(dir));
        }
    }

    private void writeAccel(Path root) throws IOException {
        for (Accel a : accels) {
            Path parent;
            if (a.busId() != null) {
                parent = pciDir(root, a.busId());
            } else {
                parent = root.resolve("devices/platform/npu" + a.n());
                put(parent.resolve("numa_node"), String.valueOf(a.node()));
            }
            Path accelDir = parent.resolve("accel/accel" + a.n());
            Files.createDirectories(accelDir);
            put(accelDir.resolve("dev"), "261:" + a.n());
            Files.createSymbolicLink(accelDir.resolve("device"), accelDir.relativize(parent));
            Path link = root.resolve("class/accel/accel" + a.n());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(accelDir));
        }
    }

    private static Path pciDir(Path root, String busId) {
        String rootBus = busId.substring(0, busId.lastIndexOf(':'));
        return root.resolve("devices/pci" + rootBus).resolve(busId);
    }

    private static void put(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n");
    }
}
