package numa.it.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The thread starts one starter does in one iteration, each thread told what the SPEC says it must
 * see at its first line, and the starter checking itself after each start and around each call.
 * CPU sets: {@code original} is the process's own; {@code node[d]} the node of device d (device 0
 * on node 0, device 1 on node 1).
 *
 * <ul>
 * <li>{@link #worker}: a thread a rule names, which starts a thread no rule names (children: reset:
 * the original set) and a worker of the other device (its own node);</li>
 * <li>{@link #plain}: a thread no rule names started by an unbound thread (not touched), and one a
 * rule names whose device expression fails, differently for each thread ({@code $1} is
 * {@code x<n>}, no number): warned about and left alone;</li>
 * <li>{@link #calls}: {@code bind: call} nested in {@code bind: call} (the inner one throwing at
 * times), threads started inside each;</li>
 * <li>{@link #scopes}: {@code bind: children}, nested in itself and with a {@code bind: call}
 * inside, threads started at each level.</li>
 * </ul>
 */
final class Scenarios {
    static final int KINDS = 4;

    private final Affinity check;
    private final String original;
    private final String[] node;
    private final AtomicLong names = new AtomicLong();
    final AtomicLong started = new AtomicLong();

    /** Thrown by an inner call to check that {@code bind: call} restores on throw. */
    private static final class Failure extends RuntimeException {
        Failure() {
            super("inner call failed on purpose", null, false, false);
        }
    }

    Scenarios(Affinity check, String original, String[] node) {
        this.check = check;
        this.original = original;
        this.node = node;
    }

    /** One iteration of kind {@code kind} for device {@code d}, by a starter that is not bound. */
    void run(int kind, int d, boolean innerThrows) {
        switch (kind) {
            case 0 -> join(worker(d, original));
            case 1 -> plain();
            case 2 -> calls(d, innerThrows);
            default -> scopes(d);
        }
    }

    private String workerName(int d) {
        return "stress-worker-" + d + "-" + names.incrementAndGet();
    }

    private String plainName() {
        return "stress-plain-" + names.incrementAndGet();
    }

    /** Starts a thread whose first statement checks its CPUs against {@code expected}. */
    private Thread start(String name, String expected, String why, Runnable body) {
        Thread t = new Thread(() -> {
            check.checkStarted(expected, why); // first line of run(): what it got before any user code
            body.run();
        }, name);
        t.start();
        started.incrementAndGet();
        return t;
    }

    private static void nothing() {
    }

    private Thread worker(int d, String starterHas) {
        Thread t = start(workerName(d), node[d], "worker of device " + d, () -> {
            Thread child = start(plainName(), original, "plain thread started by a worker (children: reset)",
                    Scenarios::nothing);
            check.checkSelf(node[d], "worker after starting a plain thread");
            Thread other = start(workerName(1 - d), node[1 - d], "worker started by a worker of the other device",
                    Scenarios::nothing);
            check.checkSelf(node[d], "worker after starting a worker");
            join(child, other);
        });
        check.checkSelf(starterHas, "starter after starting a worker");
        return t;
    }

    private void plain() {
        Thread t = start(plainName(), original, "plain thread started by an unbound thread", () -> {
            Thread child = start(plainName(), original, "plain thread started by a plain thread", Scenarios::nothing);
            join(child);
        });
        check.checkSelf(original, "starter after starting a plain thread");
        // a rule names it, but its $1 is no device number: the agent warns and leaves it alone
        Thread odd = start("stress-odd-x" + names.incrementAndGet(), original,
                "thread whose rule cannot be evaluated (left as it is)", Scenarios::nothing);
        check.checkSelf(original, "starter after starting a thread whose rule fails");
        join(t, odd);
    }

    private void calls(int d, boolean innerThrows) {
        Placements.outer(d, () -> {
            check.checkSelf(node[d], "in a bind: call call");
            Thread plain = start(plainName(), original, "plain thread started in a call (children: reset)",
                    Scenarios::nothing);
            check.checkSelf(node[d], "in a call, after starting a thread");
            List<Thread> inInner = new ArrayList<>();
            try {
                Placements.inner(1 - d, () -> {
                    check.checkSelf(node[1 - d], "in a call nested in a call");
                    inInner.add(worker(d, node[1 - d]));
                    inInner.add(start(plainName(), original, "plain thread started in a nested call (children: reset)",
                            Scenarios::nothing));
                    check.checkSelf(node[1 - d], "in a nested call, after starting threads");
                    if (innerThrows) {
                        throw new Failure();
                    }
                });
            } catch (Failure expected) {
                // restored on throw: checked below
            }
            check.checkSelf(node[d], "in a call, after the nested call " + (innerThrows ? "threw" : "returned"));
            join(inInner.toArray(new Thread[0]));
            join(plain);
        });
        check.checkSelf(original, "after a call (restored)");
    }

    private void scopes(int d) {
        Placements.scoped(d, () -> {
            check.checkSelf(original, "in a bind: children call (the caller is left alone)");
            Thread scoped = start(plainName(), node[d], "plain thread started in a children call", () -> {
                Thread child = start(plainName(), original,
                        "plain thread started by a thread a children call bound (children: reset)", Scenarios::nothing);
                join(child);
            });
            Thread w = worker(1 - d, original);
            Placements.scoped(1 - d, () -> join(start(plainName(), node[1 - d],
                    "plain thread started in a children call nested in another", Scenarios::nothing)));
            Placements.outer(1 - d, () -> {
                check.checkSelf(node[1 - d], "in a bind: call call inside a children call");
                join(start(plainName(), node[d], "plain thread started in a call inside a children call (the scope binds it)",
                        Scenarios::nothing));
                check.checkSelf(node[1 - d], "in a call inside a children call, after starting a thread");
            });
            check.checkSelf(original, "in a children call, after the nested calls");
            join(scoped, w);
        });
        check.checkSelf(original, "after a children call");
    }

    static void join(Thread... threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining " + t.getName(), e);
            }
        }
    }
}
