package numa.agent.bind;

/** The kernel refused a binding call; {@link #errno()} says why (EPERM, EINVAL, ...). */
public final class BindException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public BindException(String call, int errno, String detail) {
        super(call + " failed: " + Errno.describe(errno) + (detail == null ? "" : " (" + detail + ")"));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
