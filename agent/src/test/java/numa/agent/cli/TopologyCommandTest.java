package numa.agent.cli;

import static numa.agent.cli.CliHarness.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.cli.CliHarness.Outcome;
import numa.agent.testing.FakeSysfs;

/** {@code topology} on fake sysfs trees: the JSON parsed back and checked by value, and the tables. */
class TopologyCommandTest {
    @TempDir
    Path tmp;

    private Outcome json(Path sys) {
        return cli().allowedCpus("0-63").run("topology", "--sysfs", sys.toString(), "--json");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void oneNodeWithoutDevices() {
        Path sys = FakeSysfs.create().node(0, "0-3", 16384).write(tmp);
        Outcome o = json(sys);
        assertThat(o.status()).isZero();
        assertThat(o.err()).isEmpty();
        Map<String, Object> json = o.json();
        assertThat(json).containsKeys("sysfs", "nodes", "devices", "allowed_cpus", "warnings");
        assertThat(json.get("sysfs")).isEqualTo(sys.toString());
        assertThat(json.get("numa")).isEqualTo(true);
        assertThat(list(json, "nodes")).containsExactly(map("id", 0L, "cpus", "0-3", "memory_total_mib", 16384L,
                "memory_free_mib", 12288L, "distances", List.of(10L)));
        assertThat(list(json, "devices")).isEmpty();
        assertThat(json.get("allowed_cpus")).isEqualTo("0-63");
        assertThat(json.get("visible_devices")).isNull();
        assertThat((List<?>) json.get("warnings")).isEmpty();
        assertThat((String) json.get("device_search")).startsWith("auto (NVML not used");
    }

    @Test
    void twoNodesWithAGpuEach() {
        Path sys = FakeSysfs.create().node(0, "0-7", 65536).node(1, "8-15", 65536)
                .nvidiaGpu("0000:3b:00.0", 0).nvidiaGpu("0000:af:00.0", 1)
                .pciDevice("0000:3b:00.1", FakeSysfs.NVIDIA, FakeSysfs.CLASS_AUDIO, 0) // the card's audio: not a GPU
                .write(tmp);
        Map<String, Object> json = json(sys).json();
        assertThat(list(json, "nodes")).extracting(n -> n.get("id"), n -> n.get("cpus"), n -> n.get("distances"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, "0-7", List.of(10L, 20L)),
                        org.assertj.core.groups.Tuple.tuple(1L, "8-15", List.of(20L, 10L)));
        assertThat(list(json, "devices")).containsExactly(
                map("index", 0L, "physical_index", 0L, "source", "nvidia", "bus_id", "0000:3b:00.0", "node", 0L),
                map("index", 1L, "physical_index", 1L, "source", "nvidia", "bus_id", "0000:af:00.0", "node", 1L));
        // a fake tree is not this machine: the real driver's GPUs must not be mixed in
        assertThat((String) json.get("device_search")).startsWith("auto (NVML not used");
        assertThat((List<?>) json.get("warnings")).isEmpty();
    }

    @Test
    void fourNodesWithTheirDistancesAndAccelDevices() {
        Path sys = FakeSysfs.create()
                .node(0, "0-3", 1024).node(1, "4-7", 1024).node(2, "8-11", 1024).node(3, "12-15", 1024)
                .distances(0, 10, 12, 32, 32).distances(1, 12, 10, 32, 32)
                .distances(2, 32, 32, 10, 12).distances(3, 32, 32, 12, 10)
                .accel(0, "0000:1a:00.0", 0).accel(1, "0000:9a:00.0", 2)
                .write(tmp);
        Map<String, Object> json = json(sys).json();
        assertThat(list(json, "nodes")).extracting(n -> n.get("id")).containsExactly(0L, 1L, 2L, 3L);
        assertThat(list(json, "nodes").get(2).get("distances")).isEqualTo(List.of(32L, 32L, 10L, 12L));
        assertThat(list(json, "devices")).extracting(d -> d.get("source"), d -> d.get("bus_id"), d -> d.get("node"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("accel", "0000:1a:00.0", 0L),
                        org.assertj.core.groups.Tuple.tuple("accel", "0000:9a:00.0", 2L));

        Outcome text = cli().allowedCpus("0-15").run("topology", "--sysfs", sys.toString());
        assertThat(text.status()).isZero();
        assertThat(text.outLines()).contains("NUMA topology of " + sys + ": 4 nodes, online cpus 0-15",
                "node distances:", "  node   0   1   2   3", "     2  32  32  10  12");
        assertThat(cells(text, "0000:9a:00.0")).containsExactly("1", "1", "accel", "0000:9a:00.0", "2", "8-11");
    }

    @Test
    void memoryOnlyAndMemoryLessNodes() {
        Path sys = FakeSysfs.create().node(0, "0-3", 4096).memoryLessNode(1, "4-7").cpuLessNode(2, 98304)
                .write(tmp);
        Map<String, Object> json = json(sys).json();
        assertThat(list(json, "nodes")).extracting(n -> n.get("id"), n -> n.get("cpus"), n -> n.get("memory_total_mib"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, "0-3", 4096L),
                        org.assertj.core.groups.Tuple.tuple(1L, "4-7", 0L),
                        org.assertj.core.groups.Tuple.tuple(2L, "", 98304L));

        Outcome text = cli().allowedCpus("0-7").run("topology", "--sysfs", sys.toString());
        assertThat(nodeRow(text, 1)).contains("no memory: memory policies on it are refused");
        assertThat(nodeRow(text, 2)).contains("none", "no CPUs (memory only)");
    }

    @Test
    void aNodeOutsideTheAllowedCpusIsNoted() {
        Path sys = FakeSysfs.create().node(0, "0-3", 4096).node(1, "4-7", 4096).write(tmp);
        Outcome text = cli().allowedCpus("0-3").run("topology", "--sysfs", sys.toString());
        assertThat(nodeRow(text, 1)).contains("none of its CPUs are allowed to this process");
        assertThat(text.outLines()).contains("this process may use cpus 0-3 (4 CPUs)");
    }

    @Test
    void aDeviceWithoutANodeIsListedWithNodeMinusOneAndAWarning() {
        Path sys = FakeSysfs.create().node(0, "0-3", 4096).node(1, "4-7", 4096)
                .nvidiaGpu("0000:3b:00.0", 0).nvidiaGpu("0000:5e:00.0", -1).write(tmp);
        Map<String, Object> json = json(sys).json();
        assertThat(list(json, "devices")).extracting(d -> d.get("index"), d -> d.get("node"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0L), org.assertj.core.groups.Tuple.tuple(1L, -1L));
        assertThat((List<?>) json.get("warnings")).singleElement().asString()
                .startsWith("device 1 (nvidia 0000:5e:00.0): its NUMA node is unknown");

        Outcome text = cli().allowedCpus("0-7").run("topology", "--sysfs", sys.toString());
        assertThat(cells(text, "0000:5e:00.0")).containsSequence("-", "-", "node", "unknown:");
        assertThat(text.out()).contains("warning: device 1 (nvidia 0000:5e:00.0): its NUMA node is unknown");
    }

    @Test
    void cudaVisibleDevicesGivesLogicalNumbersAndShowsHiddenDevices() {
        Path sys = FakeSysfs.create().node(0, "0-3", 4096).node(1, "4-7", 4096)
                .nvidiaGpu("0000:3b:00.0", 0).nvidiaGpu("0000:5e:00.0", 0).nvidiaGpu("0000:af:00.0", 1).write(tmp);
        Outcome o = cli().env("CUDA_VISIBLE_DEVICES", "2,0").allowedCpus("0-7")
                .run("topology", "--json", "--sysfs=" + sys);
        Map<String, Object> json = o.json();
        assertThat(json.get("visible_devices")).isEqualTo("2,0");
        assertThat(list(json, "devices")).extracting(d -> d.get("index"), d -> d.get("physical_index"), d -> d.get("bus_id"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0L, "0000:3b:00.0"),
                        org.assertj.core.groups.Tuple.tuple(null, 1L, "0000:5e:00.0"),
                        org.assertj.core.groups.Tuple.tuple(0L, 2L, "0000:af:00.0"));

        Outcome text = cli().env("CUDA_VISIBLE_DEVICES", "2,0").allowedCpus("0-7").run("topology", "--sysfs", sys.toString());
        assertThat(cells(text, "0000:5e:00.0")).startsWith("-", "1", "nvidia", "0000:5e:00.0", "0", "0-3", "hidden");
        assertThat(text.out()).contains("with CUDA_VISIBLE_DEVICES='2,0'");
    }

    @Test
    void nonNumaSysfsSaysSoAndSucceeds() {
        Path sys = FakeSysfs.create().onlineCpus("0-3").nvidiaGpu("0000:3b:00.0", -1).write(tmp);
        Outcome o = json(sys);
        assertThat(o.status()).isZero();
        Map<String, Object> json = o.json();
        assertThat(json.get("numa")).isEqualTo(false);
        assertThat(list(json, "nodes")).isEmpty();
        assertThat(json.get("online_cpus")).isEqualTo("0-3");
        assertThat(list(json, "devices")).extracting(d -> d.get("node")).containsExactly(-1L);
        assertThat((List<?>) json.get("warnings")).first().asString().startsWith("no NUMA nodes under " + sys);

        Outcome text = cli().run("topology", "--sysfs", sys.toString());
        assertThat(text.status()).isZero();
        assertThat(text.outLines().get(0)).isEqualTo("no NUMA nodes under " + sys
                + " (not a NUMA machine, or a kernel without NUMA), online cpus 0-3");
    }

    @Test
    void unknownAllowedCpusAreNullWithAWarning() {
        Path sys = FakeSysfs.create().node(0, "0-3", 4096).nvidiaGpu("0000:3b:00.0", 0).write(tmp);
        Map<String, Object> json = cli().allowedCpusUnknown().run("topology", "--json", "--sysfs", sys.toString()).json();
        assertThat(json).containsEntry("allowed_cpus", null);
        assertThat((List<?>) json.get("warnings")).singleElement().asString()
                .startsWith("the CPUs this process may use are unknown (/proc/self/status: missing");
    }

    @Test
    void pathsWithQuotesBackslashesAndNewlinesAreEscaped() throws Exception {
        Path odd = Files.createDirectories(tmp.resolve("sys \"quoted\" back\\slash\nnew line\ttab"));
        FakeSysfs.create().node(0, "0-1", 1024).nvidiaGpu("0000:3b:00.0", 0).write(odd);
        Outcome o = json(odd);
        assertThat(o.status()).isZero();
        assertThat(o.json().get("sysfs")).isEqualTo(odd.toString());
        assertThat(o.out().lines()).allMatch(l -> l.chars().noneMatch(c -> c < 0x20));
    }

    @Test
    void anUnreadableTreeFailsWithTheReason() {
        Outcome o = cli().run("topology", "--sysfs", tmp.resolve("nope").toString());
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).isEqualTo("numa-agent: topology: cannot read the topology: " + tmp.resolve("nope")
                + ": no such directory; expected a sysfs tree such as /sys\n");
    }

    @Test
    void aBrokenTreeNamesTheFile() throws Exception {
        Path sys = FakeSysfs.create().node(0, "0-3", 1024).write(tmp);
        Files.writeString(sys.resolve("devices/system/node/node0/cpulist"), "zero\n");
        Outcome o = cli().run("topology", "--sysfs", sys.toString());
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).contains("node0/cpulist", "'zero'");
    }

    /** The cells of the one table row (not a warning) containing {@code marker}, split on blanks. */
    private static List<String> cells(Outcome o, String marker) {
        return Arrays.asList(onlyLine(o, l -> l.contains(marker) && !l.startsWith("warning:"), marker).trim().split("\\s+"));
    }

    /** The node table's row of node {@code id} (the rows that show memory). */
    private static String nodeRow(Outcome o, int id) {
        return onlyLine(o, l -> l.contains(" MiB") && l.trim().startsWith(id + " "), "node " + id);
    }

    private static String onlyLine(Outcome o, java.util.function.Predicate<String> which, String what) {
        List<String> lines = o.outLines().stream().filter(which).toList();
        assertThat(lines).as("rows for %s in%n%s", what, o.out()).hasSize(1);
        return lines.get(0);
    }
}
