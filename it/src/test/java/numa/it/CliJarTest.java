package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.it.harness.Json;

/**
 * The command line as a user runs it: {@code java -jar numa-agent.jar ...} on the built jar, in a
 * JVM of its own, against a small fake sysfs tree written here. Checks what only the jar can show:
 * that the launcher finds the CLI in the agent's class loader, that the exit status reaches the
 * shell, and the manifest's version.
 */
class CliJarTest {
    private static Path agentJar;

    @TempDir
    Path tmp;

    /** What one run printed and returned. */
    private record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void findTheJar() {
        String property = System.getProperty("numa.it.agentJar");
        if (property == null) {
            fail("system property numa.it.agentJar is not set (surefire sets it; see it/pom.xml)");
        }
        agentJar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(agentJar)) {
            fail(agentJar + " (numa.it.agentJar) does not exist: build it first (mvn -B package)");
        }
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", agentJar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("CUDA_VISIBLE_DEVICES"); // this machine's setting must not leak into the result
        pb.environment().putAll(env);
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("java -jar numa-agent.jar " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Run run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    /** Two nodes of 4 CPUs with an NVIDIA GPU each, as the kernel lays out /sys. */
    private Path fakeSysfs() throws IOException {
        Path sys = tmp.resolve("sys");
        put(sys.resolve("devices/system/cpu/online"), "0-7");
        put(sys.resolve("devices/system/node/online"), "0-1");
        for (int node = 0; node < 2; node++) {
            Path dir = sys.resolve("devices/system/node/node" + node);
            put(dir.resolve("cpulist"), node == 0 ? "0-3" : "4-7");
            put(dir.resolve("meminfo"), "Node " + node + " MemTotal:       16777216 kB\nNode " + node
                    + " MemFree:         8388608 kB\n");
            put(dir.resolve("distance"), node == 0 ? "10 21" : "21 10");
        }
        gpu(sys, "0000:3b:00.0", 0);
        gpu(sys, "0000:af:00.0", 1);
        return sys;
    }

    private static void gpu(Path sys, String busId, int node) throws IOException {
        Path dir = sys.resolve("devices/pci" + busId.substring(0, 7)).resolve(busId);
        put(dir.resolve("vendor"), "0x10de");
        put(dir.resolve("class"), "0x030200");
        put(dir.resolve("numa_node"), Integer.toString(node));
        Path link = sys.resolve("bus/pci/devices").resolve(busId);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(dir));
    }

    private static void put(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void topologyAsJson() throws Exception {
        Path sys = fakeSysfs();
        Run r = run(Map.of("CUDA_VISIBLE_DEVICES", "1"), "topology", "--json", "--sysfs", sys.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, Object> json = (Map<String, Object>) Json.parse(r.out());
        assertThat(json.get("sysfs")).isEqualTo(sys.toString());
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) json.get("nodes");
        assertThat(nodes).hasSize(2);
        assertThat(nodes.get(1)).containsEntry("id", 1L).containsEntry("cpus", "4-7")
                .containsEntry("memory_total_mib", 16384L).containsEntry("memory_free_mib", 8192L)
                .containsEntry("distances", List.of(21L, 10L));
        List<Map<String, Object>> devices = (List<Map<String, Object>>) json.get("devices");
        assertThat(devices).hasSize(2);
        // CUDA_VISIBLE_DEVICES=1: the second GPU is logical device 0, the first is hidden
        assertThat(devices.get(0)).containsEntry("index", null).containsEntry("physical_index", 0L)
                .containsEntry("bus_id", "0000:3b:00.0").containsEntry("node", 0L);
        assertThat(devices.get(1)).containsEntry("index", 0L).containsEntry("physical_index", 1L)
                .containsEntry("source", "nvidia").containsEntry("bus_id", "0000:af:00.0").containsEntry("node", 1L);
        assertThat((String) json.get("allowed_cpus")).isNotEmpty();
    }

    @Test
    void topologyAsTables() throws Exception {
        Run r = run("topology", "--sysfs", fakeSysfs().toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 nodes", "0000:af:00.0", "this process may use cpus");
    }

    @Test
    void checkPrintsThePlanOfAValidConfig() throws Exception {
        Path sys = fakeSysfs();
        Path config = Files.writeString(tmp.resolve("ok.yaml"), "rules:\n  - thread: \"gpu-(\\\\d+)\"\n    device: $1\n");
        Run r = run("check", config.toString(), "--sysfs", sys.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains(config + ": valid; 1 rule");
    }

    @Test
    void checkOfABrokenConfigExitsTwoWithThePlace() throws Exception {
        Path config = Files.writeString(tmp.resolve("bad.yaml"), "binding:\n  cpu: node\n");
        Run r = run("check", config.toString(), "--sysfs", fakeSysfs().toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().lines().findFirst()).hasValueSatisfying(line ->
                assertThat(line).startsWith("numa-agent: " + config + ":2:3: unknown key 'cpu' in binding"));
    }

    @Test
    void usageErrorsAndFailuresReachTheShellAsExitStatuses() throws Exception {
        assertThat(run().status()).isEqualTo(2);
        assertThat(run("frobnicate").status()).isEqualTo(2);
        Run status = run("status", "99999999"); // above any pid_max
        assertThat(status.status()).isEqualTo(1);
        assertThat(status.err()).contains("no process 99999999");
    }

    @Test
    void versionComesFromTheManifest() throws Exception {
        Run r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).matches("numa-agent \\d+\\.\\d+\\.\\d+.*");
    }
}
