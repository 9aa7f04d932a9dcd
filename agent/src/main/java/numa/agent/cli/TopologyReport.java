package numa.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import numa.agent.config.DevicesConfig;
import numa.agent.device.Device;
import numa.agent.device.DeviceDiscovery;
import numa.agent.device.LeftOut;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * {@code topology}: the NUMA nodes, the devices as {@code devices.source: auto} finds them and the
 * CPUs this process may use; as a table for people ({@code numactl --hardware} meets
 * {@code nvidia-smi topo -m}) or as JSON for scripts. Both show the same facts.
 *
 * <p>Devices are listed in physical order, every one of them, with the logical number the
 * application would use (what rules mean by {@code device: N}). When the family's visibility
 * variable ({@code CUDA_VISIBLE_DEVICES}, {@code ROCR_VISIBLE_DEVICES}, ...) is set the two differ,
 * and a device it hides has no logical number: still shown, because "why is my GPU missing" is one
 * of the questions this command answers; so is every function of the family's vendor that is not
 * one of its devices, with why.
 */
final class TopologyReport {
    private static final String NO_DEVICES = "no devices found";

    /** A device as listed: its logical number ({@code null} when hidden) and what was found. */
    record Row(Integer logicalIndex, Device device) {
    }

    private final Machine machine;
    private final String deviceSearch;
    private final String visibleValue;
    private final List<Row> devices;
    private final List<String> warnings;
    private final DeviceDiscovery.Result found;

    private TopologyReport(Machine machine, String deviceSearch, String visibleValue, List<Row> devices,
                           List<String> warnings, DeviceDiscovery.Result found) {
        this.machine = machine;
        this.deviceSearch = deviceSearch;
        this.visibleValue = visibleValue;
        this.devices = devices;
        this.warnings = warnings;
        this.found = found;
    }

    /** Finds the devices on {@code machine} and puts the report together. */
    static TopologyReport of(Machine machine, Host host) {
        DevicesConfig auto = DevicesConfig.defaults();
        DeviceDiscovery.Result logical = machine.devices(auto, true);
        // the first variable applied (CUDA_VISIBLE_DEVICES for NVIDIA): what scripts read
        String visibleValue = logical.visibleValues().values().stream().findFirst().orElse(null);
        List<Row> rows = new ArrayList<>();
        if (visibleValue == null) {
            logical.devices().forEach(d -> rows.add(new Row(d.index(), d)));
        } else {
            // a second pass without the variables gives the devices they hide
            DevicesConfig everyDevice = auto.withVisibleEnv("");
            for (Device physical : machine.devices(everyDevice, true).devices()) {
                List<Device> seenAs = logical.devices().stream()
                        .filter(d -> d.physicalIndex() == physical.physicalIndex()).toList();
                if (seenAs.isEmpty()) {
                    rows.add(new Row(null, physical));
                }
                seenAs.forEach(d -> rows.add(new Row(d.index(), d)));
            }
        }
        List<String> warnings = new ArrayList<>(machine.warnings());
        // "no devices found" is advice for configs whose rules name devices; here the report itself
        // says that none were found, and where it looked
        logical.warnings().stream().filter(w -> !(logical.devices().isEmpty() && w.startsWith(NO_DEVICES)))
                .forEach(warnings::add);
        return new TopologyReport(machine, logical.description(), visibleValue, rows, warnings, logical);
    }

    List<String> warnings() {
        return warnings;
    }

    /** The JSON form; its keys are a contract for scripts: add, never rename. */
    String json() {
        Topology topology = machine.topology();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("sysfs", machine.sysfs().toString());
        root.put("numa", topology.isNuma());
        List<Object> nodes = new ArrayList<>();
        for (NumaNode n : topology.nodes()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", n.id());
            node.put("cpus", n.cpus().toString());
            node.put("memory_total_mib", mib(n.memTotalBytes()));
            node.put("memory_free_mib", mib(n.memFreeBytes()));
            node.put("distances", n.distances());
            nodes.add(node);
        }
        root.put("nodes", nodes);
        root.put("online_cpus", topology.onlineCpus().toString());
        root.put("device_search", deviceSearch);
        root.put("visible_devices", visibleValue);
        List<Object> deviceList = new ArrayList<>();
        for (Row r : devices) {
            Device d = r.device();
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("index", r.logicalIndex());
            device.put("physical_index", d.physicalIndex());
            device.put("source", d.source());
            device.put("bus_id", d.busId());
            device.put("node", d.node());
            deviceList.add(device);
        }
        root.put("devices", deviceList);
        root.put("family", found.family());
        root.put("numbering", found.numbering());
        root.put("visibility", found.visibility());
        List<Object> leftOut = new ArrayList<>();
        for (LeftOut l : found.leftOut()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("physical_index", l.physicalIndex() < 0 ? null : l.physicalIndex());
            entry.put("what", l.what());
            entry.put("why", l.why());
            leftOut.add(entry);
        }
        root.put("left_out", leftOut);
        root.put("allowed_cpus", machine.allowedCpus().map(CpuSet::toString).orElse(null));
        root.put("warnings", warnings);
        return JsonWriter.write(root) + "\n";
    }

    /** The table form, for people. */
    String text() {
        Topology topology = machine.topology();
        StringBuilder out = new StringBuilder();
        if (topology.isNuma()) {
            out.append("NUMA topology of ").append(machine.sysfs()).append(": ").append(count(topology.nodes().size(), "node"))
                    .append(", online cpus ").append(topology.onlineCpus()).append('\n');
            out.append(nodeTable().render("  "));
            if (topology.nodes().stream().anyMatch(n -> !n.distances().isEmpty())) {
                out.append("node distances:\n").append(distanceTable().render("  "));
            }
        } else {
            out.append("no NUMA nodes under ").append(machine.sysfs()).append(" (not a NUMA machine, or a kernel without NUMA)")
                    .append(", online cpus ").append(topology.onlineCpus()).append('\n');
        }
        out.append('\n');
        out.append("devices: ").append(devices.isEmpty() ? "none found" : Integer.toString(devices.size())).append('\n');
        out.append("  searched: devices.source ").append(deviceSearch).append('\n');
        if (!devices.isEmpty()) {
            out.append("  family: ").append(found.family()).append(", numbered in ").append(found.numbering()).append('\n');
            out.append("  visibility: ").append(found.visibility()).append('\n');
            if (visibleValue != null) {
                out.append("  device = logical number with ").append(found.visibility())
                        .append("; physical = number without it\n");
            }
            out.append(deviceTable().render("  "));
        }
        found.leftOut().stream().filter(l -> l.physicalIndex() < 0)
                .forEach(l -> out.append("  left out: ").append(l).append('\n'));
        out.append('\n');
        out.append("this process may use cpus ")
                .append(machine.allowedCpus().map(c -> c + " (" + count(c.size(), "CPU") + ")").orElse("unknown"))
                .append('\n');
        if (!warnings.isEmpty()) {
            out.append('\n');
            warnings.forEach(w -> out.append("warning: ").append(w).append('\n'));
        }
        return out.toString();
    }

    private TextTable nodeTable() {
        TextTable table = new TextTable("node", "cpus", "memory", "free", "notes").alignRight(0, 2, 3);
        for (NumaNode n : machine.topology().nodes()) {
            table.row(n.id(), n.hasCpus() ? n.cpus() : "none", mib(n.memTotalBytes()) + " MiB",
                    mib(n.memFreeBytes()) + " MiB", nodeNotes(n));
        }
        return table;
    }

    private String nodeNotes(NumaNode n) {
        List<String> notes = new ArrayList<>();
        if (!n.hasCpus()) {
            notes.add("no CPUs (memory only): threads cannot be bound here");
        } else if (machine.allowedCpus().isPresent() && !n.cpus().intersects(machine.allowedCpus().get())) {
            notes.add("none of its CPUs are allowed to this process");
        }
        if (!n.hasMemory()) {
            notes.add("no memory: memory policies on it are refused");
        }
        return String.join("; ", notes);
    }

    private TextTable distanceTable() {
        List<NumaNode> nodes = machine.topology().nodes();
        String[] header = new String[nodes.size() + 1];
        header[0] = "node";
        for (int i = 0; i < nodes.size(); i++) {
            header[i + 1] = Integer.toString(nodes.get(i).id());
        }
        TextTable table = new TextTable(header);
        int[] all = new int[header.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        table.alignRight(all);
        for (NumaNode n : nodes) {
            Object[] row = new Object[header.length];
            row[0] = n.id();
            for (int i = 0; i < nodes.size(); i++) {
                row[i + 1] = i < n.distances().size() ? n.distances().get(i) : "?";
            }
            table.row(row);
        }
        return table;
    }

    private TextTable deviceTable() {
        TextTable table = new TextTable("device", "physical", "source", "bus id", "node", "node cpus", "notes")
                .alignRight(0, 1, 4);
        for (Row r : devices) {
            Device d = r.device();
            NumaNode node = d.nodeKnown() ? machine.topology().node(d.node()).orElse(null) : null;
            String notes = r.logicalIndex() == null ? hiddenBy(d)
                    : !d.nodeKnown() ? "node unknown: threads for it stay unbound" : "";
            table.row(r.logicalIndex() == null ? "-" : r.logicalIndex(), d.physicalIndex(), d.source(),
                    d.busId() == null ? "-" : d.busId(), d.nodeKnown() ? d.node() : "-",
                    node == null ? "-" : node.hasCpus() ? node.cpus() : "none", notes);
        }
        return table;
    }

    /** Why a device has no logical number: the variable that hid it. */
    private String hiddenBy(Device d) {
        return found.leftOut().stream().filter(l -> l.physicalIndex() == d.physicalIndex()).map(LeftOut::why)
                .reduce((first, second) -> first).orElse("hidden by " + found.visibility());
    }

    private static long mib(long bytes) {
        return bytes >> 20;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
