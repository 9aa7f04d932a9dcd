package numa.testapp;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code --spawn-worker --device=N}: the worker process of device N, as an engine spawns it. It
 * reports what its main thread sees at its first line (CPUs, memory policy on JDK 22+), and, as
 * a second row named {@code spawn-worker-N-tasks}, the distinct CPU lists of every thread of this
 * JVM ({@code |}-separated: one value when the whole process has one binding), then exits.
 */
final class SpawnedWorker {
    private SpawnedWorker() {
    }

    static List<ThreadReport> run(Options options) {
        ThreadReport main = SelfObserver.currentThread("process", options.device, "start");
        List<ThreadReport> rows = new ArrayList<>();
        rows.add(new ThreadReport("process", "spawn-worker-" + options.device, options.device, main.tid(), main.cpus(),
                main.mems(), main.policy(), "start"));
        TreeSet<String> cpus = new TreeSet<>();
        for (ThreadReport task : SelfObserver.allTasks()) {
            cpus.add(task.cpus());
        }
        rows.add(new ThreadReport("process-tasks", "spawn-worker-" + options.device + "-tasks", options.device, main.tid(),
                String.join("|", cpus), main.mems(), MemPolicyProbe.UNKNOWN, "start"));
        return rows;
    }
}
