package numa.agent.testing;

import numa.agent.bind.BindException;
import numa.agent.bind.Binder;
import numa.agent.bind.Errno;
import numa.agent.bind.MemPolicy;
import numa.agent.topology.CpuSet;

/**
 * The real kernel binder with one fault injected: from the {@code from}-th call of one binding call
 * on, that call fails the way it was told to, before it reaches the kernel. Everything else goes
 * to the kernel, so what the hooks leave behind is checked in the kernel's own state.
 */
public final class FaultyBinder implements Binder {
    /** The binding calls a fault can be put into. */
    public enum Call { GET_AFFINITY, SET_AFFINITY, GET_MEMPOLICY, SET_MEMPOLICY }

    /** How a call fails. */
    public enum Fault {
        /** The kernel says EPERM: what a container without CAP_SYS_NICE or a seccomp filter does. */
        REFUSED,
        /** A bug: a RuntimeException out of the binder. */
        RUNTIME,
        /** The agent's own allocation fails. */
        OUT_OF_MEMORY,
        /** A security manager (JDK 17) says no. */
        SECURITY;

        /** The class a hook's report names for this fault. */
        public Class<? extends Throwable> type() {
            return switch (this) {
                case REFUSED -> BindException.class;
                case RUNTIME -> IllegalStateException.class;
                case OUT_OF_MEMORY -> OutOfMemoryError.class;
                case SECURITY -> SecurityException.class;
            };
        }
    }

    private final Binder real;
    private final Call call;
    private final Fault fault;
    private final int from;
    private int calls;

    public FaultyBinder(Binder real, Call call, Fault fault, int from) {
        this.real = real;
        this.call = call;
        this.fault = fault;
        this.from = from;
    }

    /** How many times the faulty call was made, failing or not. */
    public synchronized int calls() {
        return calls;
    }

    private synchronized void maybeFail(Call c, String name) throws BindException {
        if (c != call || ++calls < from) {
            return;
        }
        switch (fault) {
            case REFUSED -> throw new BindException(name, Errno.EPERM, "injected");
            case RUNTIME -> throw new IllegalStateException("injected into " + name);
            case OUT_OF_MEMORY -> throw new OutOfMemoryError("injected into " + name);
            case SECURITY -> throw new SecurityException("injected into " + name);
        }
    }

    @Override
    public boolean isReal() {
        return true;
    }

    @Override
    public int currentTid() {
        return real.currentTid();
    }

    @Override
    public CpuSet getAffinity(int tid) throws BindException {
        maybeFail(Call.GET_AFFINITY, "sched_getaffinity");
        return real.getAffinity(tid);
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) throws BindException {
        maybeFail(Call.SET_AFFINITY, "sched_setaffinity");
        real.setAffinity(tid, cpus);
    }

    @Override
    public MemPolicy getMemPolicy() throws BindException {
        maybeFail(Call.GET_MEMPOLICY, "get_mempolicy");
        return real.getMemPolicy();
    }

    @Override
    public void setMemPolicy(MemPolicy policy) throws BindException {
        maybeFail(Call.SET_MEMPOLICY, "set_mempolicy");
        real.setMemPolicy(policy);
    }
}
