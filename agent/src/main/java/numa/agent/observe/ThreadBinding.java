package numa.agent.observe;

/**
 * One thread's binding as JMX clients see it ({@link BindingRecord} in open types).
 * A public bean for the MXBean mapping; the item names are a contract for scripts.
 */
public final class ThreadBinding {
    private final BindingRecord r;
    private final int tid;

    ThreadBinding(BindingRecord r, int tid) {
        this.r = r;
        this.tid = tid;
    }

    /** Kernel thread id, or -1 when it could not be found (the thread has ended). */
    public int getTid() {
        return tid;
    }

    public long getJavaThreadId() {
        return r.javaThreadId();
    }

    public String getThread() {
        return r.thread();
    }

    public String getRule() {
        return r.rule();
    }

    public int getDevice() {
        return r.device();
    }

    public int getNode() {
        return r.node();
    }

    public String getCpus() {
        return r.cpus();
    }

    public String getMemory() {
        return r.memory();
    }

    /** {@code bound}, {@code cpus-only}, {@code reset}, {@code dry-run} or {@code failed}. */
    public String getOutcome() {
        return r.outcome().label();
    }

    public String getDetail() {
        return r.detail();
    }

    public String getTrigger() {
        return r.trigger();
    }

    public long getCostNanos() {
        return r.costNanos();
    }

    public long getTime() {
        return r.timeMillis();
    }
}
