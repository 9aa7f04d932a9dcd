package numa.bench;

import java.io.IOException;
import java.util.Arrays;

/**
 * Runs inside the JVM being measured (see {@link MethodBench}): what a method rule adds to each
 * call of the method it names, and what a process rule adds to {@code ProcessBuilder.start}.
 * <ul>
 * <li>{@code call_plain}: {@link Target#plain}, which no rule names;</li>
 * <li>{@code call_children}: {@link Target#scoped}, the same body, named by a {@code bind: children}
 * rule that has nothing to do (no thread or process is started in the call): the advice, the
 * per-thread frame push and pop;</li>
 * <li>{@code call_call}: {@link Target#bound}, named by a {@code bind: call} rule whose binding is
 * the thread's own (the bench binds to this machine's node 0): advice plus reading the thread's
 * affinity and policy at each call, no migration;</li>
 * <li>{@code spawn_matched} / {@code spawn_unmatched}: {@code /bin/true} started and waited for,
 * with a command line a process rule names, and one it does not;</li>
 * <li>{@code process_hook_matched} / {@code process_hook_unmatched}: the agent's part of a spawn
 * alone (decide, bind the caller, restore it).</li>
 * </ul>
 * Prints {@code name value_ns} lines (medians of batches).
 */
public final class MethodCallLoop {
    private MethodCallLoop() {
    }

    /** Three methods with one body; the bench config names two of them. */
    public static final class Target {
        static long sink;

        public static long plain(long x) {
            long r = x * 31 + 7;
            sink += r;
            return r;
        }

        public static long scoped(long x) {
            long r = x * 31 + 7;
            sink += r;
            return r;
        }

        public static long bound(long x) {
            long r = x * 31 + 7;
            sink += r;
            return r;
        }
    }

    interface Call {
        long apply(long x);
    }

    public static void main(String[] args) throws Exception {
        int batches = 31;
        int perBatch = 200_000;
        for (String[] c : new String[][] {{"plain", "call_plain"}, {"scoped", "call_children"}, {"bound", "call_call"}}) {
            Call call = switch (c[0]) {
                case "scoped" -> Target::scoped;
                case "bound" -> Target::bound;
                default -> Target::plain;
            };
            perCall(call, 5, perBatch); // warm-up: JIT
            System.out.println(c[1] + " " + perCall(call, batches, c[0].equals("bound") ? perBatch / 20 : perBatch));
        }
        for (String word : new String[] {"matched", "unmatched"}) {
            spawn(word, 5);
            System.out.println("spawn_" + word + " " + spawn(word, 41));
        }
        processHooks();
        System.out.println("sink " + (Target.sink & 1));
    }

    /**
     * What the agent adds to one spawn, without the ~1-4 ms of fork/exec and its noise: the bridge's
     * before/after pair called directly (they are private: the harness opens java.lang for this).
     * Without the agent, or without access, reported as 0.
     */
    @SuppressWarnings("unchecked")
    private static void processHooks() throws Exception {
        java.util.function.Function<String[], Object> before = null;
        java.util.function.Consumer<Object> after = null;
        try {
            Class<?> bridge = Class.forName("java.lang.NumaAgentBridge");
            java.lang.reflect.Field b = bridge.getDeclaredField("beforeProcessStart");
            java.lang.reflect.Field a = bridge.getDeclaredField("afterProcessStart");
            b.setAccessible(true);
            a.setAccessible(true);
            before = (java.util.function.Function<String[], Object>) b.get(null);
            after = (java.util.function.Consumer<Object>) a.get(null);
        } catch (ReflectiveOperationException | RuntimeException noAgent) {
            // reported as 0
        }
        for (String word : new String[] {"matched", "unmatched"}) {
            long ns = 0;
            if (before != null && after != null) {
                String[] cmd = {"/bin/true", word};
                long[] samples = new long[31];
                for (int s = -5; s < samples.length; s++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 2000; i++) {
                        Object token = before.apply(cmd);
                        if (token != null) {
                            after.accept(token);
                        }
                    }
                    if (s >= 0) {
                        samples[s] = (System.nanoTime() - t0) / 2000;
                    }
                }
                ns = median(samples);
            }
            System.out.println("process_hook_" + word + " " + ns);
        }
    }

    private static long perCall(Call call, int batches, int perBatch) {
        long[] ns = new long[batches];
        for (int b = 0; b < batches; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBatch; i++) {
                call.apply(i);
            }
            ns[b] = (System.nanoTime() - t0) * 1000 / perBatch; // picoseconds: sub-ns calls stay visible
        }
        return median(ns);
    }

    /** One {@code /bin/true <word>} per sample, started and waited for. */
    private static long spawn(String word, int samples) throws IOException, InterruptedException {
        long[] ns = new long[samples];
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("/bin/true", word).start();
            p.waitFor();
            ns[s] = System.nanoTime() - t0;
        }
        return median(ns);
    }

    static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
