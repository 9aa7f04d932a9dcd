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

    Engine(Options options) {
        this.options = options;
        this.observed = new CountDownLatch(2 * options.devices + options.pool);
    }

    List<ThreadReport> run() throws InterruptedException {
        reports.add(SelfObserver.currentThread("main", null, "before"));
        List<Thread> workers = new ArrayList<>();
        for (int device = 0; device < options.devices; device++) {
            Thread worker;
            if (options.workerClass) {
                worker = new EngineWorker(this, device);
            } else if (options.virtualWorkers) {
                worker = VirtualThreads.unstarted("gpu-worker-" + device, new DeviceWorker(this, device));
            } else {
                worker = new Thread(new DeviceWorker(this, device), "gpu-worker-" + device);
            }
            worker.start();
            workers.add(worker);
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
            Thread.sleep(options.holdMs);
        }
        release.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return sorted();
    }

    /** Called by a worker or helper with what it saw at its first line. */
    void report(ThreadReport seen) {
        reports.add(seen);
        observed.countDown();
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
