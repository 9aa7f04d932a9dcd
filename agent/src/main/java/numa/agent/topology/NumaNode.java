package numa.agent.topology;

import java.util.List;

/**
 * One NUMA node as sysfs describes it.
 *
 * @param id            node number ({@code nodeN})
 * @param cpus          its CPUs ({@code cpulist}); empty for a CPU-less (memory-only) node
 * @param memTotalBytes {@code MemTotal} of its {@code meminfo}; 0 for a memory-less node
 * @param memFreeBytes  {@code MemFree} of its {@code meminfo}
 * @param distances     its row of {@code distance}, indexed like {@link Topology#nodes()}'s ids
 *                      in ascending order; empty when unreadable
 */
public record NumaNode(int id, CpuSet cpus, long memTotalBytes, long memFreeBytes, List<Integer> distances) {
    public NumaNode {
        distances = List.copyOf(distances);
    }

    public boolean hasMemory() {
        return memTotalBytes > 0;
    }

    public boolean hasCpus() {
        return !cpus.isEmpty();
    }
}
