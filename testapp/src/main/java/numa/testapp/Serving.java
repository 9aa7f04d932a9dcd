package numa.testapp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --serve-seconds=N}: the engine serving synthetic requests for N seconds, with thread churn,
 * for soak runs (bench/soak.sh) that watch it from outside. Knows nothing of NUMA:
 * <ul>
 * <li>one worker per device, {@code gpu-worker-<device>}, takes requests from its queue; each worker
 * retires after {@code --requests-per-worker} requests and the dispatcher starts a new one with the
 * same name (workers come and go all the time, as in an engine that restarts them);</li>
 * <li>every {@code --helper-every}-th request a worker starts a short-lived helper
 * ({@code gpu-worker-<device>-helper}) and waits for it;</li>
 * <li>{@code --clients} client threads ({@code serve-client-<i>}) send requests round-robin to the
 * devices and wait for the answers, pausing {@code --client-pause-us} between requests;</li>
 * <li>a request allocates and sums a small block (garbage for the GC, a little CPU).</li>
 * </ul>
 * Every 10 s and at the end it prints one line on stderr: {@code testapp: served R requests,
 * W workers started, H helpers}. 0 seconds serves until killed.
 */
final class Serving {
    private static final int REQUEST_BYTES = 16 << 10;
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Options options;
    private final List<BlockingQueue<CompletableFuture<Long>>> queues = new ArrayList<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong workersStarted = new AtomicLong();
    private final AtomicLong helpers = new AtomicLong();
    private volatile boolean stopping;

    Serving(Options options) {
        this.options = options;
        for (int d = 0; d < options.devices; d++) {
            queues.add(new ArrayBlockingQueue<>(1024));
        }
    }

    List<ThreadReport> run() throws InterruptedException {
        long end = options.serveSeconds == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(options.serveSeconds);
        Thread[] workers = new Thread[options.devices];
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < options.clients; i++) {
            int id = i;
            Thread c = new Thread(() -> client(id), "serve-client-" + i);
            c.start();
            clients.add(c);
        }
        long nextReport = System.nanoTime() + REPORT_NANOS;
        // the dispatcher: keeps one worker per device, replacing those that retired
        while (System.nanoTime() < end) {
            for (int d = 0; d < workers.length; d++) {
                if (workers[d] == null || !workers[d].isAlive()) {
                    int device = d;
                    workers[d] = new Thread(() -> work(device), "gpu-worker-" + d);
                    workers[d].start();
                    workersStarted.incrementAndGet();
                }
            }
            if (System.nanoTime() >= nextReport) {
                report();
                nextReport += REPORT_NANOS;
            }
            Thread.sleep(5);
        }
        stopping = true;
        for (Thread c : clients) {
            c.join();
        }
        for (Thread w : workers) {
            w.interrupt();
            w.join();
        }
        report();
        return List.of();
    }

    private void report() {
        System.err.println("testapp: served " + served.get() + " requests, " + workersStarted.get() + " workers started, "
                + helpers.get() + " helpers");
        System.err.flush();
    }

    private void work(int device) {
        BlockingQueue<CompletableFuture<Long>> queue = queues.get(device);
        try {
            for (int n = 1; n <= options.requestsPerWorker && !stopping; n++) {
                CompletableFuture<Long> request = queue.poll(100, TimeUnit.MILLISECONDS);
                if (request == null) {
                    n--;
                    continue;
                }
                long answer = WorkerBody.touchMemory(REQUEST_BYTES);
                if (options.helperEvery > 0 && n % options.helperEvery == 0) {
                    Thread helper = new Thread(() -> WorkerBody.touchMemory(REQUEST_BYTES),
                            Thread.currentThread().getName() + "-helper");
                    helper.start();
                    helpers.incrementAndGet();
                    helper.join();
                }
                served.incrementAndGet();
                request.complete(answer);
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    private void client(int id) {
        int device = id % options.devices;
        while (!stopping) {
            CompletableFuture<Long> request = new CompletableFuture<>();
            try {
                if (queues.get(device).offer(request, 100, TimeUnit.MILLISECONDS)) {
                    request.get(10, TimeUnit.SECONDS);
                }
                if (options.clientPauseUs > 0) {
                    TimeUnit.MICROSECONDS.sleep(options.clientPauseUs + ThreadLocalRandom.current().nextInt(options.clientPauseUs));
                }
            } catch (InterruptedException | ExecutionException e) {
                return;
            } catch (TimeoutException e) {
                // a worker retired with the request still queued to it: the next one answers later ones
            }
            device = (device + 1) % options.devices;
        }
    }
}
