package numa.agent.observe;

/** One row of {@link BindingsMXBean#getRuleCounts()}; a public bean for the MXBean mapping. */
public final class RuleCount {
    private final String rule;
    private final long bound;
    private final long failed;
    private final long reset;
    private final long noDevice;

    public RuleCount(String rule, long bound, long failed, long reset) {
        this(rule, bound, failed, reset, 0);
    }

    /** @param noDevice threads and calls left alone: the device expression gave a negative number */
    public RuleCount(String rule, long bound, long failed, long reset, long noDevice) {
        this.rule = rule;
        this.bound = bound;
        this.failed = failed;
        this.reset = reset;
        this.noDevice = noDevice;
    }

    public String getRule() {
        return rule;
    }

    public long getBound() {
        return bound;
    }

    public long getFailed() {
        return failed;
    }

    public long getReset() {
        return reset;
    }

    public long getNoDevice() {
        return noDevice;
    }
}
