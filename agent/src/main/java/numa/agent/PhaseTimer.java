package numa.agent;

/**
 * Where premain's time goes, for {@code log-level=debug}: premain time is every user's cost, so
 * each start can say which step took it.
 */
final class PhaseTimer {
    private final long start;
    private long last;
    private final StringBuilder phases = new StringBuilder();

    PhaseTimer(long startNanos) {
        this.start = startNanos;
        this.last = startNanos;
    }

    /** Ends the phase that ran since the previous mark. */
    void mark(String phase) {
        long now = System.nanoTime();
        phases.append(phases.length() == 0 ? "" : ", ").append(phase).append(' ').append(ms(now - last));
        last = now;
    }

    /** {@code 41.2 ms (settings 3.1, config 20.5, ...)} */
    String summary() {
        return ms(System.nanoTime() - start) + " ms (" + phases + ")";
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
