package numa.agent.observe;

import numa.agent.bind.Binding;
import numa.agent.bind.MemPolicy;

/**
 * The calls binding code makes to report what it did, in the vocabulary of the code that binds:
 * each turns into one {@link BindingRecord} in the {@link BindingLog} (and, when JFR is on, one
 * event). Called after the kernel calls, never between binding and restoring a starter.
 */
public final class Observations {
    private Observations() {
    }

    /**
     * Loads what recording a binding needs (and asks JFR whether it runs), from a background
     * thread, so that the application's first bound thread does not pay for it.
     */
    public static void warmUp() {
        BindingLog.counts();
        JfrBindings.emit(null);
    }

    /**
     * A thread was bound (or reset, or would have been in dry-run) as it started.
     *
     * @param memoryApplied false when the kernel refused the memory policy (CPUs only)
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static void threadStarted(Thread thread, String rule, Binding target, boolean reset, boolean dryRun,
                                     boolean memoryApplied, long costNanos) {
        BindingRecord.Outcome outcome = dryRun ? BindingRecord.Outcome.DRY_RUN
                : reset ? BindingRecord.Outcome.RESET
                : memoryApplied || target.memory().mode() == MemPolicy.Mode.DEFAULT ? BindingRecord.Outcome.BOUND
                : BindingRecord.Outcome.CPUS_ONLY;
        String detail = switch (outcome) {
            case CPUS_ONLY -> "the kernel refused memory policy " + target.memory().describe() + " (see problems)";
            case RESET -> "matches no rule; started by a thread of rule " + rule + " (children: reset)";
            case DRY_RUN -> "dry-run: not applied";
            default -> "";
        };
        BindingLog.record(thread, new BindingRecord(System.currentTimeMillis(), BindingRecord.TRIGGER_THREAD_START,
                thread.getName(), thread.getId(), -1, rule, target.device(), target.node(), target.cpus().toString(),
                memoryLabel(target, outcome), outcome, detail, costNanos));
    }

    /** A rule's device expression gave a negative number (no device): the thread or call was left alone. */
    public static void noDevice(String rule) {
        BindingLog.noDevice(rule);
    }

    /**
     * A thread a rule names could not be bound and was left as it was.
     *
     * @param target the binding that was attempted, or null when none could be decided
     */
    @SuppressWarnings("deprecation")
    public static void threadFailed(Thread thread, String trigger, int tid, String rule, Binding target, String why) {
        BindingLog.record(thread, new BindingRecord(System.currentTimeMillis(), trigger, thread.getName(),
                thread.getId(), tid, rule, target == null ? -1 : target.device(), target == null ? -1 : target.node(),
                "", "not set", BindingRecord.Outcome.FAILED, why, 0));
    }

    /** A thread already running when the agent was attached, bound by its kernel id (CPUs only). */
    @SuppressWarnings("deprecation")
    public static void runningThreadBound(Thread thread, int tid, String rule, Binding target, boolean dryRun, long costNanos) {
        boolean memoryWanted = target.memory().mode() != MemPolicy.Mode.DEFAULT;
        BindingRecord.Outcome outcome = dryRun ? BindingRecord.Outcome.DRY_RUN
                : memoryWanted ? BindingRecord.Outcome.CPUS_ONLY : BindingRecord.Outcome.BOUND;
        String detail = dryRun ? "dry-run: not applied"
                : memoryWanted ? "memory policy not set: Linux lets only a thread set its own, and this one was already"
                + " running; under the default (local) policy its new pages come from the node it now runs on" : "";
        BindingLog.record(thread, new BindingRecord(System.currentTimeMillis(), BindingRecord.TRIGGER_ATTACH,
                thread.getName(), thread.getId(), tid, rule, target.device(), target.node(), target.cpus().toString(),
                outcome == BindingRecord.Outcome.CPUS_ONLY ? "not set" : target.memory().describe(), outcome, detail, costNanos));
    }

    /** The process section bound every thread of the JVM. */
    public static void processBound(String rule, Binding target, int threads, int failed, boolean memoryApplied,
                                    long costNanos) {
        BindingRecord.Outcome outcome = failed > 0 && threads == failed ? BindingRecord.Outcome.FAILED
                : memoryApplied || target.memory().mode() == MemPolicy.Mode.DEFAULT ? BindingRecord.Outcome.BOUND
                : BindingRecord.Outcome.CPUS_ONLY;
        BindingLog.record(null, new BindingRecord(System.currentTimeMillis(), BindingRecord.TRIGGER_PROCESS,
                "(every thread: " + threads + ")", -1, -1, rule, target.device(), target.node(), target.cpus().toString(),
                memoryApplied ? target.memory().describe() : "not set", outcome,
                failed == 0 ? "" : failed + " threads refused", costNanos));
    }

    private static String memoryLabel(Binding target, BindingRecord.Outcome outcome) {
        return outcome == BindingRecord.Outcome.CPUS_ONLY ? "not set" : target.memory().describe();
    }
}
