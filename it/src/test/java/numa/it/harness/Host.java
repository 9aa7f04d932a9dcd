package numa.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the real machine under the tests allows: the CPUs a launched JVM starts with (it inherits
 * this test JVM's affinity) and whether the kernel can really place memory on a node. Expected
 * values are derived from here rather than written as "0-1", so the suite stays truthful on a
 * bigger machine or in a container whose cpuset is not 0-1.
 */
public final class Host {
    private static final Pattern MEM_TOTAL = Pattern.compile("MemTotal:\\s+(\\d+)\\s*kB");

    private Host() {
    }

    /** This process's {@code Cpus_allowed_list}, e.g. {@code 0-1}: what an unbound thread shows. */
    public static String allowedCpuList() {
        return statusField("Cpus_allowed_list");
    }

    /** The allowed CPUs as numbers, in order. */
    public static List<Integer> allowedCpus() {
        List<Integer> cpus = new ArrayList<>();
        for (String part : allowedCpuList().split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    /**
     * True when the real kernel can apply a memory policy on {@code node}: the node exists with
     * memory and this process's cpuset allows it. On this project's 1-node VM that holds for node 0
     * only, so a policy on a fake node 1 is refused by the kernel, as on a memory-less node.
     */
    public static boolean kernelHasMemoryOn(int node) {
        Path meminfo = Path.of("/sys/devices/system/node/node" + node + "/meminfo");
        try {
            if (!Files.isReadable(meminfo)) {
                return false;
            }
            Matcher m = MEM_TOTAL.matcher(Files.readString(meminfo));
            if (!m.find() || Long.parseLong(m.group(1)) == 0) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        for (String part : statusField("Mems_allowed_list").split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            if (node >= from && node <= to) {
                return true;
            }
        }
        return false;
    }

    private static String statusField(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("/proc/self/status has no " + field + " (not Linux?)");
    }

    /**
     * True when NVIDIA's NVML library is installed: then {@code source: auto} finds the machine's
     * real GPUs through it, and a test of the PCI fallback on a fake tree would not test that.
     */
    public static boolean hasNvml() {
        List<String> dirs = new ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64", "/usr/local/cuda/lib64"));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(":")));
        }
        return dirs.stream().filter(d -> !d.isEmpty())
                .anyMatch(d -> Files.exists(Path.of(d, "libnvidia-ml.so.1")));
    }
}
