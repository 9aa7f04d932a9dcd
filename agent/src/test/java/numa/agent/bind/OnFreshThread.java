package numa.agent.bind;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a test body on a thread of its own, so that binding calls on the real kernel never touch
 * the test JVM's other threads; the body's failure is rethrown on the caller.
 */
final class OnFreshThread {
    interface Body {
        void run() throws Exception;
    }

    private OnFreshThread() {
    }

    static void run(Body body) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
