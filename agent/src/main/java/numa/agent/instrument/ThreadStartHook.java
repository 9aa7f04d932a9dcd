package numa.agent.instrument;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;

import numa.agent.bind.BindException;
import numa.agent.bind.Binding;
import numa.agent.bind.CallerBinder;
import numa.agent.config.BindingConfig;
import numa.agent.log.AgentLog;
import numa.agent.observe.BindingRecord;
import numa.agent.observe.Observations;
import numa.agent.rules.RuleTargets;
import numa.agent.rules.ThreadRules;

/**
 * Decides, on the starting thread, what a thread about to start gets, binds the starter to it just
 * around {@code start0} (the new OS thread inherits it from its first instruction) and restores
 * the starter afterwards.
 *
 * <ul>
 * <li>a thread a rule names gets its device's node;</li>
 * <li>a thread no rule names, started by a thread a rule bound, gets the process's original
 * binding under {@code children: reset} (pools created lazily by a worker stay whole);</li>
 * <li>anything else is not touched: no kernel call at all.</li>
 * </ul>
 * Only kernel calls happen between binding and restoring the starter; log lines are written after,
 * so a virtual thread starting a platform thread cannot be unmounted with its carrier bound.
 * Nothing here ever throws into {@code Thread.start}.
 */
public final class ThreadStartHook implements Function<Thread, Object>, Consumer<Object> {
    private static final Logger LOG = AgentLog.logger("thread");

    /** Set while the agent itself starts threads (JNA's cleaner, ...): those are never bound. */
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    /** How long the first matched start waits for the agent's background start-up. */
    private static final long READY_TIMEOUT_SECONDS = 30;

    /** What binding needs, ready once JNA and the devices are (see Agent). */
    public record Ready(RuleTargets targets, CallerBinder binder) {
    }

    private final ThreadRules rules;
    private final CompletableFuture<Ready> ready;
    private final boolean resetChildren;
    private final boolean dryRun;
    /** Threads a rule bound, and their rule: a thread they start that no rule names is reset. */
    private final Map<Thread, String> bound = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param ready completes with what binding needs, or with null when nothing can be bound here
     */
    public ThreadStartHook(ThreadRules rules, CompletableFuture<Ready> ready, BindingConfig.Children children,
                           boolean dryRun) {
        this.rules = rules;
        this.ready = ready;
        this.resetChildren = children == BindingConfig.Children.RESET;
        this.dryRun = dryRun;
    }

    /**
     * What {@link #accept(Object)} needs after start0: the starter's old binding, what to log, and
     * for the record the thread and the nanoseconds binding the starter took.
     */
    private record Started(CallerBinder.Saved saved, String thread, String starter, String rule, Binding target,
                           boolean reset, Thread subject, long bindNanos) {
        Started with(CallerBinder.Saved s, long nanos) {
            return new Started(s, thread, starter, rule, target, reset, subject, nanos);
        }

        /** Bindings are the news (info); resets of children no rule names are detail (debug). */
        void log(boolean dryRun) {
            if (reset ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
                return;
            }
            String memory = saved == null || saved.memoryApplied() ? target.memory().describe()
                    : "not set (refused, see above)";
            String binding = (target.node() >= 0 ? "node " + target.node() + " " : "") + "cpus=" + target.cpus()
                    + " memory=" + memory;
            if (reset) {
                LOG.debug("thread '{}' started by '{}' (rule {}) matches no rule: {} to {} (children: reset)", thread,
                        starter, rule, dryRun ? "would be reset" : "reset", binding);
            } else {
                String what = target.device() >= 0 ? "device " + target.device() : "node " + target.node();
                LOG.info("thread '{}' (rule {}, {}) {} {}", thread, rule, what,
                        dryRun ? "would be bound (dry-run) to" : "bound to", binding);
            }
        }
    }

    /**
     * Notes a thread bound while it was already running (attach): a thread it starts that no rule
     * names is then reset like the children of threads bound at their start.
     */
    public void boundWhileRunning(Thread thread, String rule) {
        bound.put(thread, rule);
    }

    /** Starts one of the agent's own threads: no rule ever applies to it. */
    public static void startInternal(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        INSIDE.set(Boolean.TRUE);
        try {
            t.start();
        } finally {
            INSIDE.remove();
        }
    }

    /** What binding needs; waits for the background start-up the first times. Null: cannot bind. */
    private Ready ready(String thread) {
        Ready r = ready.getNow(null);
        if (r != null || ready.isDone()) {
            return r;
        }
        try {
            return ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            AgentLog.warnOnce(LOG, "ready-timeout", "the agent's start-up took more than {} s: thread '{}' starts unbound",
                    READY_TIMEOUT_SECONDS, thread);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported by the start-up itself
        }
        return null;
    }

    /** Before {@code start0}: returns a token for {@link #accept(Object)}, or null when nothing was done. */
    @Override
    public Object apply(Thread thread) {
        if (INSIDE.get() != null) {
            return null;
        }
        INSIDE.set(Boolean.TRUE);
        try {
            return beforeStart(thread);
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "hook:" + t.getClass().getName(),
                    "internal error while starting thread '{}' ({}); it is left unbound. Please report this", thread.getName(), t.toString());
            return null;
        } finally {
            INSIDE.remove();
        }
    }

    private Object beforeStart(Thread thread) throws BindException {
        ThreadRules.Match match = rules.match(thread);
        if (match == null && (!resetChildren || bound.isEmpty())) {
            return null;
        }
        Ready r = ready(thread.getName());
        if (r == null) {
            return null;
        }
        RuleTargets targets = r.targets();
        Binding target;
        String rule;
        if (match != null) {
            rule = match.rule().name();
            target = targets.resolve(match.rule(), match.nameMatch(), "thread '" + thread.getName() + "'");
            if (target == null) {
                Observations.threadFailed(thread, BindingRecord.TRIGGER_THREAD_START, -1, rule, null,
                        "no binding for it here (see problems)");
                return null;
            }
            bound.put(thread, rule);
        } else {
            rule = bound.get(Thread.currentThread());
            if (rule == null) {
                return null;
            }
            target = targets.planner().base();
        }
        Started started = new Started(null, thread.getName(), Thread.currentThread().getName(), rule, target, match == null,
                thread, 0);
        if (dryRun) {
            started.log(true);
            Observations.threadStarted(thread, rule, target, started.reset(), true, false, 0);
            return null;
        }
        long t0 = System.nanoTime();
        try {
            CallerBinder.Saved saved = r.binder().bind(target);
            return started.with(saved, System.nanoTime() - t0);
        } catch (BindException e) {
            bound.remove(thread);
            AgentLog.warnOnce(LOG, "bind:" + e.errno(), "thread '{}' not bound: {}", thread.getName(), e.getMessage());
            Observations.threadFailed(thread, BindingRecord.TRIGGER_THREAD_START, -1, rule, target, e.getMessage());
            return null;
        }
    }

    /** After {@code start0}: puts the starter back, then logs. */
    @Override
    public void accept(Object token) {
        try {
            Started s = (Started) token;
            long t0 = System.nanoTime();
            ready.getNow(null).binder().restore(s.saved());
            long cost = s.bindNanos() + System.nanoTime() - t0;
            s.log(false);
            Observations.threadStarted(s.subject(), s.rule(), s.target(), s.reset(), false,
                    s.saved() == null || s.saved().memoryApplied(), cost);
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "hook-after:" + t.getClass().getName(), "internal error after a thread start ({})", t.toString());
        }
    }
}
