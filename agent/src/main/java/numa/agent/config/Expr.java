package numa.agent.config;

/**
 * A {@code device} or {@code node} expression (SPEC.md "Device and node expressions"), parsed and
 * validated when the config loads, evaluated each time a rule matches.
 */
public interface Expr {
    /** The expression as written, for log lines and errors. */
    String text();

    /**
     * Evaluates it. {@code round-robin} takes {@link EvalContext#nextRoundRobin()}, which counts over
     * the devices (or nodes).
     *
     * @throws ExprException when it cannot give a number (no such group, variable unset, not numeric)
     */
    int evaluate(EvalContext context) throws ExprException;
}
