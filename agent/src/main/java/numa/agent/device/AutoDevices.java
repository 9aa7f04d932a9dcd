package numa.agent.device;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code devices.source: auto}: every family from sysfs — NVIDIA GPUs ({@link NvidiaDevices}:
 * NVML, else a PCI scan), AMD GPUs and Hygon DCUs ({@link AmdDevices}), Ascend NPUs, Cambricon MLUs,
 * Intel GPUs ({@link PciFamilyDevices}; integrated graphics left out), then accel devices
 * ({@link AccelDevices}) when none of those found any: a laptop's NPU beside its GPU is not what a
 * server drives, and Gaudi hosts have no GPUs. The family that finds devices wins; which one did is
 * in each device's {@link Device#source()}. One PCI scan serves them all.
 *
 * <p>Two GPU/NPU families finding devices is an error, not a choice: the numbers a rule gives mean
 * different devices in each, and only the user knows which runtime the application drives. A
 * source that fails (an NVML call erroring) stops the search rather than falling through: on a GPU
 * machine, silently binding by some other source's numbering would be wrong.
 */
public final class AutoDevices implements DeviceLocator {
    private final List<DeviceLocator> sources;
    private final AccelDevices accel;
    private DeviceLocator winner;
    private final List<LeftOut> leftOut = new ArrayList<>();

    /** @param nvmlOrNull NVML when it loaded, else null */
    public AutoDevices(Path sysfs, Nvml nvmlOrNull) {
        PciScan pci = new PciScan(sysfs);
        this.sources = List.of(new NvidiaDevices(pci, nvmlOrNull), new AmdDevices(pci, List.of()),
                new PciFamilyDevices(pci, PciFamily.ASCEND, List.of(), false),
                new PciFamilyDevices(pci, PciFamily.CAMBRICON, List.of(), false),
                new PciFamilyDevices(pci, PciFamily.INTEL, List.of(), true));
        this.accel = new AccelDevices(sysfs);
    }

    @Override
    public List<Device> locate() throws DeviceException {
        winner = null;
        leftOut.clear();
        List<DeviceLocator> finding = new ArrayList<>();
        List<List<Device>> found = new ArrayList<>();
        for (DeviceLocator source : sources) {
            List<Device> devices = source.locate();
            if (!devices.isEmpty()) {
                finding.add(source);
                found.add(devices);
            }
        }
        if (finding.size() > 1) {
            List<String> families = new ArrayList<>();
            for (int i = 0; i < finding.size(); i++) {
                families.add(finding.get(i).name() + " (" + found.get(i).size() + ": " + found.get(i).stream()
                        .map(d -> d.busId() == null ? "accel" + d.physicalIndex() : d.busId()).collect(Collectors.joining(", ")) + ")");
            }
            throw new DeviceException("this host has devices of more than one family: " + String.join("; ", families)
                    + "; the numbers rules give mean different devices in each, so devices.source: auto picks none:"
                    + " set devices.source to the family the application drives ("
                    + finding.stream().map(DeviceLocator::name).collect(Collectors.joining(" or ")) + ")");
        }
        List<Device> accels = accel.locate();
        if (finding.isEmpty()) {
            if (!accels.isEmpty()) {
                winner = accel;
                return accels;
            }
            for (DeviceLocator source : sources) {
                leftOut.addAll(source.leftOut());
            }
            return List.of();
        }
        winner = finding.get(0);
        leftOut.addAll(winner.leftOut());
        for (Device d : accels) {
            leftOut.add(new LeftOut(-1, "accel" + d.physicalIndex() + (d.busId() == null ? "" : " (" + d.busId() + ")"),
                    "an accel device, left out by devices.source: auto because " + winner.name()
                            + " devices were found; devices.source: accel uses accel devices"));
        }
        return found.get(0);
    }

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public String numbering() {
        return winner == null ? "none found" : winner.numbering();
    }

    @Override
    public Visibility visibility() {
        return winner == null ? Visibility.CUDA : winner.visibility();
    }

    @Override
    public List<LeftOut> leftOut() {
        return List.copyOf(leftOut);
    }
}
