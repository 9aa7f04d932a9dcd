package numa.agent.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code devices.source: ascend}, {@code cambricon}, {@code intel}, {@code vendor} (and NVIDIA and
 * AMD GPUs when their own numbering cannot be had): the PCI functions of a {@link PciFamily}, in
 * bus order, or in the order {@code devices.pci} lists them when the runtime's order is not bus
 * order and sysfs cannot tell. Each function of the family's vendor that is not one of its classes
 * is {@link #leftOut() left out}, with why.
 */
public final class PciFamilyDevices implements DeviceLocator {
    /** Intel integrated graphics always sit here; discrete GPUs sit behind a bridge. */
    private static final BusId INTEGRATED_GPU = new BusId(0, 0, 2, 0);

    private final PciScan scan;
    private final PciFamily family;
    private final List<String> order;
    private final boolean skipIntegrated;
    private final List<LeftOut> leftOut = new ArrayList<>();

    /** @param order {@code devices.pci}: the devices in the runtime's order; empty for bus order */
    public PciFamilyDevices(java.nio.file.Path sysfs, PciFamily family, List<String> order) {
        this(new PciScan(sysfs), family, order, false);
    }

    /**
     * @param skipIntegrated leave out integrated graphics (0000:00:02.0): {@code auto} looks for
     *                       accelerators, and a workstation's iGPU beside its NVIDIA card is not one
     */
    PciFamilyDevices(PciScan scan, PciFamily family, List<String> order, boolean skipIntegrated) {
        this.scan = scan;
        this.family = family;
        this.order = List.copyOf(order);
        this.skipIntegrated = skipIntegrated;
    }

    @Override
    public List<Device> locate() throws DeviceException {
        leftOut.clear();
        if (!order.isEmpty()) {
            List<Device> listed = new PciDevices(scan.sysfs(), order).locate();
            return listed.stream().map(d -> new Device(d.index(), d.physicalIndex(), name(), d.busId(), d.node(), null)).toList();
        }
        List<Device> out = new ArrayList<>();
        for (PciScan.Function f : scan.functions()) {
            if (!family.hasVendor(f.vendor())) {
                continue;
            }
            String what = f.id() + " (vendor " + PciFamily.hex4(f.vendor()) + ", class "
                    + (f.pciClass() < 0 ? "unreadable" : String.format(Locale.ROOT, "0x%06x", f.pciClass())) + ")";
            if (!family.hasClass(f.pciClass())) {
                leftOut.add(new LeftOut(-1, what, "not " + family.noun() + ": its class is not " + family.classList()));
            } else if (skipIntegrated && f.id().equals(INTEGRATED_GPU)) {
                leftOut.add(new LeftOut(-1, what, "integrated graphics, left out by devices.source: auto;"
                        + " devices.source: " + family.name() + " counts it"));
            } else {
                int i = out.size();
                out.add(new Device(i, i, name(), f.id().toString(), PciSysfs.numaNode(f.dir()), null));
            }
        }
        return out;
    }

    @Override
    public String name() {
        return family.name();
    }

    @Override
    public String numbering() {
        return order.isEmpty() ? family.numbering() : "as devices.pci lists them";
    }

    @Override
    public Visibility visibility() {
        return family.visibility();
    }

    @Override
    public List<LeftOut> leftOut() {
        return List.copyOf(leftOut);
    }
}
