package numa.agent.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which rules have matched anything yet (a thread, a call of their method, a process), and for
 * {@code method} rules which method was instrumented: what tells a rule that binds nothing
 * (see {@link QuietRules}) from one that works. Marked on the paths that bind, which cost
 * microseconds already; a rule is marked once, then each mark is one map lookup.
 */
public final class RuleActivity {
    private static final Map<String, Boolean> MATCHED = new ConcurrentHashMap<>();
    /** Method rule -> the first method instrumented for it ({@code com.acme.Server.create(Device)}). */
    private static final Map<String, String> INSTRUMENTED = new ConcurrentHashMap<>();

    private RuleActivity() {
    }

    /** {@code rule} matched a thread, a call or a process (bound or not: a failure is reported on its own). */
    public static void matched(String rule) {
        if (rule != null && !MATCHED.containsKey(rule)) {
            MATCHED.put(rule, Boolean.TRUE);
        }
    }

    /** A method of a class that was loaded was instrumented for {@code rule}. */
    public static void instrumented(String rule, String method) {
        INSTRUMENTED.putIfAbsent(rule, method);
    }

    static boolean hasMatched(String rule) {
        return MATCHED.containsKey(rule);
    }

    /** The first method instrumented for {@code rule}, or null when none (its class was not loaded). */
    static String instrumentedMethod(String rule) {
        return INSTRUMENTED.get(rule);
    }

    /** Forgets everything (tests). */
    static void clear() {
        MATCHED.clear();
        INSTRUMENTED.clear();
    }
}
