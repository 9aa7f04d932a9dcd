package numa.it.agents;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.concurrent.CountDownLatch;

/**
 * A program that uses Mockito's inline mock maker (Mockito 5's default: it attaches ByteBuddy's
 * agent to its own JVM and retransforms the classes it mocks, their superclasses included) in a JVM
 * numa-agent instruments, for {@link MockitoInlineTest}. It mocks and spies the class a numa method
 * rule names ({@link ModelServer}) and a subclass of {@link Thread}, which makes Mockito retransform
 * {@code java.lang.Thread} itself, and starts {@code gpu-worker-N} threads before and after.
 *
 * <p>stdout: {@code result ...} lines (what the mocks answered: the same with or without numa-agent)
 * and {@code seen ...} lines (a thread's CPUs, from {@code /proc/thread-self/status}). Then it holds,
 * the workers alive, until the test releases it ({@link HeldApp#holdUntilReleased}).
 */
public final class MockedApp {
    private MockedApp() {
    }

    public static void main(String[] args) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // before Mockito is touched: java.lang.Thread as numa-agent left it
        GpuThread before = GpuThread.started(0, release);

        ModelServer mocked = mock(ModelServer.class);
        when(mocked.serve(1)).thenReturn("stubbed 1");
        System.out.println("result mock serve(1)=" + mocked.serve(1) + " serve(0)=" + mocked.serve(0));

        ModelServer spied = spy(new ModelServer());
        System.out.println("result spy serve(1)=" + spied.serve(1)); // the real method: bound by its rule
        verify(spied).serve(1);
        System.out.println("result spy verified");
        System.out.println("result real serve(0)=" + new ModelServer().serve(0));

        // mocking a Thread subclass makes Mockito retransform java.lang.Thread too
        GpuThread mockedThread = mock(GpuThread.class);
        when(mockedThread.device()).thenReturn(7);
        System.out.println("result mocked thread device()=" + mockedThread.device());
        GpuThread spiedThread = spy(new GpuThread(3, () -> { }));
        System.out.println("result spied thread name=" + spiedThread.getName() + " device()=" + spiedThread.device());

        // after Mockito retransformed Thread: a new thread must still be bound
        GpuThread after = GpuThread.started(1, release);
        before.awaitSeen();
        after.awaitSeen();
        HeldApp.holdUntilReleased("mocked-app");
        release.countDown();
        before.join();
        after.join();
    }

    /** The class a numa-agent method rule names: {@code serve(device)} runs bound to the device's node. */
    public static class ModelServer {
        public String serve(int device) {
            System.out.println("seen serve device=" + device + " on " + Thread.currentThread().getName()
                    + " cpus=" + HeldApp.cpus());
            return "served " + device;
        }
    }

    /** A thread of the kind a numa-agent thread rule names: {@code gpu-worker-<device>}. */
    public static class GpuThread extends Thread {
        private final int device;
        private final CountDownLatch seen = new CountDownLatch(1);

        public GpuThread(int device, Runnable body) {
            super(body, "gpu-worker-" + device);
            this.device = device;
        }

        /** Reports its CPUs, then stays alive until {@code release}. */
        static GpuThread started(int device, CountDownLatch release) {
            GpuThread[] self = new GpuThread[1];
            self[0] = new GpuThread(device, () -> {
                System.out.println("seen thread gpu-worker-" + device + " cpus=" + HeldApp.cpus());
                self[0].seen.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            self[0].setDaemon(true); // a main that fails ends the JVM, not held by a worker
            self[0].start();
            return self[0];
        }

        public int device() {
            return device;
        }

        void awaitSeen() throws InterruptedException {
            seen.await();
        }
    }
}
