package numa.agent.instrument;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.IntSupplier;

/**
 * The platform threads a rule bound, with the rule's name: what {@code children: reset} looks at.
 * A thread or process that no rule names, started by one of these, gets the process's original
 * binding. Shared by the thread, method and process hooks: a worker bound by a thread rule, a
 * caller bound by a method rule (for good, or for the call) and a thread bound inside a
 * {@code children} call are all "bound threads".
 *
 * <p>An ended thread drops out: weakly held, its entry goes once the thread object is collected,
 * and entries of threads that ended but are still referenced (an application that keeps its
 * finished {@code Thread} objects) are swept whenever the map has doubled since the last sweep, so
 * the map follows the live bound threads, at an amortised cost of O(1) per binding.
 * {@link #getAsInt()} is its size, for the MBean's {@code BoundThreadEntries}.
 */
public final class BoundThreads implements IntSupplier {
    /** Entries before the first sweep: below this an ended thread's entry costs less than a sweep. */
    static final int SWEEP_MIN = 1024;

    private final Map<Thread, String> rules = Collections.synchronizedMap(new WeakHashMap<>());
    /** Fast path: no kernel call and no lock when nothing was ever bound. */
    private volatile boolean any;
    /** The size at which the next put sweeps ended threads (guarded by {@code rules}). */
    private int sweepAt = SWEEP_MIN;

    /** Records that {@code thread} is (or is about to be) bound by {@code rule}; returns the rule it had. */
    public String put(Thread thread, String rule) {
        any = true;
        synchronized (rules) {
            String previous = rules.put(thread, rule);
            if (rules.size() >= sweepAt) {
                dropEnded(rules);
                sweepAt = Math.max(SWEEP_MIN, 2 * rules.size());
            }
            return previous;
        }
    }

    /**
     * Removes the entries of threads that have ended. TERMINATED, not {@code !isAlive()}: a thread
     * is put here before it starts (NEW), and another starter's thread about to start must stay.
     * The caller holds the map's lock.
     */
    static void dropEnded(Map<Thread, ?> map) {
        for (Iterator<Thread> it = map.keySet().iterator(); it.hasNext(); ) {
            if (it.next().getState() == Thread.State.TERMINATED) {
                it.remove();
            }
        }
    }

    /** Puts back what {@link #put} replaced (null: not bound). */
    public void restore(Thread thread, String previousRule) {
        if (previousRule == null) {
            rules.remove(thread);
        } else {
            rules.put(thread, previousRule);
        }
    }

    public void remove(Thread thread) {
        rules.remove(thread);
    }

    /** The rule that bound {@code thread}, or null. */
    public String ruleOf(Thread thread) {
        return any ? rules.get(thread) : null;
    }

    public boolean isEmpty() {
        return !any || rules.isEmpty();
    }

    /** Entries held now: live bound threads, plus ended ones not yet collected or swept. */
    @Override
    public int getAsInt() {
        return rules.size();
    }
}
