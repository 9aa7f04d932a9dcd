package numa.agent.bind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import numa.agent.config.BindingConfig;
import numa.agent.device.Device;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * Turns "device i" or "node n" into a {@link Binding} under the {@code binding} policy: which CPUs
 * ({@code node}: the node's CPUs this process may use; {@code exclusive}: a disjoint share per
 * device; {@code none}: the original set) and which memory policy. Every CPU set is intersected
 * with the CPUs the process had at start, so a binding never widens what a cpuset gave.
 * Results are computed once per device and node: rules evaluate on every Thread.start.
 */
public final class BindingPlanner {
    /**
     * A binding, or why there can be none. Exactly one of binding/problem is non-null.
     * {@code reportedAtStart}: the cause was already logged with the devices at start-up (a
     * device without a node), so a thread that meets it needs no second warning.
     */
    public record Plan(Binding binding, String problem, boolean reportedAtStart) {
        static Plan of(Binding b) {
            return new Plan(b, null, false);
        }

        static Plan impossible(String why) {
            return new Plan(null, why, false);
        }

        static Plan knownAtStart(String why) {
            return new Plan(null, why, true);
        }
    }

    private final Topology topology;
    private final List<Device> devices;
    private final BindingConfig policy;
    private final Binding base;
    private final Map<Integer, Plan> byDevice = new HashMap<>();
    private final Map<Integer, Plan> byNode = new HashMap<>();

    /**
     * @param allowedAtStart the CPUs the process may use (its affinity when the agent started)
     * @param coreOfCpu      the SMT siblings of a CPU (its core), for {@code exclusive}
     * @param baseBinding    what a reset gives a thread: the process section's binding, or null for
     *                       the original set with the default policy
     */
    public BindingPlanner(Topology topology, List<Device> devices, BindingConfig policy, CpuSet allowedAtStart,
                          IntFunction<CpuSet> coreOfCpu, Binding baseBinding) {
        this.topology = topology;
        this.devices = List.copyOf(devices);
        this.policy = policy;
        this.base = baseBinding != null ? baseBinding : new Binding(-1, -1, allowedAtStart, MemPolicy.DEFAULT);
        for (NumaNode n : topology.nodes()) {
            byNode.put(n.id(), planNode(n, allowedAtStart));
        }
        Map<Integer, List<Device>> perNode = new HashMap<>();
        for (Device d : this.devices) {
            if (d.nodeKnown()) {
                perNode.computeIfAbsent(d.node(), k -> new ArrayList<>()).add(d);
            }
        }
        for (Device d : this.devices) {
            byDevice.put(d.index(), planDevice(d, perNode.getOrDefault(d.node(), List.of()), coreOfCpu));
        }
    }

    /** What a thread that no rule names gets when it is reset (children: reset). */
    public Binding base() {
        return base;
    }

    public List<Device> devices() {
        return devices;
    }

    public Topology topology() {
        return topology;
    }

    /** The binding for logical device {@code index}. */
    public Plan forDevice(int index) {
        Plan p = byDevice.get(index);
        if (p == null) {
            return Plan.impossible("device " + index + " does not exist (" + devices.size()
                    + " device" + (devices.size() == 1 ? "" : "s") + " found)");
        }
        return p;
    }

    /** The binding for node {@code id}. */
    public Plan forNode(int id) {
        Plan p = byNode.get(id);
        if (p == null) {
            return Plan.impossible("node " + id + " does not exist (nodes: " + nodeIds() + ")");
        }
        return p;
    }

    /** Node ids that have CPUs, in order: what {@code node: round-robin} cycles over. */
    public List<Integer> nodesWithCpus() {
        List<Integer> ids = new ArrayList<>();
        for (NumaNode n : topology.nodes()) {
            if (n.hasCpus()) {
                ids.add(n.id());
            }
        }
        return ids;
    }

    private String nodeIds() {
        StringBuilder sb = new StringBuilder();
        for (NumaNode n : topology.nodes()) {
            sb.append(sb.length() == 0 ? "" : ",").append(n.id());
        }
        return sb.toString();
    }

    private Plan planNode(NumaNode node, CpuSet allowed) {
        return bindingOn(node, -1, node.cpus().intersect(allowed));
    }

    private Plan planDevice(Device d, List<Device> sameNode, IntFunction<CpuSet> coreOfCpu) {
        if (!d.nodeKnown()) {
            return Plan.knownAtStart("device " + d.index() + (d.busId() == null ? "" : " (" + d.busId() + ")")
                    + " has no NUMA node (numa_node is -1 or unreadable); set devices.unknown-node: round-robin"
                    + " or give nodes explicitly with source: static");
        }
        Plan nodePlan = byNode.get(d.node());
        if (nodePlan == null) {
            return Plan.impossible("device " + d.index() + " is on node " + d.node() + ", which is not online");
        }
        if (nodePlan.problem() != null) {
            return Plan.impossible("device " + d.index() + ": " + nodePlan.problem());
        }
        Binding onNode = nodePlan.binding();
        CpuSet cpus = onNode.cpus();
        if (policy.cpus() == BindingConfig.Cpus.EXCLUSIVE) {
            cpus = ExclusiveSplit.share(onNode.cpus(), sameNode.size(), sameNode.indexOf(d), coreOfCpu);
            if (cpus.isEmpty()) {
                return Plan.impossible("device " + d.index() + ": node " + d.node() + " has fewer cores ("
                        + ExclusiveSplit.cores(onNode.cpus(), coreOfCpu).size() + ") than devices (" + sameNode.size()
                        + ") for cpus: exclusive");
            }
        }
        return Plan.of(new Binding(d.node(), d.index(), cpus, onNode.memory()));
    }

    private Plan bindingOn(NumaNode node, int device, CpuSet usable) {
        CpuSet cpus;
        if (policy.cpus() == BindingConfig.Cpus.NONE) {
            cpus = base.cpus();
        } else if (!node.hasCpus()) {
            return Plan.impossible("node " + node.id() + " has no CPUs (a memory-only node)");
        } else if (usable.isEmpty()) {
            return Plan.impossible("none of node " + node.id() + "'s CPUs (" + node.cpus()
                    + ") are allowed to this process (allowed: " + base.cpus() + "; a cpuset or taskset excludes them)");
        } else {
            cpus = usable;
        }
        MemPolicy memory;
        switch (policy.memory()) {
            case PREFERRED:
                memory = MemPolicy.onNode(MemPolicy.Mode.PREFERRED, node.id());
                break;
            case BIND:
                memory = MemPolicy.onNode(MemPolicy.Mode.BIND, node.id());
                break;
            default:
                memory = MemPolicy.DEFAULT;
        }
        return Plan.of(new Binding(node.id(), device, cpus, memory));
    }
}
