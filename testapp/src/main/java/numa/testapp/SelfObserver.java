package numa.testapp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the kernel what a thread is allowed: the calling thread through /proc/thread-self (plus its
 * memory policy, which only the thread itself can read), or every thread of this process through
 * /proc/self/task. Never throws: a field it could not read is "?", so a broken /proc shows in the
 * report instead of killing a worker mid-test.
 */
final class SelfObserver {
    private static final Path TASKS = Path.of("/proc/self/task");

    private SelfObserver() {
    }

    /** The calling thread, now. Call it first thing in run(): that is what the agent promises. */
    static ThreadReport currentThread(String kind, Integer device, String phase) {
        ProcStatus status = readOrUnknown(ProcStatus.SELF);
        String policy = MemPolicyProbe.currentThread();
        return new ThreadReport(kind, Thread.currentThread().getName(), device, status.tid(),
                status.cpus(), status.mems(), policy, phase);
    }

    /**
     * Every thread of the JVM as the kernel lists it, the JVM's own (GC, JIT, agent) included.
     * Names are the kernel's 15-character ones; the policy of another thread cannot be read.
     */
    static List<ThreadReport> allTasks() {
        List<ThreadReport> tasks = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TASKS)) {
            for (Path dir : dirs) {
                ProcStatus status;
                try {
                    status = ProcStatus.read(dir.resolve("status"));
                } catch (IOException e) {
                    continue; // the thread ended between the listing and the read
                }
                tasks.add(new ThreadReport("task", status.name(), null, status.tid(), status.cpus(),
                        status.mems(), MemPolicyProbe.UNKNOWN, "task"));
            }
        } catch (IOException e) {
            tasks.add(new ThreadReport("task", "?", null, -1, "?", "?", MemPolicyProbe.UNKNOWN, "task"));
        }
        return tasks;
    }

    private static ProcStatus readOrUnknown(Path file) {
        try {
            return ProcStatus.read(file);
        } catch (IOException | RuntimeException e) {
            return new ProcStatus("?", -1, "?", "?");
        }
    }
}
