package numa.testapp;

import java.util.List;

/**
 * A small serving engine that knows nothing of NUMA or of the agent: per-device worker threads, a
 * pool, helper threads, each reporting what the kernel lets it use, so that a test can compare what
 * the agent promised with what a thread really got at its first instruction.
 */
public final class TestApp {
    private TestApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("testapp: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        // a thread that dies before reporting would leave main waiting for it: fail fast instead
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            System.err.println("testapp: thread '" + thread.getName() + "' failed: " + error);
            error.printStackTrace();
            Runtime.getRuntime().halt(1);
        });
        List<ThreadReport> reports;
        if (options.spawnWorker) {
            reports = SpawnedWorker.run(options);
        } else if (options.spawnWorkers > 0) {
            try {
                reports = Spawner.run(options);
            } catch (java.io.IOException e) {
                System.err.println("testapp: cannot spawn a worker: " + e);
                System.exit(1);
                return;
            }
        } else if (options.serveSeconds != null) {
            new Serving(options).run();
            return;
        } else if (!options.methods.isEmpty()) {
            reports = MethodShapes.run(options);
        } else {
            reports = new Engine(options).run();
        }
        System.out.print(options.json ? ReportWriter.json(reports) : ReportWriter.table(reports));
        System.out.flush();
    }
}
