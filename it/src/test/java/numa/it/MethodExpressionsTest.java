package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * {@code node} expressions over the intercepted call, end to end: each {@code Probes.viaX} method
 * of the engine is named by a rule ({@code bind: call}) whose expression reads one kind of value and
 * gives node 1; its thread's CPUs inside the call show whether it was bound. The failing ones leave
 * the thread unbound and are reported once per rule, naming the class and member; each probe is
 * called twice.
 */
class MethodExpressionsTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    /** probe -> its rule's node expression; every one of these gives node 1. */
    private static final Map<String, String> WORKING = new LinkedHashMap<>();
    /** probe -> expression that fails, and what the warning must say after "cannot be evaluated: ". */
    private static final Map<String, String[]> FAILING = new LinkedHashMap<>();

    static {
        WORKING.put("int", "arg0");
        WORKING.put("long", "arg0");
        WORKING.put("short", "arg0");
        WORKING.put("byte", "arg0");
        WORKING.put("boxed", "arg0");
        WORKING.put("biginteger", "arg0");
        WORKING.put("atomic", "arg0");
        WORKING.put("whole-double", "arg0");
        WORKING.put("string", "arg0");
        WORKING.put("getter", "arg0.slot");
        WORKING.put("device", "arg0.index");
        WORKING.put("private-field", "arg0.node");
        WORKING.put("second-argument", "arg1");
        WORKING.put("this", "this.device.index");

        FAILING.put("null", new String[] {"arg0.index", "arg0.index: arg0 is null"});
        FAILING.put("missing-member", new String[] {"arg0.nothing",
                "arg0.nothing: numa.testapp.Device has no method nothing() or getNothing() and no field nothing"});
        FAILING.put("throwing-getter", new String[] {"arg0.broken",
                "arg0.broken: numa.testapp.Probes$Card.getBroken() threw java.lang.IllegalStateException: card not ready"});
        FAILING.put("word", new String[] {"arg0", "arg0: arg0 is 'gpu' (expected an integer)"});
        FAILING.put("fraction", new String[] {"arg0", "arg0: arg0 is 1.5 (expected an integer)"});
        FAILING.put("negative", new String[] {"arg0", "arg0: arg0 is -1 (expected a non-negative integer)"});
        FAILING.put("huge", new String[] {"arg0", "arg0: arg0 is 9223372036854775807 (expected an integer up to 2147483647)"});
        FAILING.put("static-this", new String[] {"this.device.index",
                "this.device.index: no 'this' here (a static method, or not a method call)"});
        FAILING.put("missing-argument", new String[] {"arg3", "arg3: the call has 1 argument, so no arg3"});
        FAILING.put("flag", new String[] {"arg0", "arg0: arg0 is a java.lang.Boolean (expected an integer)"});
    }

    /** Probes.viaX for probe "x-y": viaXY. */
    private static String method(String probe) {
        StringBuilder m = new StringBuilder("via");
        for (String part : probe.split("-")) {
            m.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return switch (probe) {
            case "biginteger" -> "viaBigInteger";
            case "null" -> "viaNull";
            case "this" -> "viaThis";
            default -> m.toString();
        };
    }

    private static RunResult run;

    private static synchronized RunResult run() {
        if (run == null) {
            StringBuilder yaml = new StringBuilder("rules:\n");
            WORKING.forEach((probe, expr) -> yaml.append(rule(probe, expr)));
            FAILING.forEach((probe, failure) -> yaml.append(rule(probe, failure[0])));
            run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("method-expressions")).sysfs(TOPOLOGY)
                    .config(yaml.toString()).app("--methods=expressions", "--json").run();
        }
        return run;
    }

    private static String rule(String probe, String expr) {
        return "  - name: probe-" + probe + "\n    method: numa.testapp.Probes#" + method(probe) + "\n    node: " + expr
                + "\n    bind: call\n";
    }

    @Test
    void primitives_boxed_numbers_strings_getters_private_fields_and_this_give_the_node() {
        RunResult r = run();
        WORKING.forEach((probe, expr) -> {
            for (String thread : List.of("expr-" + probe, "expr-" + probe + "-again")) {
                assertThat(r.reports().row(thread, "in-call").cpus()).as("%s: node %s is node 1%s", thread, expr, r)
                        .isEqualTo(TOPOLOGY.cpusOf(1));
            }
        });
    }

    @Test
    void a_failing_expression_leaves_the_thread_unbound() {
        RunResult r = run();
        FAILING.forEach((probe, failure) -> {
            for (String thread : List.of("expr-" + probe, "expr-" + probe + "-again")) {
                assertThat(r.reports().row(thread, "in-call").cpus()).as("%s (node %s)%s", thread, failure[0], r)
                        .isEqualTo(Host.allowedCpuList());
            }
        });
    }

    @Test
    void each_failure_is_reported_once_naming_rule_class_member_and_cause() {
        RunResult r = run();
        FAILING.forEach((probe, failure) -> {
            List<String> warnings = r.agentWarnings().stream().filter(w -> w.contains("rule probe-" + probe + ":")).toList();
            assertThat(warnings).as("warnings of rule probe-%s (its method was called twice)%s", probe, r).singleElement()
                    .satisfies(w -> assertThat(w)
                            .contains("node '" + failure[0] + "' of the call of numa.testapp.Probes." + method(probe) + "(")
                            .contains("cannot be evaluated: " + failure[1] + "; it stays unbound"));
        });
        assertThat(r.agentWarnings()).as("no other warning%s", r).allMatch(w -> w.contains("rule probe-")
                || w.contains("memory policy"));
    }
}
