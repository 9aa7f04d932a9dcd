package numa.agent.device;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code devices.source: static}: device i lives on node {@code nodes[i]}, as the user wrote it.
 * For machines whose sysfs does not know (numa_node -1 in a VM) or cannot be read.
 */
public final class StaticDevices implements DeviceLocator {
    private final List<Integer> nodes;

    /** @param nodes node of each device, in device order; -1 marks a device whose node is unknown */
    public StaticDevices(List<Integer> nodes) {
        this.nodes = new ArrayList<>(nodes); // keeps nulls, reported by locate()
    }

    @Override
    public List<Device> locate() throws DeviceException {
        List<Device> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Integer node = nodes.get(i);
            if (node == null || node < -1) {
                throw new DeviceException("devices.nodes[" + i + "] is " + node
                        + ": expected a NUMA node number (0, 1, ...) or -1 for unknown; see `numactl -H`");
            }
            out.add(new Device(i, i, name(), null, node, null));
        }
        return out;
    }

    @Override
    public String name() {
        return "static";
    }
}
