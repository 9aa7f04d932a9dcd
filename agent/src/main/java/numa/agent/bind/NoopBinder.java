package numa.agent.bind;

import numa.agent.topology.CpuSet;

/**
 * Where the kernel cannot be asked (not Linux, no native access): binds nothing, and says why.
 */
public final class NoopBinder implements Binder {
    private final String reason;

    public NoopBinder(String reason) {
        this.reason = reason;
    }

    /** One line for the log: why nothing is bound. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean isReal() {
        return false;
    }

    @Override
    public int currentTid() {
        return 0;
    }

    @Override
    public CpuSet getAffinity(int tid) throws BindException {
        throw new BindException("sched_getaffinity", Errno.ENOSYS, reason);
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) throws BindException {
        throw new BindException("sched_setaffinity", Errno.ENOSYS, reason);
    }

    @Override
    public MemPolicy getMemPolicy() throws BindException {
        throw new BindException("get_mempolicy", Errno.ENOSYS, reason);
    }

    @Override
    public void setMemPolicy(MemPolicy policy) throws BindException {
        throw new BindException("set_mempolicy", Errno.ENOSYS, reason);
    }
}
