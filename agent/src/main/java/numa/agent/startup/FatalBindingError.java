package numa.agent.startup;

/** An impossible binding under {@code on-error: fail}: {@link FailurePolicy#stop} stops the JVM. */
final class FatalBindingError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FatalBindingError(String message) {
        super(message);
    }
}
