package numa.agent.topology;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the NUMA layout from a sysfs tree ({@code /sys}, or a copy or fake of its layout).
 *
 * <p>What it reads, under the root:
 * <ul>
 *   <li>{@code devices/system/cpu/online}: the online CPUs (required: its absence means the root
 *       is not a sysfs tree, most likely a typo in the {@code sysfs} setting);</li>
 *   <li>{@code devices/system/node/online}: which nodes exist; when the file is absent, every
 *       {@code nodeN} directory;</li>
 *   <li>per node {@code nodeN/cpulist}, {@code nodeN/meminfo} ({@code MemTotal}, {@code MemFree})
 *       and, when present, {@code nodeN/distance}.</li>
 * </ul>
 * A kernel without NUMA support has no {@code devices/system/node}: the result then has no nodes
 * (see {@link Topology#isNuma()}); no node is made up.
 *
 * <p>Node CPU lists are kept as the kernel writes them: isolated CPUs and CPUs outside the
 * process's affinity are removed later, by whoever binds ({@link ProcessCpus}).
 */
public final class SysfsTopologyReader {
    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");
    // "Node 0 MemTotal:       16384 kB"
    private static final Pattern MEMINFO_LINE = Pattern.compile("Node\\s+\\d+\\s+(\\w+):\\s+(\\d+)\\s*kB\\s*");

    private final Path root;

    /** @param sysfsRoot the directory that plays {@code /sys} */
    public SysfsTopologyReader(Path sysfsRoot) {
        this.root = sysfsRoot;
    }

    /**
     * Reads the topology now.
     *
     * @throws IOException naming the file that is missing, unreadable or not in the form the kernel
     *                     writes, and what was expected there
     */
    public Topology read() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": no such directory; expected a sysfs tree such as /sys");
        }
        Path cpuOnline = root.resolve("devices/system/cpu/online");
        CpuSet online = cpuList(cpuOnline, "the list of online CPUs (is " + root + " a sysfs tree?)");

        Path nodeRoot = root.resolve("devices/system/node");
        if (!Files.isDirectory(nodeRoot)) {
            return new Topology(List.of(), online, root + " (no NUMA nodes: kernel without NUMA support)");
        }
        List<NumaNode> nodes = new ArrayList<>();
        for (int id : nodeIds(nodeRoot)) {
            nodes.add(readNode(nodeRoot, id));
        }
        return new Topology(nodes, online, root.toString());
    }

    private static Iterable<Integer> nodeIds(Path nodeRoot) throws IOException {
        Path onlineFile = nodeRoot.resolve("online");
        if (Files.exists(onlineFile)) {
            // Node ids are written in the same list syntax as CPU ids ("0-1,3").
            CpuSet ids = cpuList(onlineFile, "the list of online NUMA nodes, e.g. 0-1");
            List<Integer> out = new ArrayList<>();
            ids.stream().forEach(out::add);
            return out;
        }
        TreeSet<Integer> ids = new TreeSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(nodeRoot)) {
            for (Path p : dir) {
                Matcher m = NODE_DIR.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    ids.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return ids;
    }

    private static NumaNode readNode(Path nodeRoot, int id) throws IOException {
        Path dir = nodeRoot.resolve("node" + id);
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": missing, but " + nodeRoot.resolve("online")
                    + " lists node " + id + " as online; expected a directory per online node");
        }
        CpuSet cpus = cpuList(dir.resolve("cpulist"), "the node's CPU list, e.g. 0-3,8 (empty for a CPU-less node)");
        Path meminfo = dir.resolve("meminfo");
        String mem = readText(meminfo, "the node's memory counters");
        long total = memField(meminfo, mem, "MemTotal");
        long free = memField(meminfo, mem, "MemFree");
        return new NumaNode(id, cpus, total, free, distances(dir.resolve("distance")));
    }

    private static long memField(Path file, String text, String field) throws IOException {
        for (String line : text.split("\n")) {
            Matcher m = MEMINFO_LINE.matcher(line);
            if (m.matches() && m.group(1).equals(field)) {
                try {
                    return Math.multiplyExact(Long.parseLong(m.group(2)), 1024L);
                } catch (ArithmeticException | NumberFormatException e) {
                    break; // reported below, with the expected form
                }
            }
        }
        throw new IOException(file + ": no readable " + field + " line; expected e.g. 'Node 0 "
                + field + ":   16384 kB'");
    }

    /** The node's row of the SLIT; absent on some virtual machines, so empty rather than an error. */
    private static List<Integer> distances(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = readText(file, "the node's distances").trim();
        List<Integer> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String d : text.split("\\s+")) {
            try {
                out.add(Integer.parseInt(d));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": '" + d + "' is not a number; expected distances "
                        + "separated by spaces, one per online node, e.g. '10 21'");
            }
        }
        return out;
    }

    private static CpuSet cpuList(Path file, String what) throws IOException {
        String text = readText(file, what).trim();
        try {
            return CpuSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": expected " + what + " but found '" + text + "' ("
                    + e.getMessage() + ")");
        }
    }

    static String readText(Path file, String what) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": missing; expected " + what, e);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + e + "); expected " + what, e);
        }
    }
}
