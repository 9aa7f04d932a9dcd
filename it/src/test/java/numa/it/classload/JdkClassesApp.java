package numa.it.classload;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Uses the JDK classes the agent itself runs on while it decides (ConcurrentHashMap,
 * CompletableFuture, WeakHashMap, a ThreadPoolExecutor, string concatenation), each on a thread of
 * its own, for method and thread rules that name JDK classes. Prints one probe per use.
 */
public final class JdkClassesApp {
    private JdkClassesApp() {
    }

    public static void main(String[] args) throws Exception {
        // bind: call on ConcurrentHashMap#computeIfAbsent: the CPUs inside the call, then after it
        Probe.onThread("chm-user", () -> {
            Map<String, String> map = new ConcurrentHashMap<>();
            String inside = map.computeIfAbsent("k", k -> Probe.cpus());
            Probe.print("chm-in-call", inside);
            Probe.print("chm-after-call", Probe.cpus());
        });
        Probe.onThread("weak-user", () -> {
            Map<Object, String> weak = new WeakHashMap<>();
            weak.put(new Object(), "v");
            Probe.print("weak-user", Probe.cpus());
        });
        Probe.onThread("future-user", () -> {
            String got = CompletableFuture.completedFuture(1).thenApply(i -> "x" + i).join();
            Probe.print("future-user", Probe.cpus() + " (" + got + ")");
        });
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "jdk-pool-worker"));
        Probe.print("pool-task", pool.submit(Probe::cpus).get());
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        // a ForkJoinWorkerThread, for thread-class rules (not the common pool: with 2 CPUs, JDK 17's
        // CompletableFuture runs async tasks on a new plain Thread instead)
        ForkJoinPool forkJoin = new ForkJoinPool(2);
        Probe.print("fork-join-task", forkJoin.submit(Probe::cpus).get());
        forkJoin.shutdown();
        Probe.onThread("plain-thread", () -> Probe.print("plain-thread", Probe.cpus()));
        String concat = "concat-" + args.length + "-" + Probe.cpus();
        System.out.println("done " + concat);
    }
}
