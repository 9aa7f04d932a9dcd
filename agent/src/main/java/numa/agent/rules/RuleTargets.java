package numa.agent.rules;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

import org.slf4j.Logger;

import numa.agent.bind.Binding;
import numa.agent.bind.BindingPlanner;
import numa.agent.config.EvalContext;
import numa.agent.config.Expr;
import numa.agent.config.ExprException;
import numa.agent.config.ProcessSection;
import numa.agent.config.Rule;
import numa.agent.log.AgentLog;
import numa.agent.observe.Observations;

/**
 * Evaluates a matched rule's {@code device} or {@code node} expression and looks up the binding.
 * A rule that cannot give a binding (an expression that fails, a device that does not exist or has
 * no node, an empty CPU set) is reported once per rule and cause; the thread stays as it is.
 *
 * <p>A device expression that gives a negative number means no device (DJL, PyTorch and xLLM say
 * -1 for the CPU): the thread or call is left alone without a warning, at debug, and counted as
 * "no device" for the rule.
 */
public final class RuleTargets {
    private static final Logger LOG = AgentLog.logger("rules");
    /** Set when the last null {@link #resolve} gave on this thread was "no device"; only on that path. */
    private static final ThreadLocal<Boolean> NO_DEVICE = new ThreadLocal<>();

    private final BindingPlanner planner;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    public RuleTargets(BindingPlanner planner) {
        this.planner = planner;
    }

    public BindingPlanner planner() {
        return planner;
    }

    /**
     * After a resolve on this thread gave null: true when that was a negative device number (no
     * device: nothing failed, nothing to record as a failure). Forgets it.
     */
    public static boolean lastWasNoDevice() {
        Boolean noDevice = NO_DEVICE.get();
        if (noDevice == null) {
            return false;
        }
        NO_DEVICE.remove();
        return noDevice;
    }

    /** The binding of the {@code process} section, or null (reported) when there is none. */
    public Binding resolveProcess(ProcessSection section) {
        return resolve("process", section.device(), section.node(), null, "the process");
    }

    /** The binding for a rule that matched, or null (reported) when there is none. */
    public Binding resolve(Rule rule, Matcher match, String subject) {
        return resolve(rule.name(), rule.device(), rule.node(), match, subject);
    }

    /**
     * The binding for a method rule at a call, or null (reported once per rule and cause) when
     * there is none.
     *
     * @param value    the one value of the call the expression reads ({@link Expr#callRoot()}):
     *                 {@code this} or that argument, or null
     * @param argCount how many parameters the method has
     * @param subject  what is bound, for messages ("the call of com.acme.Server.create(Device) ...")
     */
    public Binding resolveCall(Rule rule, Object value, int argCount, String subject) {
        Expr expr = rule.device() != null ? rule.device() : rule.node();
        return resolve(rule.name(), rule.device(), rule.node(), null, subject, new Call(expr.callRoot(), value, argCount));
    }

    private Binding resolve(String ruleName, Expr device, Expr node, Matcher match, String subject) {
        return resolve(ruleName, device, node, match, subject, null);
    }

    /** What an expression may read of an intercepted call: the value it starts from. */
    private record Call(int root, Object value, int argCount) {
    }

    private Binding resolve(String ruleName, Expr device, Expr node, Matcher match, String subject, Call call) {
        boolean byDevice = device != null;
        Expr expr = byDevice ? device : node;
        int cycle = byDevice ? planner.devices().size() : planner.nodesWithCpus().size();
        int value;
        try {
            value = expr.evaluate(new Context(match, ruleName, cycle, call));
        } catch (ExprException | RuntimeException e) {
            if (byDevice && e instanceof ExprException x && x.isNegativeNumber()) {
                LOG.debug("rule {}: {} of {}: no device, so it is left alone", ruleName, e.getMessage(), subject);
                Observations.noDevice(ruleName);
                NO_DEVICE.set(Boolean.TRUE);
                return null;
            }
            NO_DEVICE.remove();
            // keyed by rule, expression and what failed, not by the message: the message holds the
            // value (a thread name's group, a call's argument), and one key per value would keep a map
            // entry and log a line for every thread or call of a rule that never evaluates
            AgentLog.warnOnce(LOG, "expr:" + ruleName + ":" + expr.text() + ":"
                            + (e instanceof ExprException x ? x.causeKey() : e.getClass().getName()),
                    "rule {}: {} '{}' of {} cannot be evaluated: {}; it stays unbound", ruleName,
                    byDevice ? "device" : "node", expr.text(), subject, e.getMessage());
            return null;
        } catch (Throwable e) {
            NO_DEVICE.remove();
            // a SecurityException reading env: or a property, an application's getter failing in a
            // way reflection does not wrap, or the agent out of memory: the thread stays as it is
            AgentLog.warnOnce(LOG, "expr:" + ruleName + ":" + e.getClass().getName(),
                    "rule {}: {} '{}' of {} cannot be evaluated: {}; it stays unbound", ruleName,
                    byDevice ? "device" : "node", expr.text(), subject, AgentLog.describe(e));
            return null;
        }
        if (!byDevice && "round-robin".equals(expr.text())) {
            List<Integer> nodes = planner.nodesWithCpus();
            value = nodes.isEmpty() ? -1 : nodes.get(value % nodes.size());
        }
        BindingPlanner.Plan plan = byDevice ? planner.forDevice(value) : planner.forNode(value);
        if (plan.problem() != null) {
            NO_DEVICE.remove();
            if (plan.reportedAtStart()) {
                LOG.debug("rule {}: {} is not bound: {}", ruleName, subject, plan.problem());
            } else {
                AgentLog.warnOnce(LOG, "plan:" + ruleName + ":" + expr.text(), // not the problem: it names the value
                        "rule {}: {} is not bound: {}", ruleName, subject, plan.problem());
            }
            return null;
        }
        return plan.binding();
    }

    private final class Context implements EvalContext {
        private final Matcher match;
        private final String rule;
        private final int cycle;
        private final Call call;

        Context(Matcher match, String rule, int cycle, Call call) {
            this.match = match;
            this.rule = rule;
            this.cycle = cycle;
            this.call = call;
        }

        @Override
        public Object self() {
            return call != null && call.root() == Expr.CALL_THIS ? call.value() : null;
        }

        @Override
        public Object arg(int index) {
            if (call == null || index != call.root()) {
                throw new IllegalStateException("argument " + index + " was not passed to the agent");
            }
            return call.value();
        }

        @Override
        public int argCount() {
            return call == null ? 0 : call.argCount();
        }

        @Override
        public Matcher match() {
            return match;
        }

        @Override
        public String env(String name) {
            return System.getenv(name);
        }

        @Override
        public String property(String name) {
            return System.getProperty(name);
        }

        @Override
        public int nextRoundRobin() {
            int n = roundRobin.computeIfAbsent(rule, k -> new AtomicInteger()).getAndIncrement();
            return cycle <= 0 ? 0 : Math.floorMod(n, cycle);
        }
    }
}
