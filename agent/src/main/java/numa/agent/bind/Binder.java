package numa.agent.bind;

import numa.agent.topology.CpuSet;

/**
 * The operating system's binding calls, and nothing else: everything above this interface is
 * testable against a fake topology on the real kernel. All calls act on the calling thread
 * unless a thread id is given ({@code tid} 0 also means the calling thread).
 */
public interface Binder {
    /** True when calls reach the kernel; false for {@link NoopBinder}. */
    boolean isReal();

    /** Kernel thread id of the calling thread ({@code gettid(2)}). */
    int currentTid();

    CpuSet getAffinity(int tid) throws BindException;

    void setAffinity(int tid, CpuSet cpus) throws BindException;

    /** The calling thread's memory policy. */
    MemPolicy getMemPolicy() throws BindException;

    /** Sets the calling thread's memory policy. */
    void setMemPolicy(MemPolicy policy) throws BindException;
}
