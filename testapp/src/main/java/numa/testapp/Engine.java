package numa.testapp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The serving engine: one worker thread per device, each with a helper thread of its own, and a
 * small fixed pool. Every thread reports what it sees of itself, then waits until main has taken
 * its own readings (and the optional /proc/self/task snapshot), so all of them are alive at that
 * moment and a test reading /proc/PID/task during --hold-ms sees them too.
 */
final class Engine {
    private final Options options;
    private final Queue<ThreadReport> reports = new ConcurrentLinkedQueue<>();
    /** Counts down once per worker, helper and pool thread report. */
    private final CountDownLatch observed;
    private final CountDownLatch release = new CountDownLatch(1);
    /** Counts down once per late worker and helper report, once they are started. */
    private volatile CountDownLatch lateObserved;

    Engine(Options options) {
        this.options = options;
        this.observed = new CountDownLatch(2 * options.devices + options.pool);
    }

    List<ThreadReport> run() throws InterruptedException {
        reports.add(SelfObserver.currentThread("main", null, "before"));
        List<Thread> workers = new ArrayList<>();
        for (int device = 0; device < options.devices; device++) {
            workers.add(startWorker(device));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.pool));
        for (int i = 0; i < options.pool; i++) {
            pool.execute(this::poolTask); // a fixed pool makes a new thread for each of the first K tasks
        }
        observed.await();
        reports.add(SelfObserver.currentThread("main", null, "after").touching(options.touchOthersMb));
        if (options.tasks) {
            reports.addAll(SelfObserver.allTasks());
        }
        if (options.holdMs > 0) {
            System.err.println("testapp: pid=" + ProcessHandle.current().pid() + " holding " + options.holdMs + " ms");
            System.err.flush();
            hold(workers);
        }
        release.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return sorted();
    }

    private Thread startWorker(int device) {
        Thread worker;
        if (options.workerClass) {
            worker = new EngineWorker(this, device);
        } else if (options.virtualWorkers) {
            worker = VirtualThreads.unstarted("gpu-worker-" + device, new DeviceWorker(this, device));
        } else {
            worker = new Thread(new DeviceWorker(this, device), "gpu-worker-" + device);
        }
        worker.start();
        return worker;
    }

    /**
     * Holds every thread alive for --hold-ms. With --control-dir, a file {@code start-late} there
     * starts the --late-workers (devices numbered after the first ones; what a worker created after
     * an attach looks like), and {@code release} ends the hold early.
     */
    private void hold(List<Thread> workers) throws InterruptedException {
        long end = System.nanoTime() + options.holdMs * 1_000_000;
        boolean lateStarted = options.lateWorkers == 0;
        while (System.nanoTime() < end) {
            if (options.controlDir == null) {
                Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
                break;
            }
            if (!lateStarted && java.nio.file.Files.exists(options.controlDir.resolve("start-late"))) {
                lateStarted = true;
                lateObserved = new CountDownLatch(2 * options.lateWorkers);
                for (int i = 0; i < options.lateWorkers; i++) {
                    workers.add(startWorker(options.devices + i));
                }
                lateObserved.await();
                System.err.println("testapp: late workers reported");
                System.err.flush();
            }
            if (java.nio.file.Files.exists(options.controlDir.resolve("release"))) {
                break;
            }
            Thread.sleep(20);
        }
    }

    /** Called by a worker or helper with what it saw at its first line. */
    void report(ThreadReport seen) {
        reports.add(seen);
        observed.countDown();
        CountDownLatch late = lateObserved;
        if (late != null) {
            late.countDown();
        }
    }

    /** A worker's helper: a platform thread, or a virtual one with --virtual-helpers. */
    Thread newHelper(String name, Runnable task) {
        return options.virtualHelpers ? VirtualThreads.unstarted(name, task) : new Thread(task, name);
    }

    void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int touchMb() {
        return options.touchMb;
    }

    int touchOthersMb() {
        return options.touchOthersMb;
    }

    private void poolTask() {
        ThreadReport seen = SelfObserver.currentThread("pool", null, "start");
        report(seen.touching(options.touchOthersMb));
        WorkerBody.touchMemory(1 << 20);
        awaitRelease();
    }

    /** main before, workers, helpers, pool, main after, then tasks; by name (device) within each. */
    private List<ThreadReport> sorted() {
        List<String> kinds = List.of("main:before", "worker", "helper", "pool", "main:after", "task");
        List<ThreadReport> all = new ArrayList<>(reports);
        all.sort(Comparator
                .comparingInt((ThreadReport r) -> {
                    int i = kinds.indexOf(r.kind() + ":" + r.phase());
                    return i >= 0 ? i : kinds.indexOf(r.kind());
                })
                .thenComparingInt(r -> r.device() == null ? -1 : r.device())
                .thenComparing(ThreadReport::name)
                .thenComparingInt(ThreadReport::tid));
        return all;
    }
}
