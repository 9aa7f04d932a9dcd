package numa.agent.config;

/** An expression could not give a number; the message says what and why, for a log line. */
public final class ExprException extends Exception {
    public ExprException(String message) {
        super(message);
    }
}
