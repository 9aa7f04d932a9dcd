package numa.it.stress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a thread sees of its own CPUs ({@code Cpus_allowed_list} of /proc/thread-self/status: the
 * kernel's truth, no JNA needed) and the tally of every check against what the SPEC promises.
 */
final class Affinity {
    private static final Path SELF = Path.of("/proc/thread-self/status");
    private static final int MISMATCHES_KEPT = 20;

    /** Checks made at the first line of a started thread's run(). */
    final AtomicLong startedChecked = new AtomicLong();
    /** Checks a starter made of itself after start() returned, or inside/after a call. */
    final AtomicLong starterChecked = new AtomicLong();
    final AtomicLong mismatches = new AtomicLong();
    private final Queue<String> firstMismatches = new ConcurrentLinkedQueue<>();

    /** The calling thread's allowed CPUs, e.g. {@code 0-1}. */
    static String ofCurrentThread() {
        try {
            for (String line : Files.readAllLines(SELF)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(SELF + " has no Cpus_allowed_list");
    }

    /** Called as the FIRST statement of a started thread's run(). */
    void checkStarted(String expected, String why) {
        String seen = ofCurrentThread();
        startedChecked.incrementAndGet();
        compare(seen, expected, why);
    }

    /** A starter (or caller) checks itself. */
    void checkSelf(String expected, String why) {
        String seen = ofCurrentThread();
        starterChecked.incrementAndGet();
        compare(seen, expected, why);
    }

    private void compare(String seen, String expected, String why) {
        if (!seen.equals(expected)) {
            mismatches.incrementAndGet();
            if (firstMismatches.size() < MISMATCHES_KEPT) {
                firstMismatches.add("'" + Thread.currentThread().getName() + "' " + why + ": cpus=" + seen
                        + ", expected " + expected);
            }
        }
    }

    Iterable<String> firstMismatches() {
        return firstMismatches;
    }
}
