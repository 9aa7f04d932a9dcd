package numa.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads every thread of another process from outside, as {@code numa-agent status} or an operator
 * would: {@code /proc/<pid>/task/<tid>/status}. A check on the engine's own view of itself.
 */
public final class ProcTasks {
    private ProcTasks() {
    }

    /** Thread name (the kernel's 15-character one) and tid, to {@code Cpus_allowed_list}. */
    public static Map<String, String> cpusByTask(long pid) {
        Map<String, String> cpus = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String name = "?";
                String allowed = "?";
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("Name:")) {
                            name = line.substring(5).trim();
                        } else if (line.startsWith("Cpus_allowed_list:")) {
                            allowed = line.substring(18).trim();
                        }
                    }
                } catch (NoSuchFileException e) {
                    continue; // the thread ended between listing and reading
                }
                cpus.put(name + " (" + task.getFileName() + ")", allowed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cpus;
    }

    /** {@code Cpus_allowed_list} of one thread of another process, read now. */
    public static String cpusOfTask(long pid, long tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(18).trim();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no Cpus_allowed_list for task " + tid + " of " + pid);
    }
}
