package numa.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * A server's first move: a 4-thread pool started at main's first instruction, before the agent's
 * background start-up can have read its config. Prints {@code main NANOS} and {@code pool NANOS}
 * (System.nanoTime() once all four threads have started), then exits.
 */
public final class PoolAtMain {
    private PoolAtMain() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ((ThreadPoolExecutor) pool).prestartAllCoreThreads();
        long started = System.nanoTime();
        pool.shutdown();
        System.out.println("main " + main);
        System.out.println("pool " + started);
    }
}
