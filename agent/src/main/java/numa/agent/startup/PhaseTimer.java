package numa.agent.startup;

/**
 * Where premain's time goes, for {@code log-level=debug}: premain time is every user's cost, so
 * each start can say which step took it. Marks only record; formatting happens in
 * {@link #summary()} and without {@code String.format}, whose Formatter and locale data cost
 * ~20 ms cold: that would be paid by every start, debug or not.
 */
final class PhaseTimer {
    private static final int MAX_PHASES = 16;
    private final long start;
    private long last;
    private final String[] names = new String[MAX_PHASES];
    private final long[] nanos = new long[MAX_PHASES];
    private int phases;

    PhaseTimer(long startNanos) {
        this.start = startNanos;
        this.last = startNanos;
    }

    /** When the timed start-up began ({@link System#nanoTime()}). */
    long startNanos() {
        return start;
    }

    /** Ends the phase that ran since the previous mark. */
    void mark(String phase) {
        long now = System.nanoTime();
        if (phases < MAX_PHASES) {
            names[phases] = phase;
            nanos[phases++] = now - last;
        }
        last = now;
    }

    /** {@code 41.2 ms (settings 3.1, config 20.5, ...)} */
    String summary() {
        StringBuilder b = new StringBuilder(ms(System.nanoTime() - start)).append(" ms (");
        for (int i = 0; i < phases; i++) {
            b.append(i == 0 ? "" : ", ").append(names[i]).append(' ').append(ms(nanos[i]));
        }
        return b.append(')').toString();
    }

    /** Milliseconds with one decimal. */
    static String ms(long nanos) {
        long tenths = Math.round(nanos / 1e5);
        return (tenths / 10) + "." + (tenths % 10);
    }
}
