package numa.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import numa.agent.bind.Binding;
import numa.agent.bind.BindingPlanner;
import numa.agent.bind.MemPolicy;
import numa.agent.config.Expr;
import numa.agent.device.Device;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * The bindings a rule's (or the process section's) {@code device} or {@code node} expression can
 * lead to on this machine. A number leads to one; any other expression is only known when a thread
 * matches ({@code $1} from its name, {@code env:GPU} from the application's environment,
 * {@code round-robin} in turn), so every device or node it could name is listed.
 */
final class TargetPlans {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    /**
     * One possible target.
     *
     * @param target   {@code device 0} or {@code node 1}
     * @param byDevice true when {@code target} is a device, false for a node
     * @param plan     the binding, or why there is none here
     * @param warning  something that will not work as asked although a binding is made, or null
     */
    record Entry(String target, boolean byDevice, BindingPlanner.Plan plan, String warning) {
    }

    /**
     * The plans and a note on what the expression depends on (null for a plain number).
     *
     * @param note    e.g. {@code a group of the regex: every device is listed}
     * @param entries one per device or node it can name, in order
     * @param fixed   true when the expression names the same target every time (a number, or
     *                round-robin evaluated once): then its one entry is what will be bound
     */
    record Result(String note, List<Entry> entries, boolean fixed) {
    }

    private TargetPlans() {
    }

    /**
     * @param expr          the expression as loaded
     * @param byDevice      true for {@code device:}, false for {@code node:}
     * @param firstTurnOnly true where {@code round-robin} is evaluated once (the process section):
     *                      it then names the first device or node only
     */
    static Result of(BindingPlanner planner, Expr expr, boolean byDevice, boolean firstTurnOnly) {
        String text = expr.text();
        List<Integer> candidates;
        String note;
        boolean fixed = false;
        if (INTEGER.matcher(text).matches()) {
            candidates = List.of(Integer.parseInt(text));
            note = null;
            fixed = true;
        } else if (text.equals("round-robin")) {
            candidates = byDevice ? planner.devices().stream().map(Device::index).toList() : planner.nodesWithCpus();
            if (firstTurnOnly) {
                candidates = candidates.isEmpty() ? candidates : candidates.subList(0, 1);
                fixed = true;
                note = "round-robin, evaluated once: the first " + (byDevice ? "device" : "node with CPUs");
            } else {
                note = "round-robin: each match takes the next " + (byDevice ? "device" : "node with CPUs")
                        + " in turn";
            }
        } else {
            candidates = byDevice ? planner.devices().stream().map(Device::index).toList()
                    : planner.topology().nodes().stream().map(NumaNode::id).toList();
            note = dependsOn(text) + ": every " + (byDevice ? "device" : "node") + " is listed";
        }
        List<Entry> entries = new ArrayList<>();
        for (int value : candidates) {
            BindingPlanner.Plan plan = byDevice ? planner.forDevice(value) : planner.forNode(value);
            entries.add(new Entry((byDevice ? "device " : "node ") + value, byDevice, plan,
                    plan.binding() == null ? null : memoryWarning(plan.binding(), planner.topology())));
        }
        if (candidates.isEmpty()) {
            note = (note == null ? "" : note + "; ") + (byDevice ? "no devices were found" : "no node has CPUs")
                    + ", so nothing is bound";
        }
        return new Result(note, entries, fixed);
    }

    private static String dependsOn(String text) {
        if (text.startsWith("$")) {
            return "a group of the rule's regex, known when a name or command line matches";
        }
        if (text.startsWith("env:")) {
            return "the application's environment variable " + text.substring(4) + ", read when a rule matches";
        }
        if (text.startsWith("prop:")) {
            return "the application's system property " + text.substring(5) + ", read when a rule matches";
        }
        return "a value of the intercepted call, known when it is made";
    }

    /** A memory policy the kernel will refuse: the CPU binding still holds, the memory is not placed. */
    private static String memoryWarning(Binding binding, Topology topology) {
        if (binding.memory().mode() == MemPolicy.Mode.DEFAULT || binding.node() < 0) {
            return null;
        }
        NumaNode node = topology.node(binding.node()).orElse(null);
        if (node != null && !node.hasMemory()) {
            return "node " + node.id() + " has no memory: the kernel refuses memory=" + binding.memory().describe()
                    + " there, so only the CPU binding applies; set binding.memory: none to say so";
        }
        return null;
    }
}
