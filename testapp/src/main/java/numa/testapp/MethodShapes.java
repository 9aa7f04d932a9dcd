package numa.testapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --methods=server,overloads,throwing,pool,interface,inherited,early,expressions} (or
 * {@code all}): the ways engines create their workers in a method, each run for every device on a
 * thread of its own (so nothing one shape does to a thread carries into another), one after the
 * other. Thread names say which shape and device: {@code server-2}, {@code server-int-2},
 * {@code failing-2}, {@code pool-owner-2}, {@code factory-2}, {@code gpu-launcher-2},
 * {@code plain-launcher-2}, {@code early-2}, {@code expr-<probe>} (and {@code expr-<probe>-again}).
 */
final class MethodShapes {
    static final List<String> ALL = List.of("server", "overloads", "throwing", "pool", "interface", "inherited", "early",
            "expressions");

    private MethodShapes() {
    }

    static List<ThreadReport> run(Options options) {
        if (options.awaitFile != null) {
            awaitFile(options.awaitFile);
        }
        List<ThreadReport> rows = new ArrayList<>();
        rows.add(SelfObserver.currentThread("main", null, "before"));
        for (String shape : options.methods) {
            for (int d = 0; d < options.devices && !shape.equals("expressions"); d++) {
                run(shape, d);
            }
            if (shape.equals("expressions")) {
                for (Map.Entry<String, Runnable> probe : Probes.all().entrySet()) {
                    Calls.inThread("expr-" + probe.getKey(), probe.getValue());
                    // twice: a failure must be reported once, not at every call
                    Calls.inThread("expr-" + probe.getKey() + "-again", probe.getValue());
                }
            }
        }
        rows.addAll(Calls.rows());
        rows.add(SelfObserver.currentThread("main", null, "after"));
        return rows;
    }

    /**
     * Loads the classes of every shape, says so, and waits until {@code path} exists: a test loads
     * the agent into this JVM meanwhile (attach), which must instrument classes already loaded.
     */
    private static void awaitFile(String path) {
        for (Class<?> c : List.of(WorkerServer.class, WorkerPool.class, ServerFactory.class, Assembler.class,
                BaseLauncher.class, GpuLauncher.class, PlainLauncher.class, EarlyServer.class, Probes.class)) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        System.err.println("testapp: pid=" + ProcessHandle.current().pid() + " waiting for " + path);
        System.err.flush();
        java.nio.file.Path file = java.nio.file.Path.of(path);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!java.nio.file.Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " did not appear within 60 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void run(String shape, int d) {
        Device device = new Device(d);
        switch (shape) {
            case "server" -> Calls.inThread("server-" + d, () -> {
                new WorkerServer().createServer(device);
                Calls.record("call", d, "after-call");
                Calls.startRecording("server-" + d + "-helper", "helper", d);
            });
            case "overloads" -> {
                Calls.inThread("server-int-" + d, () -> new WorkerServer().createServer(d));
                Calls.inThread("server-str-" + d, () -> new WorkerServer().createServer(Integer.toString(d)));
            }
            case "throwing" -> Calls.inThread("failing-" + d, () -> {
                try {
                    new WorkerServer().createFailingServer(device);
                } catch (IllegalStateException expected) {
                    Calls.record("call", d, "after-throw");
                }
            });
            case "pool" -> Calls.inThread("pool-owner-" + d, () -> {
                WorkerPool pool = WorkerPool.start(device);
                Calls.record("call", d, "after-call");
                pool.grow();
                pool.stop();
            });
            case "interface" -> Calls.inThread("factory-" + d, () -> {
                ServerFactory factory = new Assembler();
                factory.newServer(device);
            });
            case "inherited" -> {
                Calls.inThread("gpu-launcher-" + d, () -> {
                    BaseLauncher launcher = new GpuLauncher();
                    launcher.launch(device);
                });
                Calls.inThread("plain-launcher-" + d, () -> {
                    BaseLauncher launcher = new PlainLauncher();
                    launcher.launch(device);
                });
            }
            case "early" -> Calls.inThread("early-" + d, () -> EarlyServer.create(device));
            default -> throw new IllegalArgumentException("unknown method shape '" + shape + "' (known: " + ALL + ")");
        }
    }
}
