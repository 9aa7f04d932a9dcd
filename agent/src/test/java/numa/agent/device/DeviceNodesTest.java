package numa.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import numa.agent.testing.FakeSysfs;
import numa.agent.topology.SysfsTopologyReader;
import numa.agent.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNodesTest {
    @TempDir
    Path sys;

    /** Nodes 0 and 2 have CPUs; node 1 is memory only (it must never be assigned). */
    private Topology topology() throws Exception {
        FakeSysfs.create().node(0, "0-3", 1024).cpuLessNode(1, 1024).node(2, "4-7", 1024).write(sys);
        return new SysfsTopologyReader(sys).read();
    }

    private static Device dev(int i, int node) {
        return new Device(i, i, "nvidia", String.format("0000:%02x:00.0", i + 1), node, null);
    }

    @Test
    void skipKeepsUnknownNodesAndWarnsWithWhatToDo() throws Exception {
        DeviceNodes.Result r = DeviceNodes.resolveUnknown(List.of(dev(0, 0), dev(1, -1)), topology(), false);

        assertThat(r.devices()).extracting(Device::node).containsExactly(0, -1);
        assertThat(r.warnings()).singleElement().asString()
                .contains("device 1 (nvidia 0000:02:00.0)").contains("unknown").contains("stay unbound")
                .contains("devices.unknown-node: round-robin");
    }

    @Test
    void roundRobinHandsOutNodesWithCpusInTurn() throws Exception {
        List<Device> ds = List.of(dev(0, -1), dev(1, 2), dev(2, -1), dev(3, -1));

        DeviceNodes.Result r = DeviceNodes.resolveUnknown(ds, topology(), true);

        assertThat(r.devices()).extracting(Device::node).containsExactly(0, 2, 2, 0);
        assertThat(r.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).contains("round-robin").contains("a guess"));
        assertThat(r.devices()).extracting(Device::index).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aNodeThatIsNotOnlineCountsAsUnknown() throws Exception {
        DeviceNodes.Result r = DeviceNodes.resolveUnknown(List.of(dev(0, 5)), topology(), false);

        assertThat(r.devices().get(0).node()).isEqualTo(-1);
        assertThat(r.warnings()).singleElement().asString().contains("NUMA node 5").contains("does not list as online");
    }

    @Test
    void roundRobinOnANonNumaKernelHasNothingToAssign() throws Exception {
        FakeSysfs.create().onlineCpus("0-3").write(sys);
        Topology flat = new SysfsTopologyReader(sys).read();

        DeviceNodes.Result r = DeviceNodes.resolveUnknown(List.of(dev(0, -1)), flat, true);

        assertThat(r.devices().get(0).node()).isEqualTo(-1);
        assertThat(r.warnings()).singleElement().asString().contains("no node has CPUs");
    }

    @Test
    void knownNodesPassUntouchedWithoutWarnings() throws Exception {
        List<Device> ds = List.of(dev(0, 0), dev(1, 2));

        DeviceNodes.Result r = DeviceNodes.resolveUnknown(ds, topology(), true);

        assertThat(r.devices()).isEqualTo(ds);
        assertThat(r.warnings()).isEmpty();
    }

    /** The user's own list names a node that is not here: advice points at the list, not back at source: static. */
    @Test
    void staticNodeThatIsNotOnlineKeepsItsNodeAndAdvisesFixingTheList() throws Exception {
        Device listed = new Device(1, 1, "static", null, 5, null);
        DeviceNodes.Result r = DeviceNodes.resolveUnknown(List.of(listed), topology(), false);

        assertThat(r.devices()).extracting(Device::node).containsExactly(5);
        assertThat(r.warnings()).singleElement().asString()
                .contains("device 1 (static): devices.nodes gives it node 5, which")
                .contains("(online here: 0, 1, 2)")
                .contains("Give a node that exists here in devices.nodes")
                .doesNotContain("list nodes with devices.source: static");
    }

    @Test
    void staticMinusOneAdvisesGivingItsNode() throws Exception {
        DeviceNodes.Result r = DeviceNodes.resolveUnknown(List.of(new Device(0, 0, "static", null, -1, null)), topology(), false);

        assertThat(r.warnings()).singleElement().asString()
                .contains("devices.nodes gives it -1 (unknown)").contains("give its node in devices.nodes")
                .doesNotContain("list nodes with devices.source: static");
    }
}
