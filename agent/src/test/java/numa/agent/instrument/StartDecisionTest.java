package numa.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import numa.agent.bind.Binding;
import numa.agent.bind.MemPolicy;
import numa.agent.log.AgentLog;
import numa.agent.topology.CpuSet;

/** Under thread churn, one info line per bound thread would be unbounded: a rule's first 100 are logged, then counted. */
class StartDecisionTest {
    @Test
    void aRulesBoundLinesStopAfterTheBudgetWithOneLineSayingSo() {
        Binding node1 = new Binding(1, -1, CpuSet.parse("1"), MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 1));
        StartDecision decision = StartDecision.rule("churn-budget-test", node1);
        PrintStream was = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 250; i++) {
                decision.log(AgentLog.logger("thread"), "thread", "w-" + i, "main", true, false);
            }
        } finally {
            System.setErr(was);
        }
        var lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(101);
        assertThat(lines.get(99)).startsWith("numa-agent: thread 'w-99' (rule churn-budget-test, node 1) bound to");
        assertThat(lines.get(100)).isEqualTo("numa-agent: rule churn-budget-test: 100 bindings logged; further ones of"
                + " this rule are counted, not logged one by one (numa-agent status PID and the MBean show them; the count"
                + " follows at exit)");
    }
}
