package numa.agent.config;

/**
 * A {@code device} or {@code node} expression (SPEC.md "Device and node expressions"), parsed and
 * validated when the config loads, evaluated each time a rule matches.
 */
public interface Expr {
    /** {@link #callRoot()} of an expression that reads nothing of an intercepted call. */
    int NO_CALL_VALUE = -2;
    /** {@link #callRoot()} of an expression that starts from {@code this}. */
    int CALL_THIS = -1;

    /** The expression as written, for log lines and errors. */
    String text();

    /**
     * Evaluates it. {@code round-robin} takes {@link EvalContext#nextRoundRobin()}, which counts over
     * the devices (or nodes).
     *
     * @throws ExprException when it cannot give a number (no such group, variable unset, not numeric)
     */
    int evaluate(EvalContext context) throws ExprException;

    /**
     * Which value of an intercepted call the expression reads: {@link #CALL_THIS}, an argument
     * index ({@code arg2} gives 2), or {@link #NO_CALL_VALUE}. The instrumentation passes exactly
     * that value to the agent, and nothing else of the call.
     */
    default int callRoot() {
        return NO_CALL_VALUE;
    }
}
