package numa.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

import numa.agent.bind.Binding;
import numa.agent.bind.BindingPlanner;
import numa.agent.config.AgentConfig;
import numa.agent.config.ConfigLoader;
import numa.agent.config.Rule;
import numa.agent.device.Device;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

class RuleTargetsTest {
    private static final Topology TOPOLOGY = new Topology(List.of(
            new NumaNode(0, CpuSet.parse("0-3"), 1L << 30, 1L << 29, List.of()),
            new NumaNode(1, CpuSet.EMPTY, 1L << 30, 1L << 29, List.of()),
            new NumaNode(2, CpuSet.parse("4-7"), 1L << 30, 1L << 29, List.of())), CpuSet.parse("0-7"), "test");

    private static RuleTargets targets(AgentConfig config) {
        List<Device> devices = List.of(new Device(0, 0, "static", null, 0, null), new Device(1, 1, "static", null, 2, null),
                new Device(2, 2, "static", null, -1, null));
        return new RuleTargets(new BindingPlanner(TOPOLOGY, devices, config.binding(), CpuSet.parse("0-7"), CpuSet::of, null));
    }

    private static AgentConfig config(String rules) throws Exception {
        return ConfigLoader.parse("t.yaml", "rules:\n" + rules);
    }

    private static Binding resolve(RuleTargets t, Rule r, String name) {
        Matcher m = r.thread() == null ? null : r.thread().matcher(name);
        if (m != null) {
            assertThat(m.matches()).isTrue();
        }
        return t.resolve(r, m, "thread '" + name + "'");
    }

    @Test
    void groupOfTheNameSelectsTheDevice() throws Exception {
        AgentConfig c = config("  - name: g\n    thread: \"w-(\\\\d+)\"\n    device: \"$1\"\n");
        RuleTargets t = targets(c);
        assertThat(resolve(t, c.rules().get(0), "w-1").node()).isEqualTo(2);
        assertThat(resolve(t, c.rules().get(0), "w-1").cpus()).hasToString("4-7");
        assertThat(resolve(t, c.rules().get(0), "w-0").node()).isEqualTo(0);
    }

    @Test
    void missingDevicesAndUnknownNodesGiveNoBinding() throws Exception {
        AgentConfig c = config("  - name: g\n    thread: \"w-(\\\\d+)\"\n    device: \"$1\"\n");
        RuleTargets t = targets(c);
        assertThat(resolve(t, c.rules().get(0), "w-9")).isNull();
        assertThat(resolve(t, c.rules().get(0), "w-2")).isNull();
    }

    @Test
    void deviceRoundRobinCyclesOverDevicesAndNodeRoundRobinOverNodesWithCpus() throws Exception {
        AgentConfig c = config("  - name: d\n    thread: \"a-.*\"\n    device: round-robin\n"
                + "  - name: n\n    thread: \"b-.*\"\n    node: round-robin\n");
        RuleTargets t = targets(c);
        List<Integer> devices = new ArrayList<>();
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Binding d = resolve(t, c.rules().get(0), "a-" + i);
            devices.add(d == null ? null : d.device());
            nodes.add(resolve(t, c.rules().get(1), "b-" + i).node());
        }
        assertThat(devices).containsExactly(0, 1, null, 0); // device 2 has no node: unbound, reported
        assertThat(nodes).containsExactly(0, 2, 0, 2); // node 1 has no CPUs
    }

    @Test
    void aNegativeDeviceMeansNoDeviceQuietlyButANegativeNodeIsStillAProblem() throws Exception {
        AgentConfig c = config("  - name: djl\n    thread: \"w-(-?\\\\d+)\"\n    device: \"$1\"\n"
                + "  - name: n\n    thread: \"n-(-?\\\\d+)\"\n    node: \"$1\"\n");
        RuleTargets t = targets(c);
        numa.agent.log.AgentLog.reset();

        assertThat(resolve(t, c.rules().get(0), "w--1")).isNull();
        assertThat(RuleTargets.lastWasNoDevice()).as("device -1 is the CPU: left alone on purpose").isTrue();
        assertThat(RuleTargets.lastWasNoDevice()).as("read once").isFalse();
        assertThat(numa.agent.log.AgentLog.recentProblems()).as("no warning for device -1").isEmpty();

        assertThat(resolve(t, c.rules().get(0), "w-9")).isNull();
        assertThat(RuleTargets.lastWasNoDevice()).as("device 9 does not exist: a failure").isFalse();
        assertThat(resolve(t, c.rules().get(0), "w-0")).isNotNull();

        assertThat(resolve(t, c.rules().get(1), "n--1")).isNull();
        assertThat(RuleTargets.lastWasNoDevice()).isFalse();
        assertThat(numa.agent.log.AgentLog.recentProblems()).anySatisfy(p -> assertThat(p).contains("rule n").contains("is negative"));
    }

    @Test
    void anUnsetVariableLeavesTheThreadUnbound() throws Exception {
        AgentConfig c = config("  - name: e\n    thread: \"x\"\n    device: env:NUMA_AGENT_TEST_SURELY_UNSET\n");
        assertThat(resolve(targets(c), c.rules().get(0), "x")).isNull();
    }

    @Test
    void aPropertySelectsTheNode() throws Exception {
        System.setProperty("numa.agent.test.node", "2");
        try {
            AgentConfig c = config("  - name: p\n    thread: \"x\"\n    node: prop:numa.agent.test.node\n");
            assertThat(resolve(targets(c), c.rules().get(0), "x").cpus()).hasToString("4-7");
        } finally {
            System.clearProperty("numa.agent.test.node");
        }
    }
}
