package numa.agent.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads and checks the {@code rules} list. A rule matches one kind of event: a thread start
 * ({@code thread} and/or {@code thread-class}), a method call ({@code method}) or a process start
 * ({@code process}); it names exactly one of {@code device} / {@code node}; {@code bind} is for
 * method rules only.
 */
final class RulesReader {
    static final List<String> RULE_KEYS = List.of("name", "thread", "thread-class", "method", "process", "device",
            "node", "bind");

    private final NodeReader in;
    /** Rule name -> line of the rule that has it, to report a repeated name. */
    private final Map<String, Integer> names = new HashMap<>();

    RulesReader(NodeReader in) {
        this.in = in;
    }

    /** The valid rules in file order (none when the list is absent or empty). */
    List<Rule> read(Node rulesNode) {
        if (rulesNode == null || NodeReader.isNull(rulesNode)) {
            return List.of();
        }
        List<Node> items = in.items(rulesNode, "rules", "a list of rules (each a map starting with '- ')");
        if (items == null) {
            return List.of();
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            if (item == null) {
                continue; // unsupported tag, reported
            }
            MappingNode map = in.map(item, "rule " + (i + 1), "a map (keys: " + String.join(", ", RULE_KEYS) + ")");
            if (map != null) {
                Rule rule = rule(i + 1, map);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    /** One rule, or null when it has errors (reported). */
    private Rule rule(int number, MappingNode map) {
        int errorsBefore = in.problems().count();
        String name = givenName(map, "rule-" + number);
        String ruleName = "rule '" + name + "'";
        Map<String, NodeTuple> keys = in.entries(map, "in " + ruleName, RULE_KEYS);
        Position position = in.at(map);

        NodeTuple nameEntry = keys.get("name");
        if (nameEntry != null) {
            in.nonEmptyText(nameEntry.getValueNode(), "name in rule " + number, "a name for log lines");
        }
        Integer firstLine = names.putIfAbsent(name, position.line());
        if (firstLine != null) {
            in.error(nameEntry != null ? nameEntry.getValueNode() : map, "duplicate rule name '" + name
                    + "' (the rule at line " + firstLine + " has it too)");
        }

        // what the rule matches
        Pattern thread = regex(keys.get("thread"), "thread", ruleName);
        Pattern threadClass = glob(keys.get("thread-class"), ruleName);
        String method = method(keys.get("method"), ruleName);
        Pattern process = regex(keys.get("process"), "process", ruleName);
        checkOneKindOfEvent(map, keys, ruleName);
        boolean isMethodRule = keys.containsKey("method");
        // the regex whose groups device and node may name; unknown when it is broken (already reported)
        NodeTuple regexEntry = keys.containsKey("thread") ? keys.get("thread") : keys.get("process");
        Pattern regex = thread != null ? thread : process;
        boolean regexBroken = regexEntry != null && regex == null;

        // where to bind
        NodeTuple deviceEntry = keys.get("device");
        NodeTuple nodeEntry = keys.get("node");
        Expr device = null;
        Expr node = null;
        if (deviceEntry != null && nodeEntry != null) {
            in.error(in.later(deviceEntry.getKeyNode(), nodeEntry.getKeyNode()),
                    ruleName + " has both device and node; give one of them");
        } else if (deviceEntry == null && nodeEntry == null) {
            in.error(map, ruleName + " needs device (bind to that device's node) or node");
        } else if (!regexBroken) {
            device = expr(deviceEntry, ruleName, regex, isMethodRule);
            node = expr(nodeEntry, ruleName, regex, isMethodRule);
            checkArity(deviceEntry != null ? deviceEntry : nodeEntry, device != null ? device : node, method, ruleName);
        }

        Rule.BindMode bind = bind(keys.get("bind"), ruleName, isMethodRule);
        if (in.problems().count() > errorsBefore) {
            return null;
        }
        return new Rule(name, thread, threadClass, threadClass == null ? null : scalar(keys.get("thread-class")),
                method, bind, process, device, node, position);
    }

    /** A rule matches thread starts, method calls or process starts: exactly one of them. */
    private void checkOneKindOfEvent(MappingNode map, Map<String, NodeTuple> keys, String ruleName) {
        List<NodeTuple> kinds = new ArrayList<>();
        for (String key : List.of("thread", "method", "process")) {
            NodeTuple matcher = key.equals("thread") && !keys.containsKey("thread") ? keys.get("thread-class") : keys.get(key);
            if (matcher != null) {
                kinds.add(matcher);
            }
        }
        if (kinds.isEmpty()) {
            in.error(map, ruleName + " matches nothing: give thread, thread-class, method or process");
        } else if (kinds.size() > 1) {
            kinds.sort(Comparator.comparing((NodeTuple t) -> in.at(t.getKeyNode()).line())
                    .thenComparing(t -> in.at(t.getKeyNode()).column()));
            in.error(kinds.get(1).getKeyNode(), ruleName + " has both " + key(kinds.get(0)) + " and " + key(kinds.get(1))
                    + "; a rule matches one kind of event: a thread start (thread, thread-class), a method call"
                    + " (method) or a process start (process)");
        }
    }

    /** The name the rule gives itself, read ahead so that every message about it can use it. */
    private static String givenName(MappingNode map, String otherwise) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")
                    && tuple.getValueNode() instanceof ScalarNode value && !NodeReader.isNull(value)
                    && !value.getValue().isBlank()) {
                return value.getValue();
            }
        }
        return otherwise;
    }

    private static String key(NodeTuple entry) {
        return ((ScalarNode) entry.getKeyNode()).getValue();
    }

    private static String scalar(NodeTuple entry) {
        return ((ScalarNode) entry.getValueNode()).getValue();
    }

    /** A regex on the whole thread name or command line. */
    private Pattern regex(NodeTuple entry, String key, String ruleName) {
        if (entry == null) {
            return null;
        }
        String label = key + " in " + ruleName;
        String what = key.equals("thread") ? "a regex on the whole thread name" : "a regex on the whole command line";
        String text = in.nonEmptyText(entry.getValueNode(), label, what);
        if (text == null) {
            return null;
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            in.error(entry.getValueNode(), label + ": invalid regex \"" + text + "\": " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            return null;
        }
        String mistake = EscapeMistakes.check((ScalarNode) entry.getValueNode(), label);
        if (mistake != null) {
            in.warn(entry.getValueNode(), mistake);
        }
        return compiled;
    }

    private Pattern glob(NodeTuple entry, String ruleName) {
        if (entry == null) {
            return null;
        }
        String label = "thread-class in " + ruleName;
        String text = in.nonEmptyText(entry.getValueNode(), label, "a glob on the Thread subclass (e.g. com.acme.*Worker)");
        if (text == null) {
            return null;
        }
        try {
            return Glob.compile(text);
        } catch (IllegalArgumentException e) {
            in.error(entry.getValueNode(), label + ": invalid glob: " + e.getMessage());
            return null;
        }
    }

    private String method(NodeTuple entry, String ruleName) {
        if (entry == null) {
            return null;
        }
        String label = "method in " + ruleName;
        String text = in.nonEmptyText(entry.getValueNode(), label,
                "<class glob>#<method name>[(<parameter types>)] (e.g. com.acme.WorkerServer#createServer)");
        if (text == null) {
            return null;
        }
        try {
            return MethodPattern.parse(text).text();
        } catch (IllegalArgumentException e) {
            in.error(entry.getValueNode(), label + ": " + e.getMessage());
            return null;
        }
    }

    private Expr expr(NodeTuple entry, String ruleName, Pattern regex, boolean isMethodRule) {
        if (entry == null) {
            return null;
        }
        String label = key(entry) + " in " + ruleName;
        Expr expr = in.expr(entry.getValueNode(), label, regex);
        if (expr instanceof PathExpr && !isMethodRule) {
            in.error(entry.getValueNode(), label + ": " + expr.text() + " reads the intercepted call's "
                    + (((PathExpr) expr).argument() == PathExpr.THIS ? "receiver" : "arguments")
                    + "; only method rules have one");
            return null;
        }
        return expr;
    }

    /** {@code arg2} of a method named with a parameter list of fewer parameters can never be read. */
    private void checkArity(NodeTuple entry, Expr expr, String method, String ruleName) {
        if (expr == null || method == null || expr.callRoot() < 0) {
            return;
        }
        MethodPattern pattern = MethodPattern.parse(method);
        int count = pattern.parameterCount();
        if (count >= 0 && expr.callRoot() >= count) {
            in.error(entry.getValueNode(), key(entry) + " in " + ruleName + ": " + expr.text() + " reads argument " + expr.callRoot()
                    + ", but " + method + " has " + (count == 0 ? "no parameters" : count == 1 ? "1 parameter (arg0)"
                    : count + " parameters (arg0 to arg" + (count - 1) + ")"));
        }
    }

    private Rule.BindMode bind(NodeTuple entry, String ruleName, boolean isMethodRule) {
        if (entry == null) {
            return isMethodRule ? Rule.BindMode.CALLER : null;
        }
        if (!isMethodRule) {
            in.error(entry.getKeyNode(), "bind in " + ruleName + " applies only to method rules (with method:)");
            return null;
        }
        return in.choice(entry.getValueNode(), "bind in " + ruleName, Rule.BindMode.class);
    }
}
