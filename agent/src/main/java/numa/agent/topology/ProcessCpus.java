package numa.agent.topology;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The CPUs the process may run on, from {@code Cpus_allowed_list} in {@code /proc/self/status}.
 *
 * <p>Read it once, when the agent starts and before it binds anything: it already reflects
 * {@code taskset}, {@code numactl --cpunodebind} and the container's {@code cpuset.cpus.effective},
 * and every later binding must stay inside it (asking the kernel for a CPU outside the cpuset
 * fails with EINVAL). It is also what "reset" restores.
 */
public final class ProcessCpus {
    private static final Path SELF_STATUS = Path.of("/proc/self/status");

    private ProcessCpus() {
    }

    /**
     * The process's allowed CPUs now; call it at start, before any binding, and keep the result.
     *
     * @throws IOException when {@code /proc/self/status} cannot be read or has no CPU list (not Linux)
     */
    public static CpuSet allowedAtStart() throws IOException {
        return read(SELF_STATUS);
    }

    /**
     * The NUMA nodes whose memory the process may use ({@code Mems_allowed_list}: the cpuset
     * cgroup's {@code cpuset.mems}; {@code set_mempolicy} does not change it), or null when the
     * status file does not say. Used to tell "the cpuset withholds this node's memory" from "this
     * node has no memory" when the kernel refuses a memory policy.
     */
    public static CpuSet memsAllowed(Path statusFile) {
        try {
            for (String line : java.nio.file.Files.readAllLines(statusFile)) {
                if (line.startsWith("Mems_allowed_list:")) {
                    return CpuSet.parse(line.substring(line.indexOf(':') + 1));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // unknown: the caller words its message without it
        }
        return null;
    }

    /** {@link #memsAllowed(Path)} of this process, now. */
    public static CpuSet memsAllowedAtStart() {
        return memsAllowed(SELF_STATUS);
    }

    /**
     * The allowed CPUs in a {@code status} file of procfs ({@code /proc/PID/status},
     * {@code /proc/PID/task/TID/status}, or a test's copy).
     *
     * @throws IOException naming the file when it is unreadable or holds no valid CPU list
     */
    public static CpuSet read(Path statusFile) throws IOException {
        String text = SysfsTopologyReader.readText(statusFile, "a procfs status file with Cpus_allowed_list");
        String mask = null;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            try {
                if (key.equals("Cpus_allowed_list")) {
                    return nonEmpty(statusFile, CpuSet.parse(value));
                }
                if (key.equals("Cpus_allowed")) {
                    mask = value;
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(statusFile + ": " + key + " '" + value
                        + "' is not a CPU list; expected e.g. 0-3,8 (" + e.getMessage() + ")");
            }
        }
        // Kernels before 2.6.26 only have the hex mask; keep working there too.
        if (mask != null) {
            try {
                return nonEmpty(statusFile, CpuSet.parseMask(mask));
            } catch (NumberFormatException e) {
                throw new IOException(statusFile + ": Cpus_allowed '" + mask
                        + "' is not a CPU mask; expected hex words such as ff,ffffffff");
            }
        }
        throw new IOException(statusFile + ": no Cpus_allowed_list line; expected a Linux procfs status file");
    }

    private static CpuSet nonEmpty(Path file, CpuSet cpus) throws IOException {
        if (cpus.isEmpty()) {
            // The kernel never reports a runnable task with no CPUs: the file is not what we think.
            throw new IOException(file + ": the allowed CPU list is empty; expected at least one CPU");
        }
        return cpus;
    }
}
