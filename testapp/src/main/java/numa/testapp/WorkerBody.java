package numa.testapp;

/**
 * What a device worker does once it has looked at itself: a little memory work (so a memory policy
 * has something to place), one helper thread of its own (whose first-line reading shows what the
 * agent does to threads a bound thread starts: reset or inherit), then it waits for the engine.
 */
final class WorkerBody {
    private static final int WORK_BYTES = 8 << 20;
    private static final int PAGE = 4096;

    private WorkerBody() {
    }

    static void run(Engine engine, ThreadReport seenAtStart) {
        engine.report(seenAtStart.touching(engine.touchMb()));
        touchMemory(WORK_BYTES);
        String name = Thread.currentThread().getName();
        Thread helper = engine.newHelper(name + "-helper", () -> {
            ThreadReport seen = SelfObserver.currentThread("helper", null, "start");
            engine.report(seen.touching(engine.touchOthersMb()));
            engine.awaitRelease();
        });
        helper.start();
        engine.awaitRelease();
        try {
            helper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Allocates and writes every page, so the pages are really placed by the kernel. */
    static long touchMemory(int bytes) {
        byte[] block = new byte[bytes];
        long sum = 0;
        for (int i = 0; i < block.length; i += PAGE) {
            block[i] = (byte) i;
            sum += block[i];
        }
        return sum;
    }
}
