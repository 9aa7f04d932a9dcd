package numa.agent.device;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Renumbers devices the way the application sees them through a {@code CUDA_VISIBLE_DEVICES}-style
 * variable: logical device i is the i-th entry.
 *
 * <p>Entries are read as CUDA reads them (as PyTorch's {@code _parse_visible_devices} documents):
 * <ul>
 *   <li>an index into the physical list; leading digits count ({@code 1gpu} is 1, with a warning);</li>
 *   <li>{@code GPU-<uuid>}, or a prefix of it that matches one GPU only;</li>
 *   <li>{@code MIG-<uuid>}, the GPU it is a slice of, found through NVML; the older
 *       {@code MIG-GPU-<uuid>/<gi>/<ci>} form names its GPU itself;</li>
 *   <li>a negative index ends the list without a warning ({@code -1} is the usual "no GPU");</li>
 *   <li>an entry that does not resolve ends the list: CUDA ignores it and every entry after it;</li>
 *   <li>a device listed twice makes CUDA see no device at all.</li>
 * </ul>
 * Unset means every physical device in physical order; set but empty means none.
 */
public final class VisibleDevices {
    /**
     * @param devices  the visible devices, {@code index} = logical position, {@code physicalIndex} kept
     * @param warnings one line each, for the log, about entries that were not what they seemed
     */
    public record Result(List<Device> devices, List<String> warnings) {
        public Result {
            devices = List.copyOf(devices);
            warnings = List.copyOf(warnings);
        }
    }

    private VisibleDevices() {
    }

    /** {@link #remap(String, String, List, Nvml)} for {@code CUDA_VISIBLE_DEVICES}. */
    public static Result remap(String envValue, List<Device> physical, Nvml nvmlOrNull) {
        return remap("CUDA_VISIBLE_DEVICES", envValue, physical, nvmlOrNull);
    }

    /**
     * @param envName    the variable's name, for messages
     * @param envValue   its value, or null when unset
     * @param physical   devices in physical order, as a {@link DeviceLocator} returned them
     * @param nvmlOrNull NVML when loaded: needed for {@code MIG-} entries
     */
    public static Result remap(String envName, String envValue, List<Device> physical, Nvml nvmlOrNull) {
        if (envValue == null) {
            return new Result(physical, List.of());
        }
        List<Device> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (envValue.isBlank()) {
            return new Result(out, warnings);
        }
        Set<String> seen = new HashSet<>();
        String[] entries = envValue.split(",", -1);
        for (int pos = 0; pos < entries.length; pos++) {
            String entry = entries[pos].trim();
            String where = envName + "='" + envValue + "', entry " + (pos + 1) + " '" + entry + "'";
            Resolved r = new Resolver(physical, nvmlOrNull, entry).resolve();
            if (r.stopQuietly) {
                break;
            }
            if (r.device == null) {
                warnings.add(where + ": " + r.problem + ". CUDA ignores it and every entry after it, so "
                        + visible(out.size()));
                break;
            }
            if (r.note != null) {
                warnings.add(where + ": " + r.note);
            }
            if (!seen.add(r.key)) {
                warnings.add(where + ": lists " + r.key + " a second time, and then CUDA sees no device at all; "
                        + "list each device once");
                return new Result(List.of(), warnings);
            }
            Device d = r.device;
            out.add(new Device(out.size(), d.physicalIndex(), d.source(), d.busId(), d.node(), d.uuid()));
        }
        return new Result(out, warnings);
    }

    private static String visible(int count) {
        return switch (count) {
            case 0 -> "no device is visible";
            case 1 -> "only logical device 0 is visible";
            default -> "only logical devices 0-" + (count - 1) + " are visible";
        };
    }

    /** One entry's outcome: a device (with a key for duplicate checks), a problem, or a quiet stop. */
    private record Resolved(Device device, String key, String note, String problem, boolean stopQuietly) {
        static Resolved of(Device d, String key, String note) {
            return new Resolved(d, key, note, null, false);
        }

        static Resolved problem(String why) {
            return new Resolved(null, null, null, why, false);
        }

        static Resolved stop() {
            return new Resolved(null, null, null, null, true);
        }
    }

    private static final class Resolver {
        private final List<Device> physical;
        private final Nvml nvml;
        private final String entry;

        Resolver(List<Device> physical, Nvml nvml, String entry) {
            this.physical = physical;
            this.nvml = nvml;
            this.entry = entry;
        }

        Resolved resolve() {
            if (entry.isEmpty()) {
                return Resolved.problem("empty entry; expected an index, GPU-<uuid> or MIG-<uuid>");
            }
            String upper = entry.toUpperCase(Locale.ROOT);
            if (upper.startsWith("MIG-GPU-")) {
                return legacyMig();
            }
            if (upper.startsWith("MIG-")) {
                return mig();
            }
            if (upper.startsWith("GPU-")) {
                return gpuUuid(entry, true);
            }
            return index();
        }

        private Resolved index() {
            int end = 0;
            if (end < entry.length() && (entry.charAt(end) == '-' || entry.charAt(end) == '+')) {
                end++;
            }
            int digitsFrom = end;
            while (end < entry.length() && entry.charAt(end) >= '0' && entry.charAt(end) <= '9') {
                end++;
            }
            if (end == digitsFrom) {
                return Resolved.problem("not a device index, GPU-<uuid> or MIG-<uuid>");
            }
            if (entry.charAt(0) == '-') {
                return Resolved.stop();
            }
            long value;
            try {
                value = Long.parseLong(entry.substring(digitsFrom, end));
            } catch (NumberFormatException e) {
                value = Long.MAX_VALUE;
            }
            if (value >= physical.size()) {
                return Resolved.problem("there is no device " + value + " ("
                        + (physical.isEmpty() ? "no device was found" : physical.size() + " found: 0-" + (physical.size() - 1)) + ")");
            }
            String note = end < entry.length()
                    ? "read as " + value + ", as CUDA reads leading digits; write just the index" : null;
            Device d = physical.get((int) value);
            return Resolved.of(d, "device " + d.physicalIndex(), note);
        }

        /** {@code GPU-<uuid>} or a unique prefix of one, matched without regard to case. */
        private Resolved gpuUuid(String uuid, boolean prefixAllowed) {
            if (physical.stream().allMatch(d -> d.uuid() == null)) {
                return Resolved.problem("GPU UUIDs are known only through NVML (libnvidia-ml.so.1), which is not "
                        + "loaded; use device indexes, or make the library visible to the JVM");
            }
            String want = uuid.toLowerCase(Locale.ROOT);
            List<Device> matches = new ArrayList<>();
            for (Device d : physical) {
                if (d.uuid() == null) {
                    continue;
                }
                String have = d.uuid().toLowerCase(Locale.ROOT);
                if (have.equals(want)) {
                    return Resolved.of(d, "device " + d.physicalIndex(), null);
                }
                if (prefixAllowed && have.startsWith(want)) {
                    matches.add(d);
                }
            }
            if (matches.size() == 1) {
                Device d = matches.get(0);
                return Resolved.of(d, "device " + d.physicalIndex(), null);
            }
            if (matches.size() > 1) {
                return Resolved.problem("the prefix matches " + matches.size() + " GPUs ("
                        + matches.stream().map(Device::uuid).toList() + "); give enough digits to name one");
            }
            return Resolved.problem("no GPU has this UUID; `nvidia-smi -L` lists them");
        }

        /** {@code MIG-GPU-<uuid>/<gi>/<ci>} (drivers before R470): the parent GPU is in the id. */
        private Resolved legacyMig() {
            int slash = entry.indexOf('/');
            if (slash < 0) {
                return Resolved.problem("expected MIG-GPU-<uuid>/<gpu instance>/<compute instance>");
            }
            Resolved parent = gpuUuid(entry.substring("MIG-".length(), slash), false);
            if (parent.device == null) {
                return parent;
            }
            return Resolved.of(parent.device, entry, null);
        }

        private Resolved mig() {
            if (nvml == null) {
                return Resolved.problem("a MIG device's GPU can be found only through NVML (libnvidia-ml.so.1), "
                        + "which is not loaded; use the GPU's index, or make the library visible to the JVM");
            }
            OptionalInt parent;
            try {
                parent = nvml.parentOfMig(entry);
            } catch (DeviceException e) {
                return Resolved.problem(e.getMessage());
            }
            if (parent.isEmpty()) {
                return Resolved.problem("NVML knows no MIG device with this UUID; `nvidia-smi -L` lists them");
            }
            for (Device d : physical) {
                if (d.physicalIndex() == parent.getAsInt()) {
                    // two MIG slices of one GPU are two CUDA devices on the same node: key by MIG id
                    return Resolved.of(d, entry, null);
                }
            }
            return Resolved.problem("NVML puts it on GPU " + parent.getAsInt() + ", which is not among the "
                    + physical.size() + " devices found; use devices.source: nvidia or auto");
        }
    }
}
