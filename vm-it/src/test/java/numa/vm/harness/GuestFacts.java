package numa.vm.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * What the guest's own kernel says of its topology, read in the guest before any step ran
 * ({@code facts.txt}): the expectations of every check come from here, not from what the harness
 * asked QEMU for, and a test compares the two once.
 */
public record GuestFacts(String kernel, Map<Integer, Node> nodes, List<Pci> pci, String processCpus,
                         String processMems, String cgroupControllers, Map<Integer, String> siblings, String text) {

    /** One node: its CPUs (list form, "" for none) and memory. */
    public record Node(int id, String cpus, long memKiB, String distances) {
        public boolean hasCpus() {
            return !cpus.isEmpty();
        }

        public boolean hasMemory() {
            return memKiB > 0;
        }
    }

    /** One PCI function as sysfs lists it. */
    public record Pci(String busId, String vendor, String device, String pciClass, int node) {
    }

    public static GuestFacts parse(String text) {
        String kernel = "?";
        String cpus = "?";
        String mems = "?";
        String controllers = "";
        Map<Integer, Node> nodes = new TreeMap<>();
        List<Pci> pci = new ArrayList<>();
        Map<Integer, String> siblings = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] words = line.trim().split(" ", 3);
            if (words.length < 2) {
                continue;
            }
            Map<String, String> kv = keyValues(words.length > 2 ? words[2] : "");
            switch (words[0]) {
                case "kernel" -> kernel = line.substring(7).trim();
                case "node" -> {
                    int id = Integer.parseInt(words[1]);
                    nodes.put(id, new Node(id, kv.getOrDefault("cpus", ""), Long.parseLong(kv.getOrDefault("memkb", "0")),
                            kv.getOrDefault("distance", "")));
                }
                case "pci" -> pci.add(new Pci(words[1], kv.get("vendor"), kv.get("device"), kv.get("class"),
                        Integer.parseInt(kv.getOrDefault("node", "-1"))));
                case "cpu" -> siblings.put(Integer.parseInt(words[1]), kv.getOrDefault("siblings", ""));
                case "process" -> {
                    Map<String, String> all = keyValues(line.substring(8));
                    cpus = all.getOrDefault("cpus", "?");
                    mems = all.getOrDefault("mems", "?");
                }
                case "cgroup" -> controllers = keyValues(line.substring(7)).getOrDefault("controllers", "");
                default -> { }
            }
        }
        return new GuestFacts(kernel, nodes, pci, cpus, mems, controllers, siblings, text);
    }

    private static Map<String, String> keyValues(String s) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : s.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return kv;
    }

    public Node node(int id) {
        Node n = nodes.get(id);
        if (n == null) {
            throw new NoSuchElementException("the guest has no node " + id + ":\n" + text);
        }
        return n;
    }

    /** Node {@code id}'s CPUs in list form. */
    public String cpusOf(int id) {
        return node(id).cpus();
    }

    /** Every online CPU (what an unbound thread of an unconfined process may use). */
    public String allCpus() {
        return processCpus;
    }

    /** The PCI function with this bus id. */
    public Pci pci(String busId) {
        return pci.stream().filter(p -> p.busId().equals(busId)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("the guest has no PCI function " + busId + ":\n" + text));
    }

    @Override
    public String toString() {
        return text;
    }
}
