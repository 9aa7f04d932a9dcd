package numa.agent.cli;

/**
 * The command line was not written as the usage says (exit status 2). The message says what is
 * wrong for people, e.g. {@code missing CONFIG}; the dispatcher adds the verb and its usage line.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
