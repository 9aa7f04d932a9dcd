package numa.agent.topology;

import java.util.List;
import java.util.Optional;

/**
 * The machine's NUMA layout, read once at start.
 *
 * <p>A kernel built without NUMA support has no nodes at all: {@link #nodes()} is then empty and
 * {@link #isNuma()} false. The reader does not invent a node 0 for it, because nothing can be
 * bound there and the caller must say so (one log line, no binding).
 *
 * @param nodes       online nodes in ascending id order; empty on a non-NUMA kernel
 * @param onlineCpus  {@code devices/system/cpu/online}
 * @param source      where it was read from, for messages (e.g. {@code /sys})
 */
public record Topology(List<NumaNode> nodes, CpuSet onlineCpus, String source) {
    public Topology {
        nodes = List.copyOf(nodes);
    }

    /** False when the kernel exposes no NUMA nodes (built without {@code CONFIG_NUMA}). */
    public boolean isNuma() {
        return !nodes.isEmpty();
    }

    /**
     * Nodes a thread can run on, in ascending id order: memory-only nodes (GH200/GB200 GPU
     * memory, CXL expanders) are left out.
     */
    public List<NumaNode> nodesWithCpus() {
        return nodes.stream().filter(NumaNode::hasCpus).toList();
    }

    public Optional<NumaNode> node(int id) {
        for (NumaNode n : nodes) {
            if (n.id() == id) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The node a CPU belongs to, or -1. */
    public int nodeOfCpu(int cpu) {
        for (NumaNode n : nodes) {
            if (n.cpus().contains(cpu)) {
                return n.id();
            }
        }
        return -1;
    }

    /**
     * Highest node id, -1 when there are no nodes. A node mask needs {@code maxNodeId() + 1} bits
     * (ids may have gaps, so this is not {@code nodes().size() - 1}).
     */
    public int maxNodeId() {
        int max = -1;
        for (NumaNode n : nodes) {
            max = Math.max(max, n.id());
        }
        return max;
    }
}
