package numa.agent.device;

import java.util.OptionalInt;

/**
 * The few NVIDIA Management Library queries the agent needs. Indexes are NVML's, which follow PCI
 * bus order and ignore {@code CUDA_VISIBLE_DEVICES}. {@link JnaNvml} is the real one.
 */
public interface Nvml {
    /** Number of GPUs the driver manages ({@code nvmlDeviceGetCount_v2}). */
    int deviceCount() throws DeviceException;

    /** The GPU's PCI bus id as NVML spells it, e.g. {@code 00000000:3B:00.0}. */
    String pciBusId(int index) throws DeviceException;

    /** The GPU's UUID, e.g. {@code GPU-5a2c8f3e-...}. */
    String uuid(int index) throws DeviceException;

    /**
     * The index of the GPU that the MIG device {@code migUuid} ({@code MIG-...}) is a slice of;
     * empty when NVML knows no such MIG device.
     */
    OptionalInt parentOfMig(String migUuid) throws DeviceException;
}
