package numa.agent.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import numa.agent.config.DevicesConfig;
import numa.agent.topology.Topology;

/**
 * The {@code devices} section put to work: the configured source, then the {@code visible-env}
 * remapping (logical device numbers as the application sees them), then {@code unknown-node}.
 * NVML is loaded only for the sources that can use it, and only when some rule names a device:
 * loading it costs start-up time.
 */
public final class DeviceDiscovery {
    /**
     * @param searched    false when no rule needed devices (nothing was looked for)
     * @param description which source found them, for the log (e.g. {@code nvidia (NVML)})
     * @param devices     logical devices, {@code index} = the number rules use
     * @param warnings    one line each, for the log
     */
    public record Result(boolean searched, String description, List<Device> devices, List<String> warnings) {
        public Result {
            devices = List.copyOf(devices);
            warnings = List.copyOf(warnings);
        }

        static Result none() {
            return new Result(false, "not needed", List.of(), List.of());
        }
    }

    private DeviceDiscovery() {
    }

    /** Never throws: a source that fails is a warning and no devices. */
    public static Result discover(DevicesConfig config, Path sysfs, Topology topology, boolean needed) {
        if (!needed) {
            return Result.none();
        }
        List<String> warnings = new ArrayList<>();
        Nvml nvml = null;
        JnaNvml loaded = null;
        String description = config.source().name().toLowerCase(java.util.Locale.ROOT);
        try {
            if (config.source() == DevicesConfig.Source.NVIDIA || config.source() == DevicesConfig.Source.AUTO) {
                JnaNvml.LoadResult r = JnaNvml.tryLoad();
                loaded = r.nvml().orElse(null);
                nvml = loaded;
                description += " (" + r.reason() + ")";
            }
            DeviceLocator locator = locator(config, sysfs, nvml);
            List<Device> physical;
            try {
                physical = locator.locate();
            } catch (DeviceException e) {
                warnings.add("devices (source " + locator.name() + "): " + e.getMessage());
                return new Result(true, description, List.of(), warnings);
            }
            if (physical.isEmpty()) {
                warnings.add("no devices found (source " + description + "): rules that name a device bind nothing;"
                        + " give devices.source: static with nodes: [...] or source: pci with bus ids");
            }
            List<Device> logical = physical;
            String envName = config.visibleEnv();
            if (envName != null && !envName.isEmpty()) {
                VisibleDevices.Result v = VisibleDevices.remap(envName, System.getenv(envName), physical, nvml);
                logical = v.devices();
                warnings.addAll(v.warnings());
            }
            DeviceNodes.Result n = DeviceNodes.resolveUnknown(logical, topology,
                    config.unknownNode() == DevicesConfig.UnknownNode.ROUND_ROBIN);
            warnings.addAll(n.warnings());
            return new Result(true, description, n.devices(), warnings);
        } finally {
            if (loaded != null) {
                loaded.close();
            }
        }
    }

    private static DeviceLocator locator(DevicesConfig config, Path sysfs, Nvml nvml) {
        switch (config.source()) {
            case STATIC:
                return new StaticDevices(config.nodes());
            case PCI:
                return new PciDevices(sysfs, config.pci());
            case ACCEL:
                return new AccelDevices(sysfs);
            case NVIDIA:
                return new NvidiaDevices(sysfs, nvml);
            default:
                return new AutoDevices(sysfs, nvml);
        }
    }
}
