package numa.testapp;

/**
 * The worker of one device written as a Thread subclass that overrides run(), named
 * {@code engine-worker-<device>}: the case a {@code thread-class} rule matches, and the one that
 * advice on {@code Thread.run} alone would miss.
 */
public final class EngineWorker extends Thread {
    private final Engine engine;
    private final int device;

    EngineWorker(Engine engine, int device) {
        super("engine-worker-" + device);
        this.engine = engine;
        this.device = device;
    }

    @Override
    public void run() {
        ThreadReport seen = SelfObserver.currentThread("worker", device, "start"); // first line: see SPEC
        WorkerBody.run(engine, seen);
    }
}
