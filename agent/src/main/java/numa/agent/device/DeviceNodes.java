package numa.agent.device;

import java.util.ArrayList;
import java.util.List;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * Applies {@code devices.unknown-node} to devices whose NUMA node is not known.
 *
 * <p>A node is unknown when sysfs says -1 (single-socket boxes, many VMs, ARM) or when it names a
 * node the topology does not have online. {@code skip} keeps such a device with node -1: rules
 * that name it bind nothing. {@code round-robin} hands them the nodes that have CPUs, in turn,
 * which spreads the work but is a guess, so each assignment is reported too.
 */
public final class DeviceNodes {
    /**
     * @param devices  the same devices, in the same order, with nodes resolved where the policy could
     * @param warnings one line per device whose node was unknown, saying what happened and what to do
     */
    public record Result(List<Device> devices, List<String> warnings) {
        public Result {
            devices = List.copyOf(devices);
            warnings = List.copyOf(warnings);
        }
    }

    private DeviceNodes() {
    }

    /**
     * @param roundRobin true for {@code unknown-node: round-robin}, false for {@code skip}
     */
    public static Result resolveUnknown(List<Device> devices, Topology topology, boolean roundRobin) {
        List<NumaNode> targets = topology.nodesWithCpus();
        List<Device> out = new ArrayList<>(devices.size());
        List<String> warnings = new ArrayList<>();
        int turn = 0;
        for (Device d : devices) {
            String why;
            boolean listed = d.source().equals("static");
            if (listed && d.nodeKnown() && topology.node(d.node()).isEmpty()) {
                // the user's own list names the node: pointing back at that list, or guessing
                // another node for it, would be no advice; the planner says the node is not online
                out.add(d);
                warnings.add("device " + d.index() + describe(d) + ": devices.nodes gives it node " + d.node()
                        + ", which " + topology.source() + " does not list as online (online here: " + onlineNodes(topology)
                        + "); threads for it stay unbound. Give a node that exists here in devices.nodes (see"
                        + " `numa-agent topology`)");
                continue;
            }
            if (!d.nodeKnown() && listed) {
                why = "devices.nodes gives it -1 (unknown)";
            } else if (!d.nodeKnown()) {
                why = "its NUMA node is unknown (numa_node is -1 or unreadable)";
            } else if (topology.node(d.node()).isEmpty()) {
                why = "it reports NUMA node " + d.node() + ", which " + topology.source() + " does not list as online";
            } else {
                out.add(d);
                continue;
            }
            String name = "device " + d.index() + describe(d);
            if (roundRobin && !targets.isEmpty()) {
                int node = targets.get(turn++ % targets.size()).id();
                out.add(withNode(d, node));
                warnings.add(name + ": " + why + "; assigned node " + node + " by unknown-node: round-robin, "
                        + "a guess: list the real nodes with devices.source: static if you know them");
            } else {
                out.add(withNode(d, -1));
                warnings.add(name + ": " + why + "; threads for it stay unbound"
                        + (roundRobin ? " (no node has CPUs to assign)" : "")
                        + (listed ? ". To bind them, give its node in devices.nodes, or set devices.unknown-node: round-robin"
                        : ". To bind them, list nodes with devices.source: static and devices.nodes, "
                        + "or set devices.unknown-node: round-robin"));
            }
        }
        return new Result(out, warnings);
    }

    private static String onlineNodes(Topology topology) {
        StringBuilder sb = new StringBuilder();
        for (NumaNode n : topology.nodes()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(n.id());
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static String describe(Device d) {
        StringBuilder sb = new StringBuilder(" (").append(d.source());
        if (d.busId() != null) {
            sb.append(' ').append(d.busId());
        }
        if (d.physicalIndex() != d.index()) {
            sb.append(", physical ").append(d.physicalIndex());
        }
        return sb.append(')').toString();
    }

    private static Device withNode(Device d, int node) {
        return d.withNode(node);
    }
}
