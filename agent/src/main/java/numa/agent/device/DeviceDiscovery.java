package numa.agent.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

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
        return discover(config, sysfs, topology, needed, true, System::getenv);
    }

    /**
     * Same as {@link #discover(DevicesConfig, Path, Topology, boolean)}, for callers that look at a
     * sysfs tree other than this machine's (the command line's {@code --sysfs}, tests): NVML
     * describes the GPUs of this machine's driver, which such a tree is not, so it can be left out;
     * and the {@code visible-env} variable is read through {@code env}.
     *
     * @param useNvml false to find NVIDIA GPUs by the PCI scan of {@code sysfs} only
     * @param env     environment lookup ({@code System::getenv} in production)
     */
    public static Result discover(DevicesConfig config, Path sysfs, Topology topology, boolean needed,
                                  boolean useNvml, UnaryOperator<String> env) {
        if (!needed) {
            return Result.none();
        }
        List<String> warnings = new ArrayList<>();
        Nvml nvml = null;
        JnaNvml loaded = null;
        String description = config.source().name().toLowerCase(java.util.Locale.ROOT);
        try {
            if (config.source() == DevicesConfig.Source.NVIDIA || config.source() == DevicesConfig.Source.AUTO) {
                if (useNvml) {
                    JnaNvml.LoadResult r = JnaNvml.tryLoad();
                    loaded = r.nvml().orElse(null);
                    nvml = loaded;
                    description += " (" + r.reason() + ")";
                } else {
                    description += " (NVML not used: NVIDIA GPUs found by a PCI scan of " + sysfs + ")";
                }
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
                // the source alone: the description (on the line before, with NVML's load error) is not repeated
                warnings.add("no devices found (source " + locator.name() + "): rules that name a device bind nothing;"
                        + " give devices.source: static with nodes: [...] or source: pci with bus ids");
            }
            List<Device> logical = physical;
            String envName = config.visibleEnv();
            if (envName != null && !envName.isEmpty()) {
                VisibleDevices.Result v = VisibleDevices.remap(envName, env.apply(envName), physical, nvml);
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
