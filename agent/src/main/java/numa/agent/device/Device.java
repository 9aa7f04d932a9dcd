package numa.agent.device;

/**
 * An accelerator as the application numbers it.
 *
 * @param index         logical index: what rules' {@code device} expressions mean (after
 *                      {@code visible-env} remapping, device 0 is the first visible one)
 * @param physicalIndex index in the source's own order (NVML / bus order / accelN / static list)
 * @param source        {@code nvidia}, {@code pci}, {@code accel} or {@code static}
 * @param busId         PCI bus id in sysfs form ({@code 0000:3b:00.0}); null when none
 * @param node          NUMA node, or -1 when unknown ({@code numa_node} -1 or unreadable)
 * @param uuid          {@code GPU-...} when known, else null
 */
public record Device(int index, int physicalIndex, String source, String busId, int node, String uuid) {
    public boolean nodeKnown() {
        return node >= 0;
    }
}
