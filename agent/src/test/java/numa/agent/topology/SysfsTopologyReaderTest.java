package numa.agent.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import numa.agent.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysfsTopologyReaderTest {
    private static final long MIB = 1024L * 1024;

    @TempDir
    Path sys;

    private Topology read() throws IOException {
        return new SysfsTopologyReader(sys).read();
    }

    @Test
    void oneNode() throws IOException {
        FakeSysfs.create().node(0, "0-3", 16384).write(sys);

        Topology t = read();

        assertThat(t.isNuma()).isTrue();
        assertThat(t.source()).isEqualTo(sys.toString());
        assertThat(t.onlineCpus()).hasToString("0-3");
        NumaNode n = t.nodes().get(0);
        assertThat(n.id()).isZero();
        assertThat(n.cpus()).hasToString("0-3");
        assertThat(n.memTotalBytes()).isEqualTo(16384 * MIB);
        assertThat(n.memFreeBytes()).isEqualTo(16384 * MIB * 3 / 4);
        assertThat(n.distances()).containsExactly(10);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void manyNodesOfFourCpusEach(int count) throws IOException {
        FakeSysfs fake = FakeSysfs.create();
        for (int i = 0; i < count; i++) {
            fake.node(i, (4 * i) + "-" + (4 * i + 3), 1024);
        }
        fake.write(sys);

        Topology t = read();

        assertThat(t.nodes()).extracting(NumaNode::id).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, count).boxed().toList());
        assertThat(t.onlineCpus().size()).isEqualTo(4 * count);
        assertThat(t.maxNodeId()).isEqualTo(count - 1);
        assertThat(t.nodeOfCpu(4 * count - 1)).isEqualTo(count - 1);
        assertThat(t.nodeOfCpu(4 * count)).isEqualTo(-1);
        for (NumaNode n : t.nodes()) {
            assertThat(n.distances()).hasSize(count);
            assertThat(n.distances().get(n.id())).isEqualTo(10);
        }
    }

    @Test
    void asymmetricNodesKeepTheirOwnSizesAndDistances() throws IOException {
        FakeSysfs.create()
                .node(0, "0-11,24-35", 196608).distances(0, 10, 32)
                .node(1, "12-15", 8192).distances(1, 32, 10)
                .write(sys);

        Topology t = read();

        assertThat(t.node(0).orElseThrow().cpus().size()).isEqualTo(24);
        assertThat(t.node(1).orElseThrow().cpus()).hasToString("12-15");
        assertThat(t.node(1).orElseThrow().memTotalBytes()).isEqualTo(8192 * MIB);
        assertThat(t.node(0).orElseThrow().distances()).containsExactly(10, 32);
        assertThat(t.onlineCpus()).hasToString("0-15,24-35");
    }

    @Test
    void cpuLessAndMemoryLessNodes() throws IOException {
        // GH200-like: node 0 has CPUs and memory, node 1 only CPUs, node 2 only (GPU) memory
        FakeSysfs.create()
                .node(0, "0-71", 491520)
                .memoryLessNode(1, "72-79")
                .cpuLessNode(2, 97280)
                .write(sys);

        Topology t = read();

        NumaNode memoryLess = t.node(1).orElseThrow();
        NumaNode cpuLess = t.node(2).orElseThrow();
        assertThat(memoryLess.hasCpus()).isTrue();
        assertThat(memoryLess.hasMemory()).isFalse();
        assertThat(cpuLess.hasCpus()).isFalse();
        assertThat(cpuLess.cpus().isEmpty()).isTrue();
        assertThat(cpuLess.hasMemory()).isTrue();
        assertThat(t.nodesWithCpus()).extracting(NumaNode::id).containsExactly(0, 1);
    }

    @Test
    void onlyNodesListedOnlineAreRead() throws IOException {
        FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024).node(2, "8-11", 1024).write(sys);
        Files.writeString(sys.resolve("devices/system/node/online"), "0,2\n");

        Topology t = read();

        assertThat(t.nodes()).extracting(NumaNode::id).containsExactly(0, 2);
        assertThat(t.maxNodeId()).isEqualTo(2);
    }

    @Test
    void withoutAnOnlineFileEveryNodeDirectoryCountsInNumericOrder() throws IOException {
        FakeSysfs fake = FakeSysfs.create();
        for (int i = 0; i <= 10; i++) {
            fake.node(i, String.valueOf(i), 512);
        }
        fake.write(sys);
        Files.delete(sys.resolve("devices/system/node/online"));
        Files.createDirectories(sys.resolve("devices/system/node/power")); // not a node

        assertThat(read().nodes()).extracting(NumaNode::id).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void nonNumaKernelGivesNoNodesAndSaysSo() throws IOException {
        FakeSysfs.create().onlineCpus("0-7").write(sys);

        Topology t = read();

        assertThat(t.isNuma()).isFalse();
        assertThat(t.nodes()).isEmpty();
        assertThat(t.onlineCpus()).hasToString("0-7");
        assertThat(t.source()).contains(sys.toString()).contains("no NUMA nodes");
        assertThat(t.maxNodeId()).isEqualTo(-1);
    }

    @Test
    void missingNodeDirectoryOfAnOnlineNodeIsAnError() throws IOException {
        FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024).write(sys);
        deleteTree(sys.resolve("devices/system/node/node1"));

        assertThatThrownBy(this::read).isInstanceOf(IOException.class)
                .hasMessageContaining(sys.resolve("devices/system/node/node1").toString())
                .hasMessageContaining("lists node 1 as online");
    }

    @Test
    void malformedCpulistNamesTheFileAndTheText() throws IOException {
        FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024).write(sys);
        Path cpulist = sys.resolve("devices/system/node/node1/cpulist");
        Files.writeString(cpulist, "4-x\n");

        assertThatThrownBy(this::read).isInstanceOf(IOException.class)
                .hasMessageContaining(cpulist.toString())
                .hasMessageContaining("'4-x'")
                .hasMessageContaining("CPU list")
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingCpulistIsAnError() throws IOException {
        FakeSysfs.create().node(0, "0-3", 1024).write(sys);
        Path cpulist = sys.resolve("devices/system/node/node0/cpulist");
        Files.delete(cpulist);

        assertThatThrownBy(this::read).hasMessageContaining(cpulist + ": missing");
    }

    @Test
    void meminfoWithoutMemTotalIsAnError() throws IOException {
        FakeSysfs.create().node(0, "0-3", 1024).write(sys);
        Path meminfo = sys.resolve("devices/system/node/node0/meminfo");
        Files.writeString(meminfo, "Node 0 MemFree: 12 kB\n");

        assertThatThrownBy(this::read).isInstanceOf(IOException.class)
                .hasMessageContaining(meminfo.toString())
                .hasMessageContaining("MemTotal");
    }

    @Test
    void malformedDistanceIsAnErrorButAMissingOneIsEmpty() throws IOException {
        FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024).write(sys);
        Path d0 = sys.resolve("devices/system/node/node0/distance");
        Files.delete(d0);
        assertThat(read().node(0).orElseThrow().distances()).isEmpty();

        Path d1 = sys.resolve("devices/system/node/node1/distance");
        Files.writeString(d1, "20 ten\n");
        assertThatThrownBy(this::read).hasMessageContaining(d1.toString()).hasMessageContaining("'ten'");
    }

    @Test
    void aDirectoryThatIsNotSysfsIsAnError() {
        assertThatThrownBy(this::read).isInstanceOf(IOException.class)
                .hasMessageContaining("devices/system/cpu/online")
                .hasMessageContaining("sysfs tree");
        Path nowhere = sys.resolve("no-such-dir");
        assertThatThrownBy(() -> new SysfsTopologyReader(nowhere).read())
                .hasMessageContaining(nowhere + ": no such directory");
    }

    @Test
    void readsThisMachinesSysfs() throws IOException {
        Path real = Path.of("/sys");
        assumeTrue(Files.exists(real.resolve("devices/system/cpu/online")), "not Linux");

        Topology t = new SysfsTopologyReader(real).read();

        assertThat(t.onlineCpus().isEmpty()).isFalse();
        for (NumaNode n : t.nodes()) {
            assertThat(t.onlineCpus().containsAll(n.cpus())).as("node %d's CPUs are online", n.id()).isTrue();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
