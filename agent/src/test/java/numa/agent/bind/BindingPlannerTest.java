package numa.agent.bind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import numa.agent.config.BindingConfig;
import numa.agent.config.BindingConfig.Children;
import numa.agent.config.BindingConfig.Cpus;
import numa.agent.config.BindingConfig.Memory;
import numa.agent.config.BindingConfig.OnError;
import numa.agent.device.Device;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

class BindingPlannerTest {
    private static final long GIB = 1L << 30;
    /** 2 nodes of 8 CPUs, SMT pairs (n, n+8) as on a typical x86 box with 4 cores a node. */
    private static final Topology TWO_NODES = new Topology(List.of(
            new NumaNode(0, CpuSet.parse("0-3,8-11"), 16 * GIB, 8 * GIB, List.of(10, 20)),
            new NumaNode(1, CpuSet.parse("4-7,12-15"), 16 * GIB, 8 * GIB, List.of(20, 10))),
            CpuSet.parse("0-15"), "test");
    private static final IntFunction<CpuSet> SMT = cpu -> CpuSet.of(cpu % 8, cpu % 8 + 8);
    private static final CpuSet ALL = CpuSet.parse("0-15");

    private static Device dev(int i, int node) {
        return new Device(i, i, "static", null, node, null);
    }

    private static BindingConfig policy(Cpus cpus, Memory memory) {
        return new BindingConfig(cpus, memory, Children.RESET, OnError.WARN);
    }

    private static BindingPlanner planner(BindingConfig p, CpuSet allowed, Device... devices) {
        return new BindingPlanner(TWO_NODES, List.of(devices), p, allowed, SMT, null);
    }

    @Test
    void nodePolicyGivesTheDevicesNodeWithItsMemory() {
        BindingPlanner p = planner(policy(Cpus.NODE, Memory.PREFERRED), ALL, dev(0, 0), dev(1, 1));
        Binding b = p.forDevice(1).binding();
        assertThat(b.node()).isEqualTo(1);
        assertThat(b.device()).isEqualTo(1);
        assertThat(b.cpus()).hasToString("4-7,12-15");
        assertThat(b.memory()).isEqualTo(MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 1));
        assertThat(b.describe()).isEqualTo("node 1 cpus=4-7,12-15 memory=preferred");
    }

    @Test
    void bindMemoryAndNoMemoryPolicy() {
        assertThat(planner(policy(Cpus.NODE, Memory.BIND), ALL, dev(0, 0)).forDevice(0).binding().memory())
                .isEqualTo(MemPolicy.onNode(MemPolicy.Mode.BIND, 0));
        assertThat(planner(policy(Cpus.NODE, Memory.NONE), ALL, dev(0, 0)).forDevice(0).binding().memory())
                .isEqualTo(MemPolicy.DEFAULT);
    }

    @Test
    void cpusNoneKeepsTheOriginalSetAndOnlyBindsMemory() {
        Binding b = planner(policy(Cpus.NONE, Memory.BIND), ALL, dev(0, 1)).forDevice(0).binding();
        assertThat(b.cpus()).isEqualTo(ALL);
        assertThat(b.memory()).isEqualTo(MemPolicy.onNode(MemPolicy.Mode.BIND, 1));
    }

    @Test
    void theProcessAllowedSetBoundsEveryBinding() {
        CpuSet cpuset = CpuSet.parse("2-5");
        BindingPlanner p = planner(policy(Cpus.NODE, Memory.PREFERRED), cpuset, dev(0, 0), dev(1, 1));
        assertThat(p.forDevice(0).binding().cpus()).hasToString("2-3");
        assertThat(p.forDevice(1).binding().cpus()).hasToString("4-5");
        assertThat(p.base().cpus()).isEqualTo(cpuset);
        assertThat(p.base().memory()).isEqualTo(MemPolicy.DEFAULT);
    }

    @Test
    void aNodeOutsideTheCpusetIsAnImpossibleBinding() {
        BindingPlanner p = planner(policy(Cpus.NODE, Memory.PREFERRED), CpuSet.parse("0-3"), dev(0, 1));
        assertThat(p.forDevice(0).binding()).isNull();
        assertThat(p.forDevice(0).problem()).contains("none of node 1's CPUs (4-7,12-15) are allowed").contains("0-3");
    }

    @Test
    void exclusiveSplitsANodeIntoDisjointCompleteSharesKeepingSiblingsTogether() {
        BindingPlanner p = planner(policy(Cpus.EXCLUSIVE, Memory.PREFERRED), ALL, dev(0, 0), dev(1, 0), dev(2, 1));
        CpuSet a = p.forDevice(0).binding().cpus();
        CpuSet b = p.forDevice(1).binding().cpus();
        assertThat(a).hasToString("0-1,8-9");
        assertThat(b).hasToString("2-3,10-11");
        assertThat(a.intersects(b)).isFalse();
        assertThat(a.union(b)).isEqualTo(TWO_NODES.node(0).orElseThrow().cpus());
        assertThat(p.forDevice(2).binding().cpus()).isEqualTo(TWO_NODES.node(1).orElseThrow().cpus());
    }

    @Test
    void exclusiveWithUnevenCoresDiffersByAtMostOneCore() {
        BindingPlanner p = planner(policy(Cpus.EXCLUSIVE, Memory.NONE), ALL, dev(0, 0), dev(1, 0), dev(2, 0));
        int[] sizes = {p.forDevice(0).binding().cpus().size(), p.forDevice(1).binding().cpus().size(),
                p.forDevice(2).binding().cpus().size()};
        assertThat(sizes).containsExactly(2, 2, 4);
    }

    @Test
    void exclusiveWithMoreDevicesThanCoresIsImpossible() {
        Device[] five = {dev(0, 0), dev(1, 0), dev(2, 0), dev(3, 0), dev(4, 0)};
        BindingPlanner p = planner(policy(Cpus.EXCLUSIVE, Memory.NONE), ALL, five);
        assertThat(p.forDevice(4).problem()).contains("fewer cores (4) than devices (5)");
    }

    @Test
    void unknownNodeMissingDeviceAndMissingNodeAreExplained() {
        BindingPlanner p = planner(policy(Cpus.NODE, Memory.PREFERRED), ALL, dev(0, -1));
        assertThat(p.forDevice(0).problem()).contains("has no NUMA node").contains("unknown-node: round-robin");
        assertThat(p.forDevice(7).problem()).isEqualTo("device 7 does not exist (1 device found)");
        assertThat(p.forNode(3).problem()).isEqualTo("node 3 does not exist (nodes: 0,1)");
        assertThat(p.forNode(1).binding().cpus()).hasToString("4-7,12-15");
    }

    @Test
    void cpuLessNodeIsImpossibleForCpusButFineForCpusNone() {
        Topology withMemoryOnly = new Topology(List.of(
                new NumaNode(0, CpuSet.parse("0-3"), GIB, GIB, List.of()),
                new NumaNode(1, CpuSet.EMPTY, GIB, GIB, List.of())), CpuSet.parse("0-3"), "test");
        BindingPlanner node = new BindingPlanner(withMemoryOnly, List.of(dev(0, 1)), policy(Cpus.NODE, Memory.BIND),
                CpuSet.parse("0-3"), SMT, null);
        assertThat(node.forDevice(0).problem()).contains("node 1 has no CPUs");
        assertThat(node.nodesWithCpus()).containsExactly(0);
        BindingPlanner none = new BindingPlanner(withMemoryOnly, List.of(dev(0, 1)), policy(Cpus.NONE, Memory.BIND),
                CpuSet.parse("0-3"), SMT, null);
        assertThat(none.forDevice(0).binding().memory()).isEqualTo(MemPolicy.onNode(MemPolicy.Mode.BIND, 1));
    }

    @Test
    void aProcessSectionBindingBecomesWhatResetsGive() {
        Binding process = new Binding(1, -1, CpuSet.parse("4-7"), MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 1));
        BindingPlanner p = new BindingPlanner(TWO_NODES, List.of(), policy(Cpus.NODE, Memory.PREFERRED), ALL, SMT, process);
        assertThat(p.base()).isEqualTo(process);
    }
}
