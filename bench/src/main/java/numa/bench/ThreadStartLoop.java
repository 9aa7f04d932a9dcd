package numa.bench;

import java.util.Arrays;

/**
 * Runs inside the JVM being measured. Two measures of what Thread.start costs, each the median of
 * many batches:
 * <ul>
 * <li>{@code start+join}: real threads named {@code gpu-worker-0} (a rule matches under the bench
 * config) and {@code plain-0} (no rule matches): the end-to-end figure, thread creation included;</li>
 * <li>{@code hook}: the bridge's before/after pair alone on an unstarted thread: exactly what the
 * agent adds to a start, without the ~80 µs of thread creation and its noise. Without the agent
 * the bridge is absent and this is reported as 0.</li>
 * </ul>
 * Prints {@code name value_ns} lines for the harness.
 */
public final class ThreadStartLoop {
    private ThreadStartLoop() {
    }

    public static void main(String[] args) throws Exception {
        int batches = Integer.parseInt(args.length > 0 ? args[0] : "41");
        int perBatch = Integer.parseInt(args.length > 1 ? args[1] : "200");
        for (String name : new String[] {"gpu-worker-0", "plain-0"}) {
            startJoin(name, 3, perBatch); // warm-up
            System.out.println("start_join_" + (name.startsWith("gpu") ? "matched" : "unmatched") + " "
                    + startJoin(name, batches, perBatch));
        }
        Class<?> bridge;
        try {
            bridge = Class.forName("java.lang.NumaAgentBridge");
        } catch (ClassNotFoundException noAgent) {
            System.out.println("hook_matched 0");
            System.out.println("hook_unmatched 0");
            return;
        }
        java.lang.reflect.Method before = bridge.getMethod("beforeThreadStart", Thread.class);
        java.lang.reflect.Method after = bridge.getMethod("afterThreadStart", Object.class);
        for (String name : new String[] {"gpu-worker-0", "plain-0"}) {
            hook(before, after, name, 5, perBatch * 10);
            System.out.println("hook_" + (name.startsWith("gpu") ? "matched" : "unmatched") + " "
                    + hook(before, after, name, batches, perBatch * 10));
        }
    }

    private static long startJoin(String name, int batches, int perBatch) throws InterruptedException {
        long[] perThread = new long[batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                Thread t = new Thread(() -> { }, name);
                t.start();
                t.join();
            }
            perThread[b] = (System.nanoTime() - t0) / perBatch;
        }
        return median(perThread);
    }

    private static long hook(java.lang.reflect.Method before, java.lang.reflect.Method after, String name, int batches,
                             int perBatch) throws Exception {
        long[] perCall = new long[batches];
        Thread t = new Thread(() -> { }, name);
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                after.invoke(null, before.invoke(null, t));
            }
            perCall[b] = (System.nanoTime() - t0) / perBatch;
        }
        return median(perCall);
    }

    static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
