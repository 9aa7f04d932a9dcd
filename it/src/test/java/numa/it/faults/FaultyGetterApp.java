package numa.it.faults;

/**
 * A tiny application whose device handle's getter fails: {@code Handle.getIndex()} counts its calls
 * (a side effect) and throws with a new message each time. A method rule reads it
 * ({@code node: arg0.index}); the application must not notice: every call returns its own value,
 * and the getter runs once per call. Prints {@code calls=N returned=N getter=N}.
 */
public final class FaultyGetterApp {
    static final int CALLS = 200;

    public static final class Handle {
        int reads;

        public int getIndex() {
            reads++;
            throw new IllegalStateException("handle closed (read " + reads + ")");
        }
    }

    public static final class Server {
        public int handle(Handle h, int i) {
            return i * 2;
        }
    }

    public static void main(String[] args) throws Exception {
        Handle h = new Handle();
        Server s = new Server();
        int[] returned = new int[1];
        Thread worker = new Thread(() -> {
            for (int i = 0; i < CALLS; i++) {
                if (s.handle(h, i) == i * 2) {
                    returned[0]++;
                }
            }
        }, "server-0");
        worker.start();
        worker.join();
        System.out.println("calls=" + CALLS + " returned=" + returned[0] + " getter=" + h.reads);
    }
}
