package numa.agent.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import numa.agent.topology.CpuSet;
import numa.agent.topology.ProcessCpus;

/**
 * One process as procfs shows it to anyone allowed to look: its threads with their names and
 * allowed CPUs, its command line, and whether it is a Java VM. The root is {@code /proc} for real
 * and a folder of a test otherwise.
 */
public final class ProcProcess {
    /**
     * One thread (task).
     *
     * @param tid  kernel thread id
     * @param comm the kernel's thread name ({@code comm}: at most 15 characters; a JVM sets it from
     *             the Java name, cut)
     * @param cpus its allowed CPUs ({@code Cpus_allowed_list})
     */
    public record Task(int tid, String comm, CpuSet cpus) {
    }

    private final long pid;
    private final Path dir;

    private ProcProcess(long pid, Path dir) {
        this.pid = pid;
        this.dir = dir;
    }

    /** The process {@code pid} under {@code procRoot}, or null when there is none. */
    public static ProcProcess find(Path procRoot, long pid) {
        Path dir = procRoot.resolve(Long.toString(pid));
        return Files.isDirectory(dir.resolve("task")) ? new ProcProcess(pid, dir) : null;
    }

    public long pid() {
        return pid;
    }

    public Path dir() {
        return dir;
    }

    /** Its threads in tid order; a thread that ends while being read is left out. */
    public List<Task> tasks() throws IOException {
        List<Task> tasks = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir.resolve("task"))) {
            for (Path task : dirs) {
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException notATask) {
                    continue;
                }
                try {
                    CpuSet cpus = ProcessCpus.read(task.resolve("status"));
                    tasks.add(new Task(tid, comm(task), cpus));
                } catch (NoSuchFileException ended) {
                    // the thread ended between the listing and the read
                } catch (IOException e) {
                    if (Files.exists(task.resolve("status"))) {
                        throw e;
                    }
                    // same: the status reader reports a vanished file as its own IOException
                }
            }
        }
        tasks.sort(Comparator.comparingInt(Task::tid));
        return tasks;
    }

    private static String comm(Path task) throws IOException {
        Path comm = task.resolve("comm");
        if (Files.isReadable(comm)) {
            return Files.readString(comm, StandardCharsets.UTF_8).strip();
        }
        // old kernels: the Name: line of status
        for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Name:")) {
                return line.substring(5).strip();
            }
        }
        return "?";
    }

    /** The command line, arguments joined by spaces (empty for a kernel thread or a zombie). */
    public String commandLine() {
        try {
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8);
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The process name ({@code comm} of the process). */
    public String name() {
        try {
            return Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * True when a HotSpot-style JVM runs in it: {@code libjvm.so} is mapped. Only then may the attach
     * mechanism be used: it wakes the target with SIGQUIT, which kills most other programs.
     *
     * @throws IOException when the maps cannot be read (another user's process)
     */
    public boolean isJvm() throws IOException {
        try (var lines = Files.lines(dir.resolve("maps"), StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(l -> l.endsWith("/libjvm.so"));
        }
    }

    /** Its memory per node; see {@link NumaMaps}. */
    public NumaMaps numaMaps() throws IOException {
        return NumaMaps.read(dir.resolve("numa_maps"));
    }

    /** What the kernel says the process is doing, as far as the command line cares. */
    public enum State {
        /** Running, sleeping or waiting: alive. */
        ALIVE,
        /** Stopped by a signal (SIGSTOP) or traced: it answers nothing until resumed. */
        STOPPED,
        /** Exited, its parent has not collected its status yet: nothing runs in it. */
        ZOMBIE,
        /** Gone (dead, being removed). */
        GONE,
        /** Its stat cannot be read (it just ended, or a test's tree has none): callers carry on. */
        UNKNOWN
    }

    /** Its state from {@code /proc/PID/stat} (the letter after the command name). */
    public State state() {
        String stat;
        try {
            stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return State.UNKNOWN;
        }
        int close = stat.lastIndexOf(')'); // the name may hold ')' and spaces: the state follows the last one
        if (close < 0 || close + 2 >= stat.length()) {
            return State.UNKNOWN;
        }
        return switch (stat.charAt(close + 2)) {
            case 'T', 't' -> State.STOPPED;
            case 'Z' -> State.ZOMBIE;
            case 'X', 'x' -> State.GONE;
            default -> State.ALIVE;
        };
    }
}
