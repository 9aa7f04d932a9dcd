package numa.vm.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The NUMA layout of a guest, as {@code vm/numa-vm} builds it: CPUs and memory per node (0 for a
 * node without CPUs or without memory), SMT threads per core, and PCI functions (QEMU's {@code edu}
 * device behind a PCIe expander bridge) on chosen nodes.
 *
 * @param cpus       CPUs of each node
 * @param memMiB     memory of each node in MiB
 * @param pciOnNodes the node of each PCI function, in order: function i has bus id {@link #pciBusId(int)}
 */
public record GuestTopology(List<Integer> cpus, List<Integer> memMiB, int threadsPerCore, List<Integer> pciOnNodes) {

    public GuestTopology {
        if (cpus.size() != memMiB.size()) {
            throw new IllegalArgumentException("CPU counts " + cpus + " and memory sizes " + memMiB + " differ in length");
        }
        cpus = List.copyOf(cpus);
        memMiB = List.copyOf(memMiB);
        pciOnNodes = List.copyOf(pciOnNodes);
    }

    /** {@code nodes} alike nodes with {@code cpusPerNode} CPUs and {@code mibPerNode} MiB each. */
    public static GuestTopology uniform(int nodes, int cpusPerNode, int mibPerNode) {
        return new GuestTopology(java.util.Collections.nCopies(nodes, cpusPerNode),
                java.util.Collections.nCopies(nodes, mibPerNode), 1, List.of());
    }

    /** The same with one PCI function more, on {@code node}. */
    public GuestTopology withPciOn(int node) {
        List<Integer> pci = new ArrayList<>(pciOnNodes);
        pci.add(node);
        return new GuestTopology(cpus, memMiB, threadsPerCore, pci);
    }

    public int nodes() {
        return cpus.size();
    }

    /**
     * The guest's bus id of PCI function {@code i}: vm/numa-vm gives expander bridge i the bus
     * number 0x20 + 16 i; its root port sits there and the device on the next bus.
     */
    public static String pciBusId(int i) {
        return String.format("0000:%02x:00.0", 0x20 + 16 * i + 1);
    }

    /** The options of vm/numa-vm that build this layout. */
    public List<String> scriptArgs() {
        List<String> args = new ArrayList<>(List.of("-n", Integer.toString(nodes()),
                "--cpus", cpus.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--mem", memMiB.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "-T", Integer.toString(threadsPerCore)));
        for (int node : pciOnNodes) {
            args.add("-p");
            args.add(Integer.toString(node));
        }
        return args;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(nodes() + " nodes:");
        for (int n = 0; n < nodes(); n++) {
            s.append(" [").append(n).append(": ").append(cpus.get(n)).append(" cpus, ").append(memMiB.get(n)).append(" MiB]");
        }
        if (!pciOnNodes.isEmpty()) {
            s.append(", PCI functions on nodes ").append(pciOnNodes);
        }
        return s.toString();
    }
}
