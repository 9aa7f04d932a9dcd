package numa.agent.instrument;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;

import numa.agent.log.AgentLog;

/**
 * Waiting for the agent's background start-up (the config, JNA, devices), shared by the hooks.
 * Only what a rule may name waits (an unmatched start decides without it), and never for long:
 * <ul>
 * <li>one budget for the whole start-up, not one per wait: once {@link #BUDGET_SECONDS} have passed
 * since the start-up began, nothing waits any more (a stuck device library costs the application
 * that much once, not at every start);</li>
 * <li>nothing waits while the JVM shuts down: shutdown hooks, the signal thread and the agent's own
 * summary start as the JVM exits, and a container runtime kills a JVM that takes long to.</li>
 * </ul>
 */
public final class Readiness {
    /** The most the application's threads, together, may be held by the agent's start-up. */
    static final long BUDGET_SECONDS = 30;

    /** When waiting stops for good; 0 until {@link #startClock} (then the first wait starts it). */
    private static volatile long deadline;
    /** Never registered: removing it tells whether the JVM is shutting down (see {@link #shuttingDown}). */
    private static final Thread SHUTDOWN_PROBE = new Thread("numa-agent-shutdown-probe");

    private Readiness() {
    }

    /** The start-up began at {@code startNanos} ({@link System#nanoTime()}): the budget counts from there. */
    public static void startClock(long startNanos) {
        deadline = startNanos + TimeUnit.SECONDS.toNanos(BUDGET_SECONDS);
    }

    /**
     * What binding needs; waits for the background start-up within its budget. Null: cannot bind
     * ({@code subject}, e.g. "thread 'gpu-worker-0'", stays unbound).
     */
    static <T> T await(CompletableFuture<T> ready, Logger log, String subject) {
        T r = ready.getNow(null);
        if (r != null || ready.isDone()) {
            return r;
        }
        long left = deadline() - System.nanoTime();
        if (left <= 0) {
            outOfTime(log, subject);
            return null;
        }
        if (shuttingDown()) {
            AgentLog.warnOnce(log, "ready-shutdown", "the JVM is shutting down before the agent's start-up has finished:"
                    + " {} is not bound (nothing waits for the agent at exit)", subject);
            return null;
        }
        try {
            return ready.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            outOfTime(log, subject);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by the start-up itself
        }
        return null;
    }

    private static long deadline() {
        long d = deadline;
        if (d == 0) {
            startClock(System.nanoTime());
            d = deadline;
        }
        return d;
    }

    private static void outOfTime(Logger log, String subject) {
        AgentLog.warnOnce(log, "ready-timeout", "the agent's start-up took more than {} s: {} stays unbound, and so does"
                + " whatever a rule names until it has finished (nothing waits for it any more)", BUDGET_SECONDS, subject);
    }

    /**
     * True once the JVM has begun to run its shutdown hooks: {@code removeShutdownHook} refuses then.
     * Only asked on the way to a wait, never on a start that needs none.
     */
    static boolean shuttingDown() {
        try {
            Runtime.getRuntime().removeShutdownHook(SHUTDOWN_PROBE);
            return false;
        } catch (IllegalStateException e) {
            return true;
        } catch (RuntimeException e) {
            return false; // a security manager that denies it: not known, so not assumed
        }
    }
}
