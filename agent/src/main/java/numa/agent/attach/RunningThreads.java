package numa.agent.attach;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

import org.slf4j.Logger;

import numa.agent.bind.BindException;
import numa.agent.bind.Binder;
import numa.agent.bind.Binding;
import numa.agent.bind.Errno;
import numa.agent.bind.MemPolicy;
import numa.agent.log.AgentLog;
import numa.agent.observe.BindingLog;
import numa.agent.observe.BindingRecord;
import numa.agent.observe.Observations;
import numa.agent.proc.ThreadDump;
import numa.agent.rules.RuleTargets;
import numa.agent.rules.ThreadRules;

/**
 * Binds the threads that already run when the agent is attached to a running JVM and that a thread
 * rule names, as if they had started under the agent: by their kernel thread id, found in the
 * JVM's own thread dump ({@code nid}, matched by Java thread id, not by name, since names repeat).
 *
 * <p>Linux lets any thread of a process set another's CPU affinity ({@code sched_setaffinity(tid)}),
 * but a memory policy only for itself ({@code set_mempolicy} has no thread argument): such a thread
 * gets its CPUs, and the result says that its policy is left as it is. Under the default (local)
 * policy its new pages come from the node it now runs on anyway; pages it already has stay where
 * they are.
 */
public final class RunningThreads {
    private static final Logger LOG = AgentLog.logger("attach");

    /** How many running threads a rule named, and what became of them. */
    public record Result(int matched, int bound, int failed) {
    }

    private final ThreadRules rules;
    private final RuleTargets targets;
    private final Binder binder;
    private final boolean dryRun;
    private final BiConsumer<Thread, String> boundNotice;

    /**
     * @param boundNotice told of each thread bound, so that threads it starts later are reset as
     *                    children of a bound thread
     */
    public RunningThreads(ThreadRules rules, RuleTargets targets, Binder binder, boolean dryRun,
                          BiConsumer<Thread, String> boundNotice) {
        this.rules = rules;
        this.targets = targets;
        this.binder = binder;
        this.dryRun = dryRun;
        this.boundNotice = boundNotice;
    }

    /**
     * Binds every live platform thread a rule names; {@code dump} gives their kernel ids. A kernel id
     * is used only when the dump was read unambiguously (see {@link ThreadDump}), names the thread
     * with its exact Java name and id, and is a thread of this process ({@code /proc/self/task}):
     * a thread name can never send the binding to another thread or process.
     */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public Result bindAll(ThreadDump dump) {
        BindingLog.newAttach();
        dump = dump.onlyTasks(RunningThreads::isOwnTask);
        int matched = 0;
        int bound = 0;
        int failed = 0;
        for (Thread thread : liveThreads()) {
            if (thread.getName().startsWith("numa-agent")) { // the agent's own threads
                continue;
            }
            ThreadRules.Match match = rules.match(thread);
            if (match == null) {
                continue;
            }
            matched++;
            String rule = match.rule().name();
            String subject = "running thread '" + thread.getName() + "'";
            Binding target = targets.resolve(match.rule(), match.nameMatch(), subject);
            if (target == null) {
                if (RuleTargets.lastWasNoDevice()) {
                    continue; // its device expression says no device: left alone, counted by the rule
                }
                failed++;
                Observations.threadFailed(thread, BindingRecord.TRIGGER_ATTACH, -1, rule, null,
                        "no binding for it here (see problems)");
                continue;
            }
            ThreadDump.Entry entry = dump.byJavaId(thread.getId());
            if (entry == null || !entry.name().equals(thread.getName())) {
                if (thread.isAlive()) {
                    failed++;
                    Observations.threadFailed(thread, BindingRecord.TRIGGER_ATTACH, -1, rule, target,
                            dump.problem() != null ? "its kernel thread id is not known: the thread dump " + dump.problem()
                                    : "its kernel thread id is not in the thread dump under its name");
                }
                continue;
            }
            if (bindOne(thread, entry.nativeId(), rule, target)) {
                bound++;
            } else if (thread.isAlive()) {
                failed++;
            }
        }
        return new Result(matched, bound, failed);
    }

    private boolean bindOne(Thread thread, int tid, String rule, Binding target) {
        String what = target.device() >= 0 ? "device " + target.device() : "node " + target.node();
        if (dryRun) {
            LOG.info("running thread '{}' (tid {}, rule {}, {}) would be bound (dry-run) to {}", thread.getName(), tid,
                    rule, what, target.describe());
            Observations.runningThreadBound(thread, tid, rule, target, true, 0);
            return true;
        }
        long t0 = System.nanoTime();
        try {
            binder.setAffinity(tid, target.cpus());
        } catch (BindException e) {
            if (e.errno() == Errno.ESRCH) {
                return false; // it ended meanwhile
            }
            AgentLog.warnOnce(LOG, "attach-bind:" + e.errno(), "running thread '{}' (tid {}) not bound: {}",
                    thread.getName(), tid, e.getMessage());
            Observations.threadFailed(thread, BindingRecord.TRIGGER_ATTACH, tid, rule, target, e.getMessage());
            return false;
        }
        long cost = System.nanoTime() - t0;
        boundNotice.accept(thread, rule);
        boolean memoryWanted = target.memory().mode() != MemPolicy.Mode.DEFAULT;
        LOG.info("running thread '{}' (tid {}, rule {}, {}) bound to {}cpus={} memory={}", thread.getName(), tid, rule, what,
                target.node() >= 0 ? "node " + target.node() + " " : "", target.cpus(),
                memoryWanted ? "not set (a running thread's policy can only be set by itself)" : target.memory().describe());
        Observations.runningThreadBound(thread, tid, rule, target, false, cost);
        return true;
    }

    private static boolean isOwnTask(int tid) {
        return tid > 0 && Files.isDirectory(Path.of("/proc/self/task", Integer.toString(tid)));
    }

    /** Every live platform thread (virtual threads are never bound, and are not in thread groups). */
    static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return new ArrayList<>(Arrays.asList(threads).subList(0, n));
    }
}
