package numa.agent.device;

import java.util.List;

/**
 * One way of finding the machine's accelerators ({@code devices.source}).
 *
 * <p>Devices come back in the source's physical order with {@code index == physicalIndex} and
 * their NUMA node resolved ({@code -1} when sysfs does not know it); logical numbering
 * ({@link VisibleDevices}) and unknown nodes ({@link DeviceNodes}) are handled afterwards.
 */
public interface DeviceLocator {
    /**
     * Finds the devices now. An empty list means this source sees no device (no error).
     *
     * @throws DeviceException when the source is configured or answers in a way that cannot be
     *                         right (a bus id with no PCI function, an NVML call failing)
     */
    List<Device> locate() throws DeviceException;

    /** The source's name as {@code devices.source} spells it: {@code nvidia}, {@code pci}, ... */
    String name();
}
