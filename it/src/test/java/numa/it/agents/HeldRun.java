package numa.it.agents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

import numa.it.harness.JvmRun;
import numa.it.harness.ProcTasks;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;

/**
 * One run of an app of this package ({@link HeldApp}): started, read from outside while it holds
 * ({@code /proc/<pid>/task/<tid>/status} of each thread, as {@code numa-agent status} or an
 * operator would), released, and run to its end.
 *
 * @param run   what the JVM did
 * @param tasks {@code Cpus_allowed_list} of each thread while the app held, by kernel thread name
 */
record HeldRun(RunResult run, Map<String, String> tasks) {

    static HeldRun of(JvmRun launch, String app) {
        RunningJvm jvm = launch.start();
        jvm.awaitStderr(app + ": holding pid=");
        Map<String, String> tasks = new LinkedHashMap<>();
        ProcTasks.cpusByTask(jvm.pid()).forEach((nameAndTid, cpus) ->
                tasks.put(nameAndTid.substring(0, nameAndTid.lastIndexOf(" (")), cpus));
        try {
            Files.createFile(launch.dir().resolve("release"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HeldRun(jvm.await(), tasks);
    }

    /** The app's {@code result ...} lines: what it did, the same with or without agents. */
    java.util.List<String> results() {
        return run.stdout().lines().filter(l -> l.startsWith("result ")).toList();
    }

    @Override
    public String toString() {
        return "\n--- threads while holding: " + tasks + run;
    }
}
