package numa.agent.config;

import java.lang.management.ManagementFactory;

/**
 * Bytes a piece of work allocates on the calling thread (HotSpot's per-thread allocation counter):
 * a bound on the memory that work can cost, measured without timing anything.
 */
final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What {@link #measure} gives back: the work's result (or what it threw) and its allocation. */
    record Measured<T>(T value, Throwable thrown, long bytes) {
    }

    interface Work<T> {
        T run() throws Throwable;
    }

    private Allocation() {
    }

    static boolean supported() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /** Runs {@code work} on this thread; never throws what it throws, but gives it back. */
    static <T> Measured<T> measure(Work<T> work) {
        long tid = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(tid);
        T value = null;
        Throwable thrown = null;
        try {
            value = work.run();
        } catch (Throwable t) {
            thrown = t;
        }
        return new Measured<>(value, thrown, THREADS.getThreadAllocatedBytes(tid) - before);
    }
}
