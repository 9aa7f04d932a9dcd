package numa.agent.config;

/** An expression could not give a number; the message says what and why, for a log line. */
public final class ExprException extends Exception {
    private static final long serialVersionUID = 1L;

    public ExprException(String message) {
        super(message);
    }
}
