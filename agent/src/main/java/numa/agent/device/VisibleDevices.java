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
 *
 * <p>Other runtimes' variables ({@link VisibleEnv}) are read the same way, with their own entries:
 * ROCr's indexes and {@code GPU-} UUIDs, Level Zero's {@code device.subdevice}, Habana's module ids;
 * where the runtime numbers what it shows in its own order ({@link VisibleEnv#ascending()}), so does
 * the agent. An entry that does not resolve ends the list there too; a device listed twice is
 * counted once.
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

    /** {@link #remap(VisibleEnv, String, List, Nvml)} for a variable read as CUDA reads its own. */
    public static Result remap(String envName, String envValue, List<Device> physical, Nvml nvmlOrNull) {
        return remap(VisibleEnv.cudaStyle(envName), envValue, physical, nvmlOrNull);
    }

    /**
     * @param variable   the variable and how its runtime reads it
     * @param envValue   its value, or null when unset
     * @param physical   devices in the order the runtime sees them before this variable
     * @param nvmlOrNull NVML when loaded: needed for {@code MIG-} entries
     */
    public static Result remap(VisibleEnv variable, String envValue, List<Device> physical, Nvml nvmlOrNull) {
        if (envValue == null) {
            return new Result(physical, List.of());
        }
        String envName = variable.name();
        boolean cuda = variable.entries() == VisibleEnv.Entries.CUDA;
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
            Resolved r = new Resolver(physical, nvmlOrNull, entry, variable.entries()).resolve();
            if (r.stopQuietly) {
                break;
            }
            if (r.device == null) {
                warnings.add(where + ": " + r.problem + (cuda ? ". CUDA ignores it and every entry after it, so "
                        : ". " + variable.runtime() + " cannot use it; the agent reads no further, so ") + visible(out.size()));
                break;
            }
            if (r.note != null) {
                warnings.add(where + ": " + r.note);
            }
            if (!seen.add(r.key)) {
                if (cuda) {
                    warnings.add(where + ": lists " + r.key + " a second time, and then CUDA sees no device at all; "
                            + "list each device once");
                    return new Result(List.of(), warnings);
                }
                warnings.add(where + ": lists " + r.key + " a second time; the agent counts it once: list each device once");
                continue;
            }
            out.add(r.device.withIndex(out.size()));
        }
        if (variable.ascending() && !isAscending(out)) {
            out.sort(java.util.Comparator.comparingInt(Device::physicalIndex));
            for (int i = 0; i < out.size(); i++) {
                out.set(i, out.get(i).withIndex(i));
            }
            warnings.add(envName + "='" + envValue + "' is not in ascending order; " + variable.runtime()
                    + " numbers the devices it shows in ascending order, and so does the agent: write them ascending");
        }
        return new Result(out, warnings);
    }

    private static boolean isAscending(List<Device> devices) {
        for (int i = 1; i < devices.size(); i++) {
            if (devices.get(i).physicalIndex() < devices.get(i - 1).physicalIndex()) {
                return false;
            }
        }
        return true;
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
        private final VisibleEnv.Entries kind;

        Resolver(List<Device> physical, Nvml nvml, String entry, VisibleEnv.Entries kind) {
            this.physical = physical;
            this.nvml = nvml;
            this.entry = entry;
            this.kind = kind;
        }

        private String expected() {
            return switch (kind) {
                case CUDA -> "a device index, GPU-<uuid> or MIG-<uuid>";
                case INDEX_OR_UUID -> "a device index or GPU-<uuid>";
                case INDEX -> "a device index";
                case LEVEL_ZERO -> "a device index, or device.subdevice";
                case MODULE_ID -> "a module id (0, 1, ...)";
            };
        }

        Resolved resolve() {
            if (entry.isEmpty()) {
                return Resolved.problem("empty entry; expected " + expected());
            }
            String upper = entry.toUpperCase(Locale.ROOT);
            switch (kind) {
                case INDEX_OR_UUID:
                    return upper.startsWith("GPU-") ? gpuUuid(entry, false) : index();
                case INDEX:
                    return index();
                case LEVEL_ZERO:
                    return levelZero();
                case MODULE_ID:
                    return module();
                default:
                    break;
            }
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
                return Resolved.problem("not " + expected());
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
                return Resolved.problem(kind == VisibleEnv.Entries.CUDA
                        ? "GPU UUIDs are known only through NVML (libnvidia-ml.so.1), which is not "
                        + "loaded; use device indexes, or make the library visible to the JVM"
                        : "no GPU found has a UUID (the KFD topology gives them as unique_id); use device indexes");
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
            return Resolved.problem("no GPU has this UUID; " + (kind == VisibleEnv.Entries.CUDA
                    ? "`nvidia-smi -L` lists them" : "`rocm-smi --showuniqueid` lists them"));
        }

        /**
         * {@code N} or {@code N.M}: card N, or tile M of it; a tile lives on its card's node. Two
         * tiles of one card are two devices, so the key is the entry.
         */
        private Resolved levelZero() {
            int dot = entry.indexOf('.');
            if (dot >= 0 && (dot == entry.length() - 1 || !entry.substring(dot + 1).chars().allMatch(Character::isDigit))) {
                return Resolved.problem("not " + expected());
            }
            Resolved card = dot < 0 ? index() : new Resolver(physical, nvml, entry.substring(0, dot), kind).index();
            return card.device == null ? card : Resolved.of(card.device, dot < 0 ? card.key : entry, null);
        }

        private Resolved module() {
            if (!entry.chars().allMatch(Character::isDigit) || entry.length() > 9) {
                return Resolved.problem("not " + expected());
            }
            int id = Integer.parseInt(entry);
            for (Device d : physical) {
                if (d.moduleId() == id) {
                    return Resolved.of(d, "module " + id, null);
                }
            }
            return Resolved.problem("no device has module id " + id + " (accelN/device/module_id"
                    + (physical.stream().anyMatch(d -> d.moduleId() >= 0) ? "" : "; none of the devices found has one") + ")");
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
