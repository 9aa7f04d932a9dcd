package numa.agent.config;

/**
 * An expression could not give a number; the message says what and why, for a log line. The
 * cause key names the failure without what changes from one call to the next (an exception's
 * message may hold an id or a time), so that it is reported once, not once per message.
 */
public final class ExprException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String causeKey;

    public ExprException(String message) {
        this(message, null);
    }

    /** @param causeKey what failed, stable across calls (null: the message is stable) */
    public ExprException(String message, String causeKey) {
        super(message);
        this.causeKey = causeKey;
    }

    /**
     * What failed, for reporting it once: the cause key, or "" when the message was the whole story
     * (it may hold the value that failed, which must not make a key of its own).
     */
    public String causeKey() {
        return causeKey != null ? causeKey : "";
    }
}
