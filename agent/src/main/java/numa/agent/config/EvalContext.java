package numa.agent.config;

import java.util.regex.Matcher;

/**
 * What an expression can see when a rule matches.
 */
public interface EvalContext {
    /** The successful match of the rule's regex (thread name or command line), or null. */
    Matcher match();

    /** Environment lookup (System::getenv in production). */
    String env(String name);

    /** System property lookup (System::getProperty in production). */
    String property(String name);

    /** The next value of the rule's round-robin counter, already reduced modulo the cycle size. */
    int nextRoundRobin();

    /** {@code this} of an intercepted method call, or null (issue 3). */
    default Object self() {
        return null;
    }

    /** Argument N of an intercepted method call (issue 3). */
    default Object arg(int index) {
        throw new IllegalStateException("no call arguments here");
    }

    default int argCount() {
        return 0;
    }
}
