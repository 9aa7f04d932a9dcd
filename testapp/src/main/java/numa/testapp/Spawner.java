package numa.testapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --spawn-workers=N}: the engine spawns one worker process per device, as xLLM spawns
 * {@code spawn_worker} processes for offline inference:
 * {@code java [--child-jvm-arg ...] -jar testapp.jar --spawn-worker --device=D}, from the main
 * thread, through {@code ProcessBuilder} ({@code --spawn-with=builder}, the default),
 * {@code Runtime.exec} ({@code exec}) or inside {@code WorkerLauncher.launch(Device, ...)}
 * ({@code launcher}). It reports its main thread before and right after each start, then the rows
 * each worker printed.
 */
final class Spawner {
    private Spawner() {
    }

    static List<ThreadReport> run(Options options) throws IOException, InterruptedException {
        List<ThreadReport> rows = new ArrayList<>();
        rows.add(SelfObserver.currentThread("main", null, "before"));
        List<Process> workers = new ArrayList<>();
        for (int d = 0; d < options.spawnWorkers; d++) {
            List<String> command = command(options, d);
            workers.add(start(options.spawnWith, d, command));
            rows.add(SelfObserver.currentThread("main", d, "after-spawn"));
        }
        for (int d = 0; d < workers.size(); d++) {
            Process p = workers.get(d);
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            int status = p.waitFor();
            if (status != 0) {
                throw new IllegalStateException("worker process of device " + d + " exited with " + status + ": " + lines);
            }
            for (String line : lines) {
                rows.add(ReportWriter.parseTableRow(line));
            }
        }
        rows.add(SelfObserver.currentThread("main", null, "after"));
        if (options.tasks) {
            rows.addAll(SelfObserver.allTasks());
        }
        return rows;
    }

    static List<String> command(Options options, int device) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.childJvmArgs);
        command.add("-jar");
        command.add(ownJar());
        command.add("--spawn-worker");
        command.add("--device=" + device);
        return command;
    }

    private static Process start(String with, int device, List<String> command) throws IOException {
        switch (with) {
            case "exec": {
                Process p = Runtime.getRuntime().exec(command.toArray(new String[0]));
                forward(p.getErrorStream(), "worker-" + device + "-stderr");
                return p;
            }
            case "launcher":
                return new WorkerLauncher().launch(new Device(device), command);
            default:
                return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }
    }

    /** The worker's stderr (its agent's lines) onto ours, as INHERIT would. */
    private static void forward(InputStream err, String name) {
        Thread t = new Thread(() -> {
            try {
                err.transferTo(System.err);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static String ownJar() {
        try {
            return Path.of(Spawner.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
