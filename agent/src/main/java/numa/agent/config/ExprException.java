package numa.agent.config;

/**
 * An expression could not give a number; the message says what and why, for a log line. The
 * cause key names the failure without what changes from one call to the next (an exception's
 * message may hold an id or a time), so that it is reported once, not once per message.
 */
public final class ExprException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String causeKey;
    private final boolean negativeNumber;

    public ExprException(String message) {
        this(message, null);
    }

    /** @param causeKey what failed, stable across calls (null: the message is stable) */
    public ExprException(String message, String causeKey) {
        this(message, causeKey, false);
    }

    private ExprException(String message, String causeKey, boolean negativeNumber) {
        super(message);
        this.causeKey = causeKey;
        this.negativeNumber = negativeNumber;
    }

    /**
     * The expression gave a number below 0. For a device that is no failure: DJL, PyTorch and xLLM
     * say -1 for the CPU, and a thread or call for the CPU has no device to be bound near.
     */
    static ExprException negativeNumber(String message, String causeKey) {
        return new ExprException(message, causeKey, true);
    }

    /** True when the expression gave a number below 0 (see {@link #negativeNumber(String, String)}). */
    public boolean isNegativeNumber() {
        return negativeNumber;
    }

    /**
     * What failed, for reporting it once: the cause key, or "" when the message was the whole story
     * (it may hold the value that failed, which must not make a key of its own).
     */
    public String causeKey() {
        return causeKey != null ? causeKey : "";
    }
}
