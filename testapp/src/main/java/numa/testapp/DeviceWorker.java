package numa.testapp;

/**
 * The worker of one device as most engines write it: a Runnable given to {@code new Thread(r, name)}
 * with the name {@code gpu-worker-<device>}.
 */
final class DeviceWorker implements Runnable {
    private final Engine engine;
    private final int device;

    DeviceWorker(Engine engine, int device) {
        this.engine = engine;
        this.device = device;
    }

    @Override
    public void run() {
        ThreadReport seen = SelfObserver.currentThread("worker", device, "start"); // first line: see SPEC
        WorkerBody.run(engine, seen);
    }
}
