package numa.agent.instrument;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The platform threads a rule bound, with the rule's name: what {@code children: reset} looks at.
 * A thread or process that no rule names, started by one of these, gets the process's original
 * binding. Shared by the thread, method and process hooks: a worker bound by a thread rule, a
 * caller bound by a method rule (for good, or for the call) and a thread bound inside a
 * {@code children} call are all "bound threads".
 */
public final class BoundThreads {
    private final Map<Thread, String> rules = Collections.synchronizedMap(new WeakHashMap<>());
    /** Fast path: no kernel call and no lock when nothing was ever bound. */
    private volatile boolean any;

    /** Records that {@code thread} is (or is about to be) bound by {@code rule}; returns the rule it had. */
    public String put(Thread thread, String rule) {
        any = true;
        return rules.put(thread, rule);
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
}
