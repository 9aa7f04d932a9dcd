package numa.agent.topology;

import java.util.List;
import java.util.Optional;

/**
 * The machine's NUMA layout, read once at start.
 *
 * @param nodes       online nodes in ascending id order
 * @param onlineCpus  {@code devices/system/cpu/online}
 * @param source      where it was read from, for messages (e.g. {@code /sys})
 */
public record Topology(List<NumaNode> nodes, CpuSet onlineCpus, String source) {
    public Topology {
        nodes = List.copyOf(nodes);
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

    /** Highest node id plus one: the size a node mask must have. */
    public int maxNodeId() {
        int max = -1;
        for (NumaNode n : nodes) {
            max = Math.max(max, n.id());
        }
        return max;
    }
}
