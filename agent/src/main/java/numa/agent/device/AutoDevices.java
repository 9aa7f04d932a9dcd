package numa.agent.device;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code devices.source: auto}: NVIDIA GPUs ({@link NvidiaDevices}: NVML, else a PCI scan), then
 * accel devices ({@link AccelDevices}); the first source that finds a device wins. Which one did
 * is in each device's {@link Device#source()}.
 *
 * <p>A source that fails (an NVML call erroring) stops the search rather than falling through:
 * on a GPU machine, silently binding by some other source's numbering would be wrong.
 */
public final class AutoDevices implements DeviceLocator {
    private final List<DeviceLocator> sources;

    /** @param nvmlOrNull NVML when it loaded, else null */
    public AutoDevices(Path sysfs, Nvml nvmlOrNull) {
        this.sources = List.of(new NvidiaDevices(sysfs, nvmlOrNull), new AccelDevices(sysfs));
    }

    @Override
    public List<Device> locate() throws DeviceException {
        for (DeviceLocator source : sources) {
            List<Device> found = source.locate();
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    @Override
    public String name() {
        return "auto";
    }
}
