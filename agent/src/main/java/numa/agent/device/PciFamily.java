package numa.agent.device;

import java.util.List;
import java.util.Locale;

/**
 * An accelerator family found by a PCI scan: which vendors and classes its devices have, what its
 * runtime calls them, the variables that pick the ones a process sees, and how the runtime numbers
 * them when that is bus order.
 *
 * <p>The class matters as much as the vendor: Huawei's NICs share vendor 0x19e5 with Ascend NPUs,
 * every GPU has an audio function, Intel makes the CPU's own bridges.
 *
 * @param name       the {@code devices.source} value and each device's {@code source}
 * @param noun       what one device is called, with its article ({@code a GPU}, {@code an NPU}, ...)
 * @param vendors    PCI vendor ids
 * @param classes    PCI classes: a base class ({@code 0x03}) or a base class and subclass ({@code 0x0b40})
 * @param visibility the variables its runtime reads
 * @param numbering  how its runtime numbers the devices, for {@code topology} and {@code check}
 */
public record PciFamily(String name, String noun, List<Integer> vendors, List<Integer> classes, Visibility visibility,
                        String numbering) {
    static final int DISPLAY = 0x03;
    static final int PROCESSING_ACCELERATOR = 0x12;
    static final int CO_PROCESSOR = 0x0b40;

    /** NVIDIA GPUs without NVML: NVSwitches (0x0680) and the cards' audio and USB functions are left out. */
    public static final PciFamily NVIDIA = new PciFamily("nvidia", "a GPU", List.of(0x10de), List.of(DISPLAY),
            Visibility.CUDA, "PCI bus order (as NVML numbers them)");
    /** AMD Instinct/Radeon and Hygon DCU, when the KFD topology that gives HIP's order cannot be read. */
    public static final PciFamily AMD = new PciFamily("amd", "a GPU", List.of(0x1002, 0x1d94),
            List.of(DISPLAY, PROCESSING_ACCELERATOR), AmdDevices.VISIBILITY, "PCI bus order");
    public static final PciFamily ASCEND = new PciFamily("ascend", "an NPU", List.of(0x19e5), List.of(PROCESSING_ACCELERATOR),
            Visibility.of(new VisibleEnv("ASCEND_RT_VISIBLE_DEVICES", "the Ascend runtime", VisibleEnv.Entries.INDEX, true)),
            "PCI bus order, taken as the logical order: sysfs does not give Ascend logical ids; if `npu-smi info -m`"
                    + " lists another order, give devices.pci in logical order");
    public static final PciFamily CAMBRICON = new PciFamily("cambricon", "an MLU", List.of(0xcabc),
            List.of(PROCESSING_ACCELERATOR, DISPLAY),
            Visibility.of(new VisibleEnv("MLU_VISIBLE_DEVICES", "CNRT", VisibleEnv.Entries.INDEX, false),
                    new VisibleEnv("CAMBRICON_VISIBLE_DEVICES", "CNRT", VisibleEnv.Entries.INDEX, false)),
            "PCI bus order (as cnmon numbers them)");
    public static final PciFamily INTEL = new PciFamily("intel", "a GPU", List.of(0x8086), List.of(DISPLAY),
            Visibility.of(new VisibleEnv("ZE_AFFINITY_MASK", "Level Zero", VisibleEnv.Entries.LEVEL_ZERO, false)),
            "PCI bus order (as Level Zero numbers them)");

    /**
     * {@code source: vendor} with {@code vendor: 0xNNNN}: display and accelerator functions of
     * that vendor (MetaX, Iluvatar, Moore Threads, ...); no variable is known, so none is read
     * unless {@code visible-env} names it.
     */
    public static PciFamily vendor(int vendor) {
        return new PciFamily("vendor", "an accelerator", List.of(vendor), List.of(DISPLAY, PROCESSING_ACCELERATOR, CO_PROCESSOR),
                Visibility.NONE, "PCI bus order (vendor " + hex4(vendor) + ")");
    }

    public PciFamily {
        vendors = List.copyOf(vendors);
        classes = List.copyOf(classes);
    }

    boolean hasVendor(int vendor) {
        return vendors.contains(vendor);
    }

    boolean hasClass(int pciClass) {
        for (int c : classes) {
            if (c <= 0xff ? (pciClass >>> 16) == c : (pciClass >>> 8) == c) {
                return true;
            }
        }
        return false;
    }

    /** The classes, for messages: {@code 0x12 (processing accelerator)}. */
    String classList() {
        return String.join(" or ", classes.stream().map(PciFamily::className).toList());
    }

    private static String className(int c) {
        return switch (c) {
            case DISPLAY -> "0x03 (display)";
            case PROCESSING_ACCELERATOR -> "0x12 (processing accelerator)";
            case CO_PROCESSOR -> "0x0b40 (co-processor)";
            default -> String.format(Locale.ROOT, "0x%02x", c);
        };
    }

    static String hex4(int vendor) {
        return String.format(Locale.ROOT, "0x%04x", vendor);
    }
}
