package numa.agent.device;

/**
 * An accelerator as the application numbers it.
 *
 * @param index         logical index: what rules' {@code device} expressions mean (after
 *                      {@code visible-env} remapping, device 0 is the first visible one)
 * @param physicalIndex index in the source's own order (NVML / KFD / bus order / accelN / static list)
 * @param source        the family or source that found it: {@code nvidia}, {@code amd},
 *                      {@code ascend}, {@code cambricon}, {@code intel}, {@code vendor},
 *                      {@code accel}, {@code pci} or {@code static}
 * @param busId         PCI bus id in sysfs form ({@code 0000:3b:00.0}); null when none
 * @param node          NUMA node, or -1 when unknown ({@code numa_node} -1 or unreadable)
 * @param uuid          {@code GPU-...} when known (NVML, or the KFD's {@code unique_id}), else null
 * @param moduleId      the Habana module id ({@code accelN/device/module_id}), which
 *                      {@code HABANA_VISIBLE_MODULES} names; -1 when the device has none
 */
public record Device(int index, int physicalIndex, String source, String busId, int node, String uuid, int moduleId) {
    public Device(int index, int physicalIndex, String source, String busId, int node, String uuid) {
        this(index, physicalIndex, source, busId, node, uuid, -1);
    }

    public boolean nodeKnown() {
        return node >= 0;
    }

    /** The same device under logical number {@code logical}. */
    Device withIndex(int logical) {
        return new Device(logical, physicalIndex, source, busId, node, uuid, moduleId);
    }

    /** The same device on {@code newNode}. */
    Device withNode(int newNode) {
        return new Device(index, physicalIndex, source, busId, newNode, uuid, moduleId);
    }
}
