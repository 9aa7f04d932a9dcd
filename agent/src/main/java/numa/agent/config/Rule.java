package numa.agent.config;

import java.util.regex.Pattern;

/**
 * One entry of {@code rules}. A rule has at least one matcher ({@code thread}, {@code thread-class},
 * {@code method}, {@code process}) and exactly one of {@code device} / {@code node}.
 *
 * @param name        the rule's name (given, or {@code rule-N} by position)
 * @param thread      regex on the thread name (whole name), or null
 * @param threadClass glob on the Thread subclass, compiled to a regex on the binary name, or null
 * @param threadClassGlob the glob as written, for messages, or null
 * @param method      {@code class-glob#method} as written, or null (see issue 3)
 * @param bind        for method rules: caller | call | children (caller when not given); null for others
 * @param process     regex on the command line, or null
 * @param device      device expression, or null
 * @param node        node expression, or null
 * @param position    where the rule starts in the file
 */
public record Rule(String name, Pattern thread, Pattern threadClass, String threadClassGlob, String method,
                   BindMode bind, Pattern process, Expr device, Expr node, Position position) {
    public enum BindMode { CALLER, CALL, CHILDREN }

    /** The parsed {@link #method}, or null for a rule that is not a method rule. */
    public MethodPattern methodPattern() {
        return method == null ? null : MethodPattern.parse(method); // checked at load: cannot fail
    }

    /** True when the rule matches threads at start (by name and/or class). */
    public boolean isThreadRule() {
        return thread != null || threadClass != null;
    }
}
