package numa.testapp;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of worker threads created inside a method that receives the device: the shape a
 * {@code bind: children} rule is for. {@link #start} makes both core threads during the call; a
 * third, made later by {@link #grow}, is made outside it.
 */
public final class WorkerPool {
    private final ThreadPoolExecutor executor;

    private WorkerPool(ThreadPoolExecutor executor) {
        this.executor = executor;
    }

    public static WorkerPool start(Device device) {
        int d = device.index();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 3, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), task -> {
            int k = n.incrementAndGet();
            return new Thread(() -> {
                Calls.record(k <= 2 ? "pool-worker" : "pool-late", d, "start");
                task.run();
            }, "pool-" + d + "-worker-" + k);
        });
        executor.prestartAllCoreThreads();
        Calls.record("call", d, "in-call");
        return new WorkerPool(executor);
    }

    /** One more thread, made by the calling thread outside {@link #start}. */
    public void grow() {
        executor.setCorePoolSize(3);
        executor.prestartCoreThread();
    }

    public void stop() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
