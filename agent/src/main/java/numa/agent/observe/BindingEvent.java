package numa.agent.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event {@code numa.agent.Binding}: one per binding the agent makes, resets or fails to
 * make. Its own thread (the event thread) is the thread that started the bound one (or the attach
 * listener); the bound thread is named in {@link #thread}. No stack trace: the starting stack
 * says nothing the rule does not.
 */
@Name("numa.agent.Binding")
@Label("NUMA Binding")
@Category({"numa-agent"})
@Description("A thread or process bound to a NUMA node by numa-agent, reset to the original binding, or left as it was")
@StackTrace(false)
final class BindingEvent extends Event {
    @Label("Thread")
    @Description("Java name of the thread bound")
    String thread;

    @Label("Java Thread Id")
    long javaThreadId;

    @Label("Kernel Thread Id")
    @Description("-1 where not known at the time (threads bound as they start)")
    int tid;

    @Label("Rule")
    String rule;

    @Label("Trigger")
    @Description("thread-start, attach or process")
    String trigger;

    @Label("Device")
    @Description("-1 when the rule names a node")
    int device;

    @Label("Node")
    @Description("-1 for a reset to the original binding")
    int node;

    @Label("CPUs")
    String cpus;

    @Label("Memory Policy")
    String memory;

    @Label("Outcome")
    @Description("bound, cpus-only, reset, dry-run or failed")
    String outcome;

    @Label("Detail")
    String detail;

    @Label("Cost")
    @Description("Time the agent spent binding, in the starting thread")
    @Timespan(Timespan.NANOSECONDS)
    long cost;

    static void emit(BindingRecord r) {
        BindingEvent e = new BindingEvent();
        if (!e.shouldCommit()) {
            return;
        }
        e.thread = r.thread();
        e.javaThreadId = r.javaThreadId();
        e.tid = r.tid();
        e.rule = r.rule();
        e.trigger = r.trigger();
        e.device = r.device();
        e.node = r.node();
        e.cpus = r.cpus();
        e.memory = r.memory();
        e.outcome = r.outcome().label();
        e.detail = r.detail();
        e.cost = r.costNanos();
        e.commit();
    }
}
