package numa.testapp;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the method shapes saw: each records the calling thread's own reading at a point of the call
 * ({@code in-call}, {@code after-call}, {@code after-throw}) and each thread they start records its
 * first line. Rows of kind {@code call} (the thread that calls the method), {@code inner} (a thread
 * started during the call), {@code helper} (started by the caller after the call), {@code pool-worker}
 * and {@code pool-late} (pool threads made during and after the call).
 */
final class Calls {
    private static final Queue<ThreadReport> ROWS = new ConcurrentLinkedQueue<>();

    private Calls() {
    }

    /** The calling thread, now. */
    static void record(String kind, Integer device, String phase) {
        ROWS.add(SelfObserver.currentThread(kind, device, phase));
    }

    static List<ThreadReport> rows() {
        return List.copyOf(ROWS);
    }

    /** Starts {@code name} running {@code body}, and waits for it: one shape per thread, nothing shared. */
    static void inThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        join(t);
    }

    /** A thread that records its first line as {@code kind}, started and joined by the calling thread. */
    static void startRecording(String name, String kind, Integer device) {
        inThread(name, () -> record(kind, device, "start"));
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + t.getName());
        }
    }
}
