package numa.agent.bind;

/** The few errno values the binder reports, named as in errno(3). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ESRCH = 3;
    public static final int EFAULT = 14;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;

    private Errno() {
    }

    public static String describe(int errno) {
        switch (errno) {
            case EPERM: return "EPERM (not permitted: a container without CAP_SYS_NICE, or a seccomp filter)";
            case ESRCH: return "ESRCH (no such thread)";
            case EFAULT: return "EFAULT (bad address)";
            case EINVAL: return "EINVAL (CPUs or nodes outside what this process may use, or a node without memory)";
            case ENOSYS: return "ENOSYS (the kernel has no NUMA support)";
            default: return "errno " + errno;
        }
    }
}
