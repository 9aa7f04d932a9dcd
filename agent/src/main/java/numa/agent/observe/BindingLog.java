package numa.agent.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the agent has bound in this JVM, kept for the MBean ({@code numa.agent:type=Bindings}), the
 * {@code status} and {@code attach} commands, and handed to JFR as it happens. One per JVM (the
 * agent's class loader is), fed from wherever a binding is made.
 *
 * <p>Recording costs a few hundred nanoseconds, only for threads a rule names (against the
 * microseconds of the binding itself); threads no rule names never get here. Memory stays bounded:
 * bound threads are held weakly (a thread that ends and is collected drops out), threads that ended
 * but are still referenced are swept whenever the map has doubled since the last sweep (amortised
 * O(1) a record), failures in a ring of the last {@value #RECENT}.
 */
public final class BindingLog {
    static final int RECENT = 100;
    /** Live records before the first sweep of ended threads. */
    static final int SWEEP_MIN = 1024;

    /** Bound, failed, reset and no-device counts of one rule. */
    static final class RuleCounts {
        final AtomicLong bound = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong reset = new AtomicLong();
        final AtomicLong noDevice = new AtomicLong();
    }

    private static final Map<String, RuleCounts> COUNTS = new ConcurrentHashMap<>();
    private static final Map<Thread, BindingRecord> LIVE = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Deque<BindingRecord> FAILURES = new ArrayDeque<>();
    private static final List<BindingRecord> ATTACHED = Collections.synchronizedList(new ArrayList<>());
    /** Builds what the MBean says of the agent when asked: start-up only stores facts, off the clock. */
    private static volatile Supplier<AgentInfo> info; // null: not started (no lambda here: first binding's path)
    /** The size of LIVE at which the next record sweeps ended threads (guarded by LIVE). */
    private static int sweepAt = SWEEP_MIN;
    /** The hooks' bound-thread map, for its size on the MBean (null: no hooks). */
    private static volatile IntSupplier boundThreads;

    private BindingLog() {
    }

    /** Counts a thread or call its rule left alone because the device expression gave a negative number. */
    static void noDevice(String rule) {
        countsOf(rule).noDevice.incrementAndGet();
    }

    private static RuleCounts countsOf(String rule) {
        RuleCounts c = COUNTS.get(rule);
        if (c == null) { // no computeIfAbsent lambda: this runs on the application's first thread starts
            RuleCounts fresh = new RuleCounts();
            c = COUNTS.putIfAbsent(rule, fresh);
            c = c == null ? fresh : c;
        }
        return c;
    }

    /** Records a binding of {@code thread} (null when the subject is not a thread of this JVM). */
    public static void record(Thread thread, BindingRecord r) {
        RuleCounts c = countsOf(r.rule());
        if (r.outcome() != BindingRecord.Outcome.RESET) {
            RuleActivity.matched(r.rule());
        }
        switch (r.outcome()) {
            case FAILED -> c.failed.incrementAndGet();
            case RESET -> c.reset.incrementAndGet();
            default -> c.bound.incrementAndGet();
        }
        if (r.outcome() == BindingRecord.Outcome.FAILED) {
            synchronized (FAILURES) {
                if (FAILURES.size() == RECENT) {
                    FAILURES.removeFirst();
                }
                FAILURES.addLast(r);
            }
        } else if (thread != null) {
            synchronized (LIVE) {
                LIVE.put(thread, r);
                if (LIVE.size() >= sweepAt) {
                    dropEnded();
                    sweepAt = Math.max(SWEEP_MIN, 2 * LIVE.size());
                }
            }
        }
        if (BindingRecord.TRIGGER_ATTACH.equals(r.trigger())) {
            ATTACHED.add(r);
        }
        JfrBindings.emit(r);
    }

    /** Removes the records of threads that have ended (the caller holds LIVE's lock). */
    private static void dropEnded() {
        for (Iterator<Thread> it = LIVE.keySet().iterator(); it.hasNext(); ) {
            if (it.next().getState() == Thread.State.TERMINATED) {
                it.remove();
            }
        }
    }

    /** How many records were made so far (each counted once under its rule): the agent's thread publishes on a change. */
    public static long recordsMade() {
        long n = 0;
        for (RuleCounts c : COUNTS.values()) {
            n += c.bound.get() + c.failed.get() + c.reset.get();
        }
        return n;
    }

    /** Records held for threads: live ones, plus ended ones not yet collected or swept. */
    static int threadRecords() {
        return LIVE.size();
    }

    /** Where {@link #boundThreadEntries()} reads from: the map {@code children: reset} consults. */
    public static void boundThreads(IntSupplier entries) {
        boundThreads = entries;
    }

    /** Entries of the bound-thread map (live bound threads, plus ended ones not yet dropped); 0 without hooks. */
    static int boundThreadEntries() {
        IntSupplier source = boundThreads;
        return source == null ? 0 : source.getAsInt();
    }

    /** What the agent is, as the MBean shows it. */
    public static AgentInfo info() {
        Supplier<AgentInfo> source = info;
        return source == null ? AgentInfo.NONE : source.get();
    }

    /** Where {@link #info()} comes from: asked at each read, so it is as current as start-up is. */
    public static void infoSource(Supplier<AgentInfo> source) {
        info = source;
    }

    /** A fixed description (tests). */
    static void info(AgentInfo fixed) {
        info = () -> fixed;
    }

    /** Rule name to {bound, failed, reset, no device}, in first-recorded order of rules. */
    static Map<String, long[]> counts() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String rule : info().ruleNames()) {
            out.put(rule, new long[4]);
        }
        COUNTS.forEach((rule, c) -> out.put(rule, new long[] {c.bound.get(), c.failed.get(), c.reset.get(), c.noDevice.get()}));
        return out;
    }

    /** Threads bound, reset or bound in dry-run that are still alive, with their record. */
    static Map<Thread, BindingRecord> liveThreads() {
        Map<Thread, BindingRecord> out = new LinkedHashMap<>();
        synchronized (LIVE) {
            LIVE.forEach((t, r) -> {
                if (t.isAlive()) {
                    out.put(t, r);
                }
            });
        }
        return out;
    }

    /** The last {@value #RECENT} failures, oldest first. */
    static List<BindingRecord> failures() {
        synchronized (FAILURES) {
            return new ArrayList<>(FAILURES);
        }
    }

    /** An attach begins: what an earlier one (a dry run) did to the running threads is no longer news. */
    public static void newAttach() {
        ATTACHED.clear();
    }

    /** What an attach found and did to the threads already running, in order. */
    static List<BindingRecord> attached() {
        synchronized (ATTACHED) {
            return new ArrayList<>(ATTACHED);
        }
    }

    /** Forgets everything (tests). */
    static void clear() {
        COUNTS.clear();
        LIVE.clear();
        synchronized (FAILURES) {
            FAILURES.clear();
        }
        ATTACHED.clear();
        info = null;
        boundThreads = null;
        synchronized (LIVE) {
            sweepAt = SWEEP_MIN;
        }
    }
}
