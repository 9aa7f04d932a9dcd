package numa.agent.bind;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code process} section: the whole JVM on one node. {@code sched_setaffinity} and
 * {@code set_mempolicy} act on one thread, and by premain the JVM already runs GC, JIT and other
 * threads, so every task under {@code /proc/self/task} is bound, repeatedly until no new one shows.
 * The memory policy can only be set on the calling thread: it is set on the premain thread, and
 * threads created from it inherit it (GC and JIT threads that exist already keep theirs).
 */
public final class ProcessBinder {
    /** What happened: how many threads were bound, and the first refusal if any. */
    public record Result(int threads, int failed, String firstFailure, boolean memorySet) {
    }

    private final CallerBinder caller;
    private final Path taskDir;

    public ProcessBinder(CallerBinder caller, Path taskDir) {
        this.caller = caller;
        this.taskDir = taskDir;
    }

    public Result bindAll(Binding target) throws BindException, IOException {
        boolean memory = caller.bindForGood(target);
        Set<Integer> done = new HashSet<>();
        done.add(caller.binder().currentTid());
        int failed = 0;
        String firstFailure = null;
        for (int round = 0; round < 10; round++) {
            boolean sawNew = false;
            for (int tid : tasks()) {
                if (done.add(tid)) {
                    sawNew = true;
                    try {
                        caller.binder().setAffinity(tid, target.cpus());
                    } catch (BindException e) {
                        if (e.errno() != Errno.ESRCH) { // a thread that ended meanwhile is no failure
                            failed++;
                            firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
                        }
                    }
                }
            }
            if (!sawNew) {
                break;
            }
        }
        return new Result(done.size(), failed, firstFailure, memory);
    }

    private Set<Integer> tasks() throws IOException {
        Set<Integer> tids = new HashSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(taskDir)) {
            for (Path p : dir) {
                try {
                    tids.add(Integer.parseInt(p.getFileName().toString()));
                } catch (NumberFormatException ignored) {
                    // not a task
                }
            }
        }
        return tids;
    }
}
