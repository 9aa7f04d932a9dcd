package numa.agent.instrument;

import java.util.concurrent.CompletableFuture;
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
import numa.agent.observe.UnmatchedNames;
import numa.agent.rules.RuleTargets;
import numa.agent.rules.ThreadRules;

/**
 * Decides, on the starting thread, what a thread about to start gets, binds the starter to it just
 * around {@code start0} (the new OS thread inherits it from its first instruction) and restores
 * the starter afterwards.
 *
 * <ul>
 * <li>a thread a rule names gets its device's node;</li>
 * <li>else, a thread started during a {@code bind: children} call on the starting thread gets that
 * call's binding;</li>
 * <li>else, a thread started by a bound thread (a rule bound it: thread, method or children rule) gets
 * the process's original binding under {@code children: reset} (pools created lazily by a worker stay
 * whole);</li>
 * <li>else, a thread started while the starting thread is bound only to spawn a process (the JDK's
 * "process reaper") gets what the starting thread had before the spawn;</li>
 * <li>anything else is not touched: no kernel call at all.</li>
 * </ul>
 * Only kernel calls happen between binding and restoring the starter; log lines are written after,
 * so a virtual thread starting a platform thread cannot be unmounted with its carrier bound.
 * Nothing here ever throws into {@code Thread.start}.
 */
// a Function and a Consumer at once, as the bridge takes them: andThen of each is never called
@SuppressWarnings("overloads")
public final class ThreadStartHook implements Function<Thread, Object>, Consumer<Object> {
    private static final Logger LOG = AgentLog.logger("thread");

    /** Set while the agent itself starts threads (JNA's cleaner, ...): those are never bound. */
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    private final ThreadRules rules;
    private final CompletableFuture<BindingContext> ready;
    private final boolean resetChildren;
    private final boolean dryRun;
    /** Threads a rule bound, and their rule: a thread they start that no rule names is reset. */
    private final BoundThreads bound;
    /** Whether method or process rules can give threads call state (scopes, spawn windows) to look at. */
    private final boolean callStates;

    /**
     * @param ready completes with what binding needs, or with null when nothing can be bound here
     */
    public ThreadStartHook(ThreadRules rules, CompletableFuture<BindingContext> ready, BindingConfig.Children children,
                           boolean dryRun) {
        this(rules, ready, children, dryRun, new BoundThreads(), false);
    }

    /**
     * @param bound      shared with the method and process hooks
     * @param callStates true when method or process hooks are installed too
     */
    public ThreadStartHook(ThreadRules rules, CompletableFuture<BindingContext> ready, BindingConfig.Children children,
                           boolean dryRun, BoundThreads bound, boolean callStates) {
        this.rules = rules;
        this.ready = ready;
        this.resetChildren = children == BindingConfig.Children.RESET;
        this.dryRun = dryRun;
        this.bound = bound;
        this.callStates = callStates;
    }

    /**
     * What {@link #accept(Object)} needs after start0: the starter's old binding, what to log, and
     * for the record the thread and the nanoseconds binding the starter took.
     */
    private record Started(CallerBinder.Saved saved, String thread, String starter, StartDecision decision,
                           Thread subject, long bindNanos) {
        Started with(CallerBinder.Saved s, long nanos) {
            return new Started(s, thread, starter, decision, subject, nanos);
        }

        /** For the MBean and JFR: bindings by a rule and resets; a spawn window is no binding of its own. */
        void record(boolean dryRun, boolean memoryApplied, long cost) {
            if (decision.why() != StartDecision.Why.SPAWN) {
                Observations.threadStarted(subject, decision.rule(), decision.target(),
                        decision.why() == StartDecision.Why.RESET, dryRun, memoryApplied, cost);
            }
        }

        void log(boolean dryRun) {
            decision.log(LOG, "thread", thread, starter, saved == null || saved.memoryApplied(), dryRun);
        }
    }

    /**
     * Agent threads that others start (the JVM starts shutdown hooks): never bound. Empty nearly
     * always, so a Thread.start pays one {@code isEmpty()}.
     */
    private static final java.util.Set<Thread> AGENT_THREADS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code thread}, one of the agent's, will be started by someone else: no rule applies to it. */
    public static void agentThread(Thread thread) {
        AGENT_THREADS.add(thread);
    }

    /** True for a thread registered by {@link #agentThread}. */
    static boolean isAgentThread(Thread thread) {
        return !AGENT_THREADS.isEmpty() && AGENT_THREADS.contains(thread);
    }

    /** Undoes {@link #agentThread} once {@code thread} will not be started after all. */
    public static void forgetAgentThread(Thread thread) {
        AGENT_THREADS.remove(thread);
    }

    /** True while the agent itself starts a thread (see {@link #startInternal}). */
    static boolean insideAgent() {
        return INSIDE.get() != null;
    }

    /** Starts one of the agent's own threads: no rule ever applies to it. */
    public static void startInternal(String name, Runnable body) {
        // everything the agent's thread runs is the agent's: a rule naming a JDK class it calls
        // (java.util.concurrent.*) must not bind it, nor make it wait for the start-up it performs.
        // Created as the agent: a thread keeps the access control context of the code that created
        // it, and under a security manager the application's frames (or the launcher's, in the
        // system loader) would deny the agent's thread what it does (JNA, /proc, sysfs, JMX).
        // Measured: with =allow and System.setSecurityManager in main, the start-up thread still
        // loading JNA failed (ExceptionInInitializerError), so this holds with no manager yet too
        AsAgent asAgent = new AsAgent(body, name);
        Thread t = Privileged.possible() ? Privileged.run(asAgent) : asAgent.run();
        t.setDaemon(true);
        INSIDE.set(Boolean.TRUE);
        try {
            t.start();
        } finally {
            INSIDE.remove();
        }
    }

    /**
     * Creates one of the agent's threads, whose body runs as the agent's code. A class, not
     * lambdas: it is used at premain, where each lambda costs ~1 ms cold.
     */
    private static final class AsAgent implements java.security.PrivilegedAction<Thread> {
        private final Runnable body;
        private final String name;

        AsAgent(Runnable body, String name) {
            this.body = body;
            this.name = name;
        }

        /** The thread, not started. */
        @Override
        public Thread run() {
            return new Thread(new Runnable() {
                @Override
                public void run() {
                    NumaAgentBridge.enterAgent();
                    body.run();
                }
            }, name);
        }
    }

    /** Before {@code start0}: returns a token for {@link #accept(Object)}, or null when nothing was done. */
    @Override
    public Object apply(Thread thread) {
        // Throwable, VirtualMachineErrors included: an OutOfMemoryError or StackOverflowError here
        // comes from the agent's own work on top of the application's, and must not become a
        // failure of Thread.start (see NumaAgentBridge)
        boolean entered = false;
        try {
            if (INSIDE.get() != null || isAgentThread(thread)) {
                return null;
            }
            INSIDE.set(Boolean.TRUE);
            entered = true;
            return beforeStart(thread);
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "hook:" + t.getClass().getName(), "internal error while starting thread '{}' ({});"
                    + " it is left unbound. Please report this", thread.getName(), AgentLog.describe(t));
            return null;
        } finally {
            if (entered) {
                INSIDE.remove();
            }
        }
    }

    private Object beforeStart(Thread thread) throws BindException {
        ThreadRules.Match match = rules.match(thread);
        if (match == null && !rules.isEmpty()) {
            UnmatchedNames.seen(thread.getName()); // bounded: one volatile read once its sample is full
        }
        CallState state = callStates ? CallState.peek() : null;
        boolean spawning = state != null && state.spawning;
        CallState.Scope scope = state == null || spawning ? null : state.scope;
        if (match == null && scope == null && !spawning && (!resetChildren || bound.isEmpty())) {
            return null;
        }
        BindingContext r = Readiness.await(ready, LOG, "thread '" + thread.getName() + "'");
        if (r == null) {
            return null;
        }
        Thread starter = Thread.currentThread();
        StartDecision decision = null;
        if (match != null) {
            String rule = match.rule().name();
            Binding target = r.targets().resolve(match.rule(), match.nameMatch(), "thread '" + thread.getName() + "'");
            if (target == null) {
                if (!RuleTargets.lastWasNoDevice()) {
                    Observations.threadFailed(thread, BindingRecord.TRIGGER_THREAD_START, -1, rule, null,
                            "no binding for it here (see problems)");
                }
                return null;
            }
            decision = StartDecision.rule(rule, target);
        } else if (scope != null) {
            decision = StartDecision.scope(r, state);
        }
        if (decision == null) {
            String starterRule = bound.ruleOf(starter);
            if (resetChildren && starterRule != null) {
                decision = StartDecision.reset(r, starterRule);
            } else if (spawning) {
                decision = StartDecision.spawnWindow(state.beforeSpawn);
            } else {
                return null;
            }
        }
        if (decision.bindsByRule()) {
            bound.put(thread, decision.rule());
        }
        Started started = new Started(null, thread.getName(), starter.getName(), decision, thread, 0);
        if (dryRun) {
            started.log(true);
            started.record(true, false, 0);
            return null;
        }
        long t0 = System.nanoTime();
        CallerBinder.Saved saved;
        try {
            saved = r.binder().bind(decision.target());
        } catch (BindException e) {
            bound.remove(thread);
            AgentLog.warnOnce(LOG, "bind:" + e.errno(), "thread '{}' not bound: {}", thread.getName(), e.getMessage());
            if (decision.why() != StartDecision.Why.SPAWN) {
                Observations.threadFailed(thread, BindingRecord.TRIGGER_THREAD_START, -1, decision.rule(),
                        decision.target(), e.getMessage());
            }
            return null;
        } catch (Throwable t) {
            bound.remove(thread); // bind() put the starter back before it threw
            throw t;
        }
        try {
            return started.with(saved, System.nanoTime() - t0);
        } catch (Throwable t) {
            // no token, no restore after start0: put the starter back now, before the thread starts
            r.binder().restore(saved);
            bound.remove(thread);
            throw t;
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
            s.record(false, s.saved() == null || s.saved().memoryApplied(), cost);
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "hook-after:" + t.getClass().getName(), "internal error after a thread start ({})",
                    AgentLog.describe(t));
        }
    }
}
