package numa.agent.device;

import java.util.List;

/**
 * One way of finding the machine's accelerators ({@code devices.source}).
 *
 * <p>Devices come back in the source's physical order with {@code index == physicalIndex} and
 * their NUMA node resolved ({@code -1} when sysfs does not know it); logical numbering
 * ({@link Visibility}) and unknown nodes ({@link DeviceNodes}) are handled afterwards.
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

    /** How the physical devices are numbered, for people: {@code PCI bus order}, {@code KFD topology order}. */
    default String numbering() {
        return "in the order devices." + (name().equals("static") ? "nodes" : name()) + " lists them";
    }

    /** The variables that pick the devices a process sees, when {@code visible-env} does not say. */
    default Visibility visibility() {
        return Visibility.CUDA;
    }

    /** After {@link #locate()}: what looked like a device and is not one, and why. */
    default List<LeftOut> leftOut() {
        return List.of();
    }
}
