package numa.agent.device;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function address, {@code domain:bus:device.function}.
 *
 * <p>Tools spell the same function differently: NVML says {@code 00000000:3B:00.0}, {@code lspci}
 * says {@code 3b:00.0} or {@code 0000:3b:00.0}, sysfs names it {@code 0000:3b:00.0}. The
 * {@link #toString() sysfs form} is the one that opens {@code /sys/bus/pci/devices/<id>}: the
 * kernel prints the domain with {@code %04x}, so lower case, at least 4 digits, and more only when
 * the domain needs them. Wide domains (Intel VMD's {@code 10000}, some Hyper-V hosts) must keep
 * every significant digit: truncating them to 16 bits names a different function (xLLM PR 1776,
 * PyTorch 115305).
 *
 * @param domain   0 to 0xffffffff
 * @param bus      0 to 0xff
 * @param device   0 to 0x1f
 * @param function 0 to 7
 */
public record BusId(long domain, int bus, int device, int function) implements Comparable<BusId> {
    private static final Pattern FORM = Pattern.compile(
            "(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");
    private static final String EXPECTED =
            "expected domain:bus:device.function in hex, e.g. 0000:3b:00.0 (as `lspci -D` prints it)";
    private static final Comparator<BusId> ORDER = Comparator.comparingLong(BusId::domain)
            .thenComparingInt(BusId::bus).thenComparingInt(BusId::device).thenComparingInt(BusId::function);

    public BusId {
        if (domain < 0 || domain > 0xffff_ffffL || bus < 0 || bus > 0xff || device < 0 || device > 0x1f
                || function < 0 || function > 7) {
            throw new IllegalArgumentException("PCI address out of range: domain " + domain + ", bus " + bus
                    + ", device " + device + ", function " + function);
        }
    }

    /**
     * Parses any common spelling: any case, a domain of 1 to 8 hex digits or none (then 0).
     *
     * @throws IllegalArgumentException quoting the text and the expected form
     */
    public static BusId parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a PCI address: " + EXPECTED);
        }
        long domain = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
        int device = Integer.parseInt(m.group(3), 16);
        if (device > 0x1f) {
            throw new IllegalArgumentException("'" + text + "' is not a PCI address: device " + m.group(3)
                    + " is above 1f; " + EXPECTED);
        }
        return new BusId(domain, Integer.parseInt(m.group(2), 16), device, Integer.parseInt(m.group(4)));
    }

    /** {@link #parse} without the exception, for names found while scanning sysfs. */
    static Optional<BusId> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The sysfs spelling of a bus id: {@code 00000000:3B:00.0 -> 0000:3b:00.0},
     * {@code 00010000:E1:00.0 -> 10000:e1:00.0}, {@code 3b:00.0 -> 0000:3b:00.0}.
     *
     * @throws IllegalArgumentException when {@code text} is not a PCI address
     */
    public static String normalize(String text) {
        return parse(text).toString();
    }

    /** Bus order: domain, bus, device, function, each numerically (the order NVML numbers GPUs in). */
    @Override
    public int compareTo(BusId other) {
        return ORDER.compare(this, other);
    }

    /** The sysfs form, e.g. {@code 0000:3b:00.0}. */
    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%d", domain, bus, device, function);
    }
}
