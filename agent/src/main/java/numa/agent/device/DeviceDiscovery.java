package numa.agent.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import numa.agent.config.DevicesConfig;
import numa.agent.topology.Topology;

/**
 * The {@code devices} section put to work: the configured source, then its family's visibility
 * variables, or the one {@code visible-env} names (logical device numbers as the application sees
 * them), then {@code unknown-node}.
 * NVML is loaded only for the sources that can use it, and only when some rule names a device:
 * loading it costs start-up time.
 */
public final class DeviceDiscovery {
    /**
     * @param searched    false when no rule needed devices (nothing was looked for)
     * @param description which source found them, for the log (e.g. {@code nvidia (NVML)})
     * @param devices     logical devices, {@code index} = the number rules use
     * @param warnings    one line each, for the log
     * @param family      the family of the devices found ({@code nvidia}, {@code amd}, ...), or null
     *                    when none were found
     * @param numbering   how the physical devices are numbered ({@code KFD topology order ...})
     * @param visibility  the variables read, and what they were set to:
     *                    {@code ROCR_VISIBLE_DEVICES='1,3', then HIP_VISIBLE_DEVICES='1'}, or the
     *                    names and {@code (not set)}
     * @param visibleValues each variable that was set and applied, name to value, in the order applied
     * @param leftOut     what looked like a device and is not one, and why
     */
    public record Result(boolean searched, String description, List<Device> devices, List<String> warnings,
                         String family, String numbering, String visibility, Map<String, String> visibleValues,
                         List<LeftOut> leftOut) {
        public Result {
            devices = List.copyOf(devices);
            warnings = List.copyOf(warnings);
            visibleValues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(visibleValues));
            leftOut = List.copyOf(leftOut);
        }

        public Result(boolean searched, String description, List<Device> devices, List<String> warnings) {
            this(searched, description, devices, warnings, null, "", "", Map.of(), List.of());
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
                return new Result(true, description, List.of(), warnings, null, locator.numbering(), "", Map.of(),
                        locator.leftOut());
            }
            if (physical.isEmpty()) {
                // the source alone: the description (on the line before, with NVML's load error) is not repeated
                warnings.add("no devices found (source " + locator.name() + "): rules that name a device bind nothing;"
                        + " give devices.source: static with nodes: [...] or source: pci with bus ids");
            }
            Visibility visibility = config.visibleEnv() == null ? locator.visibility()
                    : locator.visibility().override(config.visibleEnv());
            Visibility.Applied v = visibility.apply(physical, env, nvml);
            warnings.addAll(v.warnings());
            List<LeftOut> leftOut = new ArrayList<>(locator.leftOut());
            leftOut.addAll(v.leftOut());
            DeviceNodes.Result n = DeviceNodes.resolveUnknown(v.devices(), topology,
                    config.unknownNode() == DevicesConfig.UnknownNode.ROUND_ROBIN);
            warnings.addAll(n.warnings());
            Map<String, String> values = new LinkedHashMap<>();
            v.applied().forEach(name -> values.put(name, env.apply(name)));
            String applied = v.applied().isEmpty() ? visibility.describe() + (visibility == Visibility.NONE ? ""
                    : config.visibleEnv() == null ? " (not set)" : " (devices.visible-env; not set)")
                    : String.join(", then ", v.applied().stream().map(name -> name + "='" + values.get(name) + "'").toList());
            return new Result(true, description, n.devices(), warnings,
                    physical.isEmpty() ? null : physical.get(0).source(), locator.numbering(), applied, values, leftOut);
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
            case AMD:
                return new AmdDevices(sysfs, config.pci());
            case ASCEND:
                return new PciFamilyDevices(sysfs, PciFamily.ASCEND, config.pci());
            case CAMBRICON:
                return new PciFamilyDevices(sysfs, PciFamily.CAMBRICON, config.pci());
            case INTEL:
                return new PciFamilyDevices(sysfs, PciFamily.INTEL, config.pci());
            case VENDOR:
                return new PciFamilyDevices(sysfs, PciFamily.vendor(config.vendor()), config.pci());
            case NVIDIA:
                return new NvidiaDevices(sysfs, nvml);
            default:
                return new AutoDevices(sysfs, nvml);
        }
    }
}
