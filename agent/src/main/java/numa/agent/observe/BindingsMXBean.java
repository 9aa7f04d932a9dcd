package numa.agent.observe;

import java.util.List;

/**
 * {@code numa.agent:type=Bindings}: what numa-agent has bound in this JVM. An MXBean, so any JMX
 * client (jconsole, VisualVM, jmx_exporter, {@code numa-agent status}) reads it with open types
 * only, without the agent's classes.
 */
public interface BindingsMXBean {
    /** The agent's version ({@code Implementation-Version} of its jar). */
    String getVersion();

    /** {@code premain} (-javaagent) or {@code attach}. */
    String getMode();

    /** When the agent started, in milliseconds since the epoch. */
    long getStartTime();

    /** The config file, or empty. */
    String getConfig();

    boolean isDryRun();

    /** {@code binding}, or one line on why nothing is bound. */
    String getState();

    /** The NUMA nodes the agent binds against, one line each. */
    List<String> getTopology();

    /** The devices it found, one line each. */
    List<String> getDevices();

    /** The rules, one line each: name, matcher, target, place in the config file. */
    List<String> getRules();

    /**
     * Per rule: how many threads it bound, failed to bind, reset (children of bound threads), and
     * left alone because its device expression gave a negative number (no device: the CPU).
     */
    List<RuleCount> getRuleCounts();

    /** Live threads the agent bound, with their kernel thread ids (looked up when read). */
    List<ThreadBinding> getBoundThreads();

    /** What the last attach did to each matching thread that was already running. */
    List<ThreadBinding> getAttachResults();

    /** The last 100 bindings that failed. */
    List<ThreadBinding> getFailures();

    /** The agent's warnings and errors so far (the last 100), as it logged them. */
    List<String> getProblems();

    long getBoundCount();

    /**
     * Threads the agent holds a binding record for: the live threads it bound or reset, plus ended
     * ones not yet dropped (collected by the GC, or swept when the records have doubled). Follows
     * the live bound threads; a number that only grows would be a leak.
     */
    long getThreadRecords();

    /** Entries of the map {@code children: reset} consults (threads a rule bound), counted the same way. */
    long getBoundThreadEntries();

    long getFailedCount();
}
