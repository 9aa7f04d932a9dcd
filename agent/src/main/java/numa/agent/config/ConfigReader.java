package numa.agent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Builds an {@link AgentConfig} from the YAML tree, checking every section against SPEC.md
 * "Config file"; rules are read by {@link RulesReader}. Errors go to the {@link NodeReader}'s
 * problems; the result means nothing when there are any.
 */
final class ConfigReader {
    static final List<String> TOP_KEYS = List.of("topology", "devices", "binding", "process", "rules");
    static final List<String> TOPOLOGY_KEYS = List.of("sysfs");
    static final List<String> DEVICES_KEYS = List.of("source", "pci", "nodes", "visible-env", "unknown-node",
            "vendor");
    static final List<String> BINDING_KEYS = List.of("cpus", "memory", "children", "on-error");
    static final List<String> PROCESS_KEYS = List.of("device", "node");

    /**
     * A PCI bus id, any case: optional domain of 4 or more hex digits (8 from NVML, and wider than
     * 16 bits on Hyper-V), bus, device (at most 0x1f, checked apart), function 0-7.
     */
    private static final Pattern PCI_BUS_ID = Pattern.compile(
            "(?:[0-9a-fA-F]{4,}:)?[0-9a-fA-F]{2}:([0-9a-fA-F]{2})\\.[0-7]");

    private final NodeReader in;

    ConfigReader(NodeReader in) {
        this.in = in;
    }

    /** The config, or null when the document is not even a map (reported). */
    AgentConfig read(Optional<Node> document) {
        Node root = document.orElse(null);
        if (root == null || NodeReader.isNull(root)) {
            return new AgentConfig(in.file(), null, DevicesConfig.defaults(), BindingConfig.defaults(),
                    Optional.empty(), List.of()); // an empty file: every default
        }
        if (!in.plain(root)) {
            return null;
        }
        MappingNode map = in.map(root, "the config", "a map at the top level (keys: " + String.join(", ", TOP_KEYS) + ")");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> sections = in.entries(map, "at the top level", TOP_KEYS);
        String sysfs = topology(section(sections, "topology", TOPOLOGY_KEYS));
        DevicesConfig devices = devices(section(sections, "devices", DEVICES_KEYS));
        BindingConfig binding = binding(section(sections, "binding", BINDING_KEYS));
        ProcessSection process = process(sections.get("process"));
        List<Rule> rules = new RulesReader(in).read(value(sections, "rules"));
        return new AgentConfig(in.file(), sysfs, devices, binding, Optional.ofNullable(process), rules);
    }

    /** A section's entries; none when it is absent or empty ({@code binding:} with nothing under it). */
    private Map<String, NodeTuple> section(Map<String, NodeTuple> sections, String name, List<String> keys) {
        MappingNode map = sectionMap(sections.get(name), name, keys);
        return map == null ? Map.of() : in.entries(map, "in " + name, keys);
    }

    private MappingNode sectionMap(NodeTuple entry, String name, List<String> keys) {
        if (entry == null || NodeReader.isNull(entry.getValueNode())) {
            return null;
        }
        return in.map(entry.getValueNode(), name, "a map (keys: " + String.join(", ", keys) + ")");
    }

    private static Node value(Map<String, NodeTuple> entries, String key) {
        NodeTuple entry = entries.get(key);
        return entry == null ? null : entry.getValueNode();
    }

    private String topology(Map<String, NodeTuple> topology) {
        Node sysfs = value(topology, "sysfs");
        return sysfs == null ? null : in.nonEmptyText(sysfs, "topology.sysfs", "a directory (the root of the /sys layout)");
    }

    private DevicesConfig devices(Map<String, NodeTuple> devices) {
        DevicesConfig defaults = DevicesConfig.defaults();
        Node sourceNode = value(devices, "source");
        DevicesConfig.Source source = sourceNode == null ? defaults.source()
                : in.choice(sourceNode, "devices.source", DevicesConfig.Source.class);
        NodeTuple pciEntry = devices.get("pci");
        NodeTuple nodesEntry = devices.get("nodes");
        List<String> pci = pciEntry == null ? List.of() : busIds(pciEntry.getValueNode());
        List<Integer> nodes = nodesEntry == null ? List.of() : nodeNumbers(nodesEntry.getValueNode());
        if (source != null) {
            String sourceText = sourceNode == null ? "auto, the default" : NodeReader.yamlName(source);
            if (!DevicesConfig.ordersByPci(source)) { // a family takes an optional order
                listForSource(source, DevicesConfig.Source.PCI, "pci", pciEntry, pci, sourceNode, sourceText,
                        "the PCI bus id of each device, in device order");
            } else if (pciEntry != null && pci != null && pci.isEmpty()) {
                in.error(pciEntry.getValueNode(), "devices.pci is empty; with source: " + sourceText
                        + " give the bus ids in the runtime's order, or leave pci out for the order sysfs gives");
            }
            listForSource(source, DevicesConfig.Source.STATIC, "nodes", nodesEntry, nodes, sourceNode, sourceText,
                    "the NUMA node of each device, in device order");
        }
        Node visibleNode = value(devices, "visible-env");
        String visibleEnv = visibleNode == null ? defaults.visibleEnv() : visibleEnv(visibleNode);
        Node unknownNode = value(devices, "unknown-node");
        DevicesConfig.UnknownNode unknown = unknownNode == null ? defaults.unknownNode()
                : in.choice(unknownNode, "devices.unknown-node", DevicesConfig.UnknownNode.class);
        NodeTuple vendorEntry = devices.get("vendor");
        Integer vendor = vendorEntry == null ? null : vendorId(vendorEntry.getValueNode());
        boolean vendorOk = vendorEntry == null || vendor != null;
        if (source == DevicesConfig.Source.VENDOR && vendorEntry == null) {
            in.error(sourceNode, "devices.source: vendor needs devices.vendor: the PCI vendor id of the devices, e.g."
                    + " vendor: 0x9999 (`lspci -nn` shows it in [vendor:device])");
        } else if (source != null && source != DevicesConfig.Source.VENDOR && vendorEntry != null) {
            in.warn(vendorEntry.getKeyNode(), "devices.vendor is ignored: it is only used with source: vendor (source is "
                    + (sourceNode == null ? "auto, the default" : NodeReader.yamlName(source)) + ")");
        }
        if (source == null || pci == null || nodes == null || !(visibleNode == null || visibleEnv != null) || unknown == null
                || !vendorOk) {
            return defaults; // errors were reported; this value is never used
        }
        // a list another source ignores (warned about) is left out: the model holds what is used
        boolean keepsPci = source == DevicesConfig.Source.PCI || DevicesConfig.ordersByPci(source);
        return new DevicesConfig(source, keepsPci ? pci : List.of(),
                source == DevicesConfig.Source.STATIC ? nodes : List.of(), visibleEnv, unknown,
                source == DevicesConfig.Source.VENDOR ? vendor : null);
    }

    /**
     * {@code pci} belongs to {@code source: pci} and {@code nodes} to {@code source: static}: that
     * source needs its list. Given with another source, the list is ignored with a warning, not
     * refused: SPEC.md's own sample lists every key under {@code source: auto}.
     */
    private void listForSource(DevicesConfig.Source source, DevicesConfig.Source owner, String key, NodeTuple entry,
                               List<?> list, Node sourceNode, String sourceText, String what) {
        String ownerName = NodeReader.yamlName(owner);
        if (source == owner && entry == null) {
            in.error(sourceNode, "devices.source: " + ownerName + " needs devices." + key + ": " + what);
        } else if (source == owner && list != null && list.isEmpty()) {
            in.error(entry.getValueNode(), "devices." + key + " is empty; source: " + ownerName + " needs " + what);
        } else if (source != owner && entry != null) {
            in.warn(entry.getKeyNode(), "devices." + key + " is ignored: it is only used with source: " + ownerName
                    + " (source is " + sourceText + ")");
        }
    }

    /** The bus ids as written (the device package brings them to sysfs form); null when any is bad. */
    private List<String> busIds(Node node) {
        List<Node> items = in.items(node, "devices.pci", "a list of PCI bus ids (e.g. [\"0000:3b:00.0\"])");
        if (items == null) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String label = "devices.pci[" + i + "]";
            String id = item == null ? null : in.text(item, label, "a PCI bus id like 0000:3b:00.0");
            if (id != null && !isBusId(id)) {
                in.error(item, label + ": '" + id + "' is not a PCI bus id (expected [domain:]bus:device.function"
                        + " in hex, e.g. 0000:3b:00.0 or 3b:00.0; device 00-1f, function 0-7)");
                id = null;
            }
            ok &= id != null;
            ids.add(id);
        }
        return ok ? ids : null;
    }

    static boolean isBusId(String id) {
        Matcher m = PCI_BUS_ID.matcher(id);
        return m.matches() && Integer.parseInt(m.group(1), 16) <= 0x1f;
    }

    private List<Integer> nodeNumbers(Node node) {
        List<Node> items = in.items(node, "devices.nodes", "a list of NUMA node numbers (e.g. [0, 0, 1, 1])");
        if (items == null) {
            return null;
        }
        List<Integer> nodes = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            Integer number = item == null ? null
                    : in.nonNegativeInt(item, "devices.nodes[" + i + "]", "a NUMA node number (0 or more)");
            ok &= number != null;
            nodes.add(number);
        }
        return ok ? nodes : null;
    }

    /** {@code 0xNNNN}, as {@code lspci -n} prints it; null (reported) otherwise. */
    private Integer vendorId(Node node) {
        String text = in.text(node, "devices.vendor", "a PCI vendor id in hex, e.g. 0x9999");
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.matches("0[xX][0-9a-fA-F]{1,4}")) {
            return Integer.parseInt(t.substring(2), 16);
        }
        in.error(node, "devices.vendor: '" + text + "' is not a PCI vendor id: expected 0x and 1-4 hex digits, e.g. 0x9999"
                + " (`lspci -nn` shows it as the first half of [vendor:device])");
        return null;
    }

    private String visibleEnv(Node node) {
        String name = in.text(node, "devices.visible-env", "an environment variable name, or \"\" to ignore none");
        if (name != null && (name.contains("=") || name.chars().anyMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c)))) {
            in.error(node, "devices.visible-env: '" + name + "' is not an environment variable name"
                    + " (e.g. CUDA_VISIBLE_DEVICES, or \"\" to ignore none)");
            return null;
        }
        return name;
    }

    private BindingConfig binding(Map<String, NodeTuple> binding) {
        BindingConfig defaults = BindingConfig.defaults();
        BindingConfig.Cpus cpus = choice(binding, "cpus", BindingConfig.Cpus.class, defaults.cpus());
        BindingConfig.Memory memory = choice(binding, "memory", BindingConfig.Memory.class, defaults.memory());
        BindingConfig.Children children = choice(binding, "children", BindingConfig.Children.class, defaults.children());
        BindingConfig.OnError onError = choice(binding, "on-error", BindingConfig.OnError.class, defaults.onError());
        if (cpus == null || memory == null || children == null || onError == null) {
            return defaults; // errors were reported; this value is never used
        }
        return new BindingConfig(cpus, memory, children, onError);
    }

    private <E extends Enum<E>> E choice(Map<String, NodeTuple> binding, String key, Class<E> type, E otherwise) {
        Node node = value(binding, key);
        return node == null ? otherwise : in.choice(node, "binding." + key, type);
    }

    /** The process section: one device or node for the whole JVM, known at start. */
    private ProcessSection process(NodeTuple entry) {
        MappingNode map = sectionMap(entry, "process", PROCESS_KEYS);
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> keys = in.entries(map, "in process", PROCESS_KEYS);
        NodeTuple device = keys.get("device");
        NodeTuple node = keys.get("node");
        if (device != null && node != null) {
            in.error(in.later(device.getKeyNode(), node.getKeyNode()), "process has both device and node; give one of them");
            return null;
        }
        if (device == null && node == null) {
            in.error(map, "process needs device (bind the JVM to that device's node) or node");
            return null;
        }
        NodeTuple given = device != null ? device : node;
        String key = device != null ? "device" : "node";
        Expr expr = processExpr(given.getValueNode(), key + " in process");
        if (expr == null) {
            return null;
        }
        return new ProcessSection(device != null ? expr : null, node != null ? expr : null, in.at(map));
    }

    private Expr processExpr(Node node, String label) {
        Expr expr = in.expr(node, label, null);
        if (expr instanceof PathExpr) {
            in.error(node, label + ": " + expr.text() + " reads a method call's arguments; only method rules have them"
                    + " (the process section binds the JVM once, at start)");
            return null;
        }
        if (expr instanceof RoundRobinExpr) {
            in.error(node, label + ": round-robin takes turns between a rule's matches; the process section binds once"
                    + " (give a number, env:NAME or prop:NAME)");
            return null;
        }
        return expr;
    }
}
