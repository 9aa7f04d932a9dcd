package numa.agent.bind;

import numa.agent.topology.CpuSet;

/**
 * What a thread is bound to: the CPU set its affinity becomes and its memory policy. Every binding
 * sets both, which is what resets an inherited binding: a thread started by a thread bound to node
 * 0 gets exactly this, never a mix.
 *
 * @param node   the NUMA node, or -1 for the process's original binding (a reset)
 * @param device the device it serves, or -1 when the rule named a node
 * @param cpus   its affinity: the node's usable CPUs (or the original set under {@code cpus: none})
 * @param memory its memory policy ({@link MemPolicy#DEFAULT} under {@code memory: none}); null only
 *               in the agent's internal "keep the policy as it is" bindings, never in a rule's
 */
public record Binding(int node, int device, CpuSet cpus, MemPolicy memory) {
    /** As in log lines: {@code node 1 cpus=8-15 memory=preferred}. */
    public String describe() {
        return (node >= 0 ? "node " + node + " " : "") + "cpus=" + cpus + " memory=" + (memory == null ? "unchanged" : memory.describe());
    }

    public Binding withMemory(MemPolicy policy) {
        return new Binding(node, device, cpus, policy);
    }
}
