package numa.agent.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's resident memory per NUMA node, from {@code /proc/PID/numa_maps} (what
 * {@code numastat -p} shows). Each line is one mapping; {@code N<node>=<pages>} counts its pages
 * present on that node, in units of the mapping's {@code kernelpagesize_kB} (4 kB, or 2048 kB /
 * 1 GiB for huge pages). Pages never touched or swapped out are on no node and count nowhere.
 *
 * @param bytesByNode resident bytes on each node that has any, by node id
 * @param hugeBytesByNode of those, bytes in huge-page mappings (kernel page size above 4 kB)
 */
public record NumaMaps(Map<Integer, Long> bytesByNode, Map<Integer, Long> hugeBytesByNode) {
    private static final long SMALL_PAGE_KB = 4;

    public NumaMaps {
        bytesByNode = Collections.unmodifiableMap(new TreeMap<>(bytesByNode));
        hugeBytesByNode = Collections.unmodifiableMap(new TreeMap<>(hugeBytesByNode));
    }

    /** Reads {@code file} (e.g. {@code /proc/1234/numa_maps}). */
    public static NumaMaps read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /**
     * Parses the text of a numa_maps file. Lines or fields it does not know are skipped: the
     * kernel has added fields over time ({@code kernelpagesize_kB} in 2.6.33, {@code mapmax}...),
     * and a field it cannot read must not hide the rest.
     */
    public static NumaMaps parse(String text) {
        Map<Integer, Long> bytes = new TreeMap<>();
        Map<Integer, Long> huge = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            long pageKb = SMALL_PAGE_KB;
            for (String f : fields) {
                if (f.startsWith("kernelpagesize_kB=")) {
                    pageKb = parseLong(f.substring("kernelpagesize_kB=".length()), SMALL_PAGE_KB);
                }
            }
            for (String f : fields) {
                int eq = f.indexOf('=');
                if (f.length() < 4 || f.charAt(0) != 'N' || eq < 2) {
                    continue;
                }
                int node;
                long pages;
                try {
                    node = Integer.parseInt(f.substring(1, eq));
                    pages = Long.parseLong(f.substring(eq + 1));
                } catch (NumberFormatException notANodeCount) {
                    continue;
                }
                long b = pages * pageKb * 1024;
                bytes.merge(node, b, Long::sum);
                if (pageKb > SMALL_PAGE_KB) {
                    huge.merge(node, b, Long::sum);
                }
            }
        }
        return new NumaMaps(bytes, huge);
    }

    private static long parseLong(String s, long otherwise) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Resident bytes on all nodes together. */
    public long totalBytes() {
        return bytesByNode.values().stream().mapToLong(Long::longValue).sum();
    }
}
