package numa.agent.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the agent has bound in this JVM, kept for the MBean ({@code numa.agent:type=Bindings}), the
 * {@code status} and {@code attach} commands, and handed to JFR as it happens. One per JVM (the
 * agent's class loader is), fed from wherever a binding is made.
 *
 * <p>Recording costs a few hundred nanoseconds, only for threads a rule names (against the
 * microseconds of the binding itself); threads no rule names never get here. Memory stays bounded:
 * bound threads are held weakly (a thread that ends and is collected drops out), failures in a
 * ring of the last {@value #RECENT}.
 */
public final class BindingLog {
    static final int RECENT = 100;

    /** Bound, failed and reset counts of one rule. */
    static final class RuleCounts {
        final AtomicLong bound = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong reset = new AtomicLong();
    }

    private static final Map<String, RuleCounts> COUNTS = new ConcurrentHashMap<>();
    private static final Map<Thread, BindingRecord> LIVE = Collections.synchronizedMap(new WeakHashMap<>());
    private static final Deque<BindingRecord> FAILURES = new ArrayDeque<>();
    private static final List<BindingRecord> ATTACHED = Collections.synchronizedList(new ArrayList<>());
    private static volatile AgentInfo info = AgentInfo.NONE;

    private BindingLog() {
    }

    /** Records a binding of {@code thread} (null when the subject is not a thread of this JVM). */
    public static void record(Thread thread, BindingRecord r) {
        RuleCounts c = COUNTS.computeIfAbsent(r.rule(), k -> new RuleCounts());
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
            LIVE.put(thread, r);
        }
        if (BindingRecord.TRIGGER_ATTACH.equals(r.trigger())) {
            ATTACHED.add(r);
        }
        JfrBindings.emit(r);
    }

    /** What the agent is, as the MBean shows it; set once at start, refined as start-up goes on. */
    public static AgentInfo info() {
        return info;
    }

    public static void info(AgentInfo updated) {
        info = updated;
    }

    /** Rule name to {bound, failed, reset}, in first-recorded order of rules. */
    static Map<String, long[]> counts() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String rule : info.ruleNames()) {
            out.put(rule, new long[3]);
        }
        COUNTS.forEach((rule, c) -> out.put(rule, new long[] {c.bound.get(), c.failed.get(), c.reset.get()}));
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
        info = AgentInfo.NONE;
    }
}
