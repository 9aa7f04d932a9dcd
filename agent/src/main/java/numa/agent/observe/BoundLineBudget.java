package numa.agent.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many "thread ... bound to" info lines each rule has had: a server that churns threads would
 * otherwise log one line per thread for as long as it runs. The first {@value #PER_RULE} of a rule
 * are logged, then the rest are only counted (the MBean and {@code numa-agent status} count every
 * binding), and the exit summary says how many were not logged.
 */
public final class BoundLineBudget {
    public static final int PER_RULE = 100;
    /** The line after a rule's last logged binding: {@code rule}, {@code PER_RULE}. */
    public static final String SPENT = "rule {}: {} bindings logged; further ones of this rule are counted, not logged one by"
            + " one (numa-agent status PID and the MBean show them; the count follows at exit)";
    private static final Map<String, AtomicLong> LINES = new ConcurrentHashMap<>();

    private BoundLineBudget() {
    }

    /** Counts one binding of {@code rule} that would be logged at info; returns its number, from 1. */
    public static long next(String rule) {
        AtomicLong n = LINES.get(rule);
        if (n == null) { // no computeIfAbsent lambda: this runs on the application's first bound starts
            AtomicLong fresh = new AtomicLong();
            n = LINES.putIfAbsent(rule, fresh);
            n = n == null ? fresh : n;
        }
        return n.incrementAndGet();
    }

    /** Rules with more bindings than were logged, and how many bindings each had in all. */
    static Map<String, Long> overBudget() {
        Map<String, Long> out = new LinkedHashMap<>();
        LINES.forEach((rule, n) -> {
            if (n.get() > PER_RULE) {
                out.put(rule, n.get());
            }
        });
        return out;
    }

    /** Forgets every count (tests). */
    static void clear() {
        LINES.clear();
    }
}
