package numa.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A fake sysfs tree for the agent's {@code sysfs=} key, laid out as the kernel lays out /sys: NUMA
 * nodes, online CPUs, and PCI functions (directories under {@code devices/pci<domain:bus>}, reached
 * through {@code bus/pci/devices/<bus id>} symlinks).
 *
 * <p>The fake nodes own REAL CPUs of this machine, so the agent's {@code sched_setaffinity} calls
 * are real and visible in /proc: {@link #onThisMachine()} puts node 0 on the first CPU this JVM may
 * use and node 1 on the second (CPU 0 and CPU 1 on the 2-CPU project VM). Only the memory side is
 * not fully real: the kernel accepts a policy on a fake node only where a real node of that number
 * has memory (see {@link Host#kernelHasMemoryOn}).
 */
public final class FakeTopology {
    public static final int NVIDIA = 0x10de;
    public static final int CLASS_3D_CONTROLLER = 0x030200;
    public static final int CLASS_ETHERNET = 0x020000;
    public static final int AMD = 0x1002;
    public static final int CLASS_PROCESSING_ACCELERATOR = 0x120000;
    private static final long NODE_MEM_KB = 1_048_576;

    private record Pci(String busId, int vendor, int pciClass, int numaNode) {
    }

    private final TreeMap<Integer, List<Integer>> nodeCpus = new TreeMap<>();
    private final List<Pci> pci = new ArrayList<>();
    /** AMD GPUs in KFD topology order: bus id and unique_id. */
    private final List<Object[]> kfdGpus = new ArrayList<>();
    private boolean numa = true;

    private FakeTopology() {
    }

    /** Two nodes, each owning one real CPU that this JVM (and so the launched JVM) may use. */
    public static FakeTopology onThisMachine() {
        List<Integer> cpus = Host.allowedCpus();
        if (cpus.size() < 2) {
            throw new IllegalStateException("the tests need 2 usable CPUs to map 2 fake nodes onto; this process may use "
                    + Host.allowedCpuList());
        }
        FakeTopology t = new FakeTopology();
        t.nodeCpus.put(0, List.of(cpus.get(0)));
        t.nodeCpus.put(1, List.of(cpus.get(1)));
        return t;
    }

    /** One node owning the first two CPUs this JVM may use: room to split a node between devices. */
    public static FakeTopology oneNodeWithTwoCpus() {
        List<Integer> cpus = Host.allowedCpus();
        if (cpus.size() < 2) {
            throw new IllegalStateException("the tests need 2 usable CPUs; this process may use " + Host.allowedCpuList());
        }
        FakeTopology t = new FakeTopology();
        t.nodeCpus.put(0, List.of(cpus.get(0), cpus.get(1)));
        return t;
    }

    /**
     * Gives {@code node} these CPUs instead, e.g. more than this machine has (a node "0-7" on a
     * 2-CPU box), to check what the agent does with CPUs it was not given.
     */
    public FakeTopology withNodeCpus(int node, List<Integer> cpus) {
        nodeCpus.put(node, List.copyOf(cpus));
        return this;
    }

    /** A kernel built without NUMA: no {@code devices/system/node} at all, CPUs still online. */
    public FakeTopology withoutNumaNodes() {
        numa = false;
        return this;
    }

    /** A PCI function; {@code numaNode} -1 is what single-socket boxes and many VMs say. */
    public FakeTopology pciDevice(String busId, int vendor, int pciClass, int numaNode) {
        pci.add(new Pci(busId, vendor, pciClass, numaNode));
        return this;
    }

    public FakeTopology nvidiaGpu(String busId, int numaNode) {
        return pciDevice(busId, NVIDIA, CLASS_3D_CONTROLLER, numaNode);
    }

    /**
     * An AMD GPU (a processing-accelerator function of vendor 0x1002) and its KFD topology node
     * ({@code class/kfd/kfd/topology/nodes/N}, after a CPU node 0): HIP numbers GPUs in the order of
     * these calls, whatever their bus order. ROCm's UUID is {@code GPU-} and 16 hex digits of {@code uniqueId}.
     */
    public FakeTopology amdGpuInKfdOrder(String busId, int numaNode, long uniqueId) {
        pciDevice(busId, AMD, CLASS_PROCESSING_ACCELERATOR, numaNode);
        kfdGpus.add(new Object[] {busId, uniqueId});
        return this;
    }

    /** The {@code Cpus_allowed_list} a thread bound to {@code node} must show, e.g. "1" or "0-1". */
    public String cpusOf(int node) {
        List<Integer> cpus = nodeCpus.get(node);
        if (cpus == null) {
            throw new IllegalArgumentException("no fake node " + node);
        }
        return cpuList(cpus);
    }

    /** The kernel's list form: ascending, runs of consecutive CPUs as ranges ("0-2,5"). */
    public static String cpuList(List<Integer> cpus) {
        List<Integer> sorted = cpus.stream().sorted().distinct().toList();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (list.length() > 0) {
                list.append(',');
            }
            list.append(sorted.get(i));
            if (j > i) {
                list.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return list.toString();
    }

    /** Writes the tree under {@code root} and returns it. */
    public Path writeTo(Path root) {
        try {
            writeCpusAndNodes(root);
            writePci(root);
            writeKfd(root);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeCpusAndNodes(Path root) throws IOException {
        String cpus = cpuList(nodeCpus.values().stream().flatMap(List::stream).toList());
        put(root.resolve("devices/system/cpu/online"), cpus);
        put(root.resolve("devices/system/cpu/possible"), cpus);
        if (!numa) {
            return;
        }
        Path nodes = root.resolve("devices/system/node");
        String ids = nodeCpus.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        put(nodes.resolve("online"), ids);
        put(nodes.resolve("possible"), ids);
        put(nodes.resolve("has_cpu"), ids);
        put(nodes.resolve("has_memory"), ids);
        for (Map.Entry<Integer, List<Integer>> e : nodeCpus.entrySet()) {
            int id = e.getKey();
            Path dir = nodes.resolve("node" + id);
            put(dir.resolve("cpulist"), cpuList(e.getValue()));
            put(dir.resolve("meminfo"), String.format(
                    "Node %d MemTotal:       %d kB%nNode %d MemFree:        %d kB%nNode %d MemUsed:        %d kB%n",
                    id, NODE_MEM_KB, id, NODE_MEM_KB / 2, id, NODE_MEM_KB / 2));
            put(dir.resolve("distance"), nodeCpus.keySet().stream()
                    .map(other -> other == id ? "10" : "20").collect(Collectors.joining(" ")));
        }
    }

    private void writePci(Path root) throws IOException {
        for (Pci p : pci) {
            String rootBus = p.busId().substring(0, p.busId().lastIndexOf(':'));
            Path dir = root.resolve("devices/pci" + rootBus).resolve(p.busId());
            put(dir.resolve("vendor"), String.format("0x%04x", p.vendor()));
            put(dir.resolve("device"), "0x2335");
            put(dir.resolve("class"), String.format("0x%06x", p.pciClass()));
            put(dir.resolve("numa_node"), Integer.toString(p.numaNode()));
            Path link = root.resolve("bus/pci/devices").resolve(p.busId());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(dir));
        }
    }

    private void writeKfd(Path root) throws IOException {
        if (kfdGpus.isEmpty()) {
            return;
        }
        Path nodes = root.resolve("class/kfd/kfd/topology/nodes");
        put(nodes.resolve("0/gpu_id"), "0");
        put(nodes.resolve("0/properties"), "cpu_cores_count 2\nsimd_count 0\nunique_id 0");
        for (int i = 0; i < kfdGpus.size(); i++) {
            String busId = (String) kfdGpus.get(i)[0];
            String[] parts = busId.split("[:.]");
            int location = Integer.parseInt(parts[1], 16) << 8 | Integer.parseInt(parts[2], 16) << 3 | Integer.parseInt(parts[3]);
            put(nodes.resolve((i + 1) + "/gpu_id"), Integer.toString(40000 + i));
            put(nodes.resolve((i + 1) + "/properties"), "cpu_cores_count 0\nsimd_count 1216\nlocation_id " + location
                    + "\ndomain " + Long.parseLong(parts[0], 16) + "\nunique_id " + Long.toUnsignedString((Long) kfdGpus.get(i)[1]));
        }
    }

    private static void put(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n");
    }
}
