package numa.testapp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fields of a {@code /proc/.../status} file this engine reports. In a per-thread status file
 * {@code Pid:} is the thread id and {@code Name:} the kernel's (15-character) thread name.
 */
record ProcStatus(String name, int tid, String cpus, String mems) {
    static final Path SELF = Path.of("/proc/thread-self/status");

    static ProcStatus read(Path statusFile) throws IOException {
        String name = "?";
        int tid = -1;
        String cpus = "?";
        String mems = "?";
        for (String line : Files.readAllLines(statusFile)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = line.substring(colon + 1).trim();
            switch (line.substring(0, colon)) {
                case "Name" -> name = value;
                case "Pid" -> tid = Integer.parseInt(value);
                case "Cpus_allowed_list" -> cpus = value;
                case "Mems_allowed_list" -> mems = value;
                default -> { }
            }
        }
        return new ProcStatus(name, tid, cpus, mems);
    }
}
