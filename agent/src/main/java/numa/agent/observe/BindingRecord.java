package numa.agent.observe;

import java.util.Locale;

/**
 * One binding decision the agent carried out (or could not): what the MBean lists, what the JFR
 * event carries, and what {@code status} and {@code attach} print.
 *
 * @param timeMillis   when, in {@link System#currentTimeMillis()}
 * @param trigger      what caused it: {@code thread-start}, {@code attach} (a thread already running
 *                     when the agent was attached), {@code process} (the process section), or a
 *                     later kind
 * @param thread       the Java name of the thread bound
 * @param javaThreadId its {@code Thread.getId()}
 * @param tid          its kernel thread id where known (attach, process), else -1
 * @param rule         the rule's name ({@code process} for the process section)
 * @param device       the device it serves, or -1 when the rule names a node
 * @param node         the node bound to, or -1 (a reset to the process's original binding)
 * @param cpus         the CPU list applied, e.g. {@code 8-15}, or empty when none was
 * @param memory       the memory policy applied ({@code preferred}, {@code bind}, {@code default}), or
 *                     {@code not set} when it could not be
 * @param outcome      what happened
 * @param detail       why, for anything but a plain {@link Outcome#BOUND}; empty otherwise
 * @param costNanos    time the agent spent on it in the starting thread (kernel calls included)
 */
public record BindingRecord(long timeMillis, String trigger, String thread, long javaThreadId, int tid, String rule,
                            int device, int node, String cpus, String memory, Outcome outcome, String detail,
                            long costNanos) {
    public static final String TRIGGER_THREAD_START = "thread-start";
    public static final String TRIGGER_ATTACH = "attach";
    public static final String TRIGGER_PROCESS = "process";

    /** What became of one binding. */
    public enum Outcome {
        /** CPUs and memory policy as the rule asks. */
        BOUND,
        /** CPUs bound; the memory policy could not be set (refused, or a thread already running). */
        CPUS_ONLY,
        /** A thread no rule names, started by a bound one, given the original binding (children: reset). */
        RESET,
        /** dry-run: decided and logged, not applied. */
        DRY_RUN,
        /** Left as it was: no binding could be made (see {@code detail}). */
        FAILED;

        /** As printed and in JSON: {@code cpus-only}, {@code dry-run}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** True when the thread's CPUs were changed. */
        public boolean applied() {
            return this == BOUND || this == CPUS_ONLY || this == RESET;
        }
    }
}
