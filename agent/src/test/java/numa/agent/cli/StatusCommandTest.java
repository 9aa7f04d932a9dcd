package numa.agent.cli;

import static numa.agent.cli.CliHarness.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.cli.CliHarness.Outcome;
import numa.agent.testing.FakeSysfs;

/**
 * {@code status PID} on a fake /proc and a fake sysfs: threads, their CPUs and nodes, the span flag
 * and memory per node, for a process that is not a JVM (so nothing is attached to). Live JVMs are
 * the it module's part.
 */
class StatusCommandTest {
    @TempDir
    Path tmp;

    private Path sys() {
        return FakeSysfs.create().node(0, "0-3", 16384).node(1, "4-7", 16384).write(tmp.resolve("sys"));
    }

    /** A process 4321 with a main thread on all CPUs and two workers, one per node. */
    private Path proc(boolean jvm) throws Exception {
        Path dir = tmp.resolve("proc/4321");
        task(dir, 4321, "server", "0-7");
        task(dir, 4330, "worker-0", "0-3");
        task(dir, 4331, "worker-1", "4-7");
        Files.writeString(dir.resolve("comm"), "server\n");
        Files.write(dir.resolve("cmdline"), "/usr/bin/server\0--port\0008080\0".getBytes());
        Files.writeString(dir.resolve("maps"), "7f00-7f01 r-xp 00000000 08:01 1 /usr/lib/libc.so.6\n"
                + (jvm ? "7f02-7f03 r-xp 0 08:01 2 /opt/jdk/lib/server/libjvm.so\n" : ""));
        Files.writeString(dir.resolve("numa_maps"), """
                00400000 default file=/usr/bin/server mapped=256 N0=256 kernelpagesize_kB=4
                7f0000000000 default anon=768 dirty=768 N0=512 N1=256 kernelpagesize_kB=4
                7f4000000000 default huge anon=1 N1=1 kernelpagesize_kB=2048
                """);
        return tmp.resolve("proc");
    }

    private static void task(Path dir, int tid, String comm, String cpus) throws Exception {
        Path t = dir.resolve("task").resolve(Integer.toString(tid));
        Files.createDirectories(t);
        Files.writeString(t.resolve("comm"), comm + "\n");
        Files.writeString(t.resolve("status"), "Name:\t" + comm + "\nPid:\t" + tid + "\nCpus_allowed_list:\t" + cpus + "\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void json_gives_each_thread_its_cpus_nodes_and_span_flag_and_memory_per_node() throws Exception {
        Outcome o = cli().proc(proc(false)).run("status", "4321", "--json", "--sysfs", sys().toString());
        assertThat(o.status()).as(o.err()).isZero();
        Map<String, Object> json = o.json();
        assertThat(json).containsEntry("pid", 4321L).containsEntry("command", "/usr/bin/server --port 8080")
                .containsEntry("jvm", false).containsEntry("java_names", "comm").containsEntry("numa", true)
                .containsEntry("spanning_threads", 1L);
        assertThat((Map<String, Object>) json.get("agent")).containsEntry("running", null)
                .containsEntry("summary", "not a Java VM");
        List<Map<String, Object>> threads = (List<Map<String, Object>>) json.get("threads");
        assertThat(threads).hasSize(3);
        assertThat(threads.get(0)).containsEntry("tid", 4321L).containsEntry("name", "server").containsEntry("cpus", "0-7")
                .containsEntry("nodes", List.of(0L, 1L)).containsEntry("spans_nodes", true).containsEntry("rule", null);
        assertThat(threads.get(1)).containsEntry("tid", 4330L).containsEntry("comm", "worker-0")
                .containsEntry("nodes", List.of(0L)).containsEntry("spans_nodes", false);
        assertThat(threads.get(2)).containsEntry("nodes", List.of(1L)).containsEntry("spans_nodes", false);
        Map<String, Object> memory = (Map<String, Object>) json.get("memory");
        assertThat(memory).containsEntry("total_bytes", (256L + 768) * 4096 + 2048 * 1024);
        assertThat((List<Map<String, Object>>) memory.get("nodes")).containsExactly(
                Map.of("node", 0L, "bytes", 768L * 4096, "huge_page_bytes", 0L),
                Map.of("node", 1L, "bytes", 256L * 4096 + 2048 * 1024, "huge_page_bytes", 2048L * 1024));
    }

    @Test
    void the_table_flags_threads_whose_cpus_span_nodes() throws Exception {
        Outcome o = cli().proc(proc(false)).run("status", "4321", "--sysfs", sys().toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("numa-agent: not a Java VM", "resident memory per node (numa_maps): node 0 3.0 MiB (50%), node 1 3.0 MiB (50%)");
        assertThat(o.outLines()).anySatisfy(l -> assertThat(l).matches("\\s+4321\\s+server\\s+0-7\\s+0,1 \\*\\s+-.*"))
                .anySatisfy(l -> assertThat(l).matches("\\s+4331\\s+worker-1\\s+4-7\\s+1\\s+-.*"))
                .contains("3 threads (names from comm): 0 bound by a rule, 1 with cpus spanning more than one node (*)");
    }

    @Test
    void a_jvm_left_alone_with_no_attach_shows_procfs_only() throws Exception {
        Outcome o = cli().proc(proc(true)).run("status", "4321", "--no-attach", "--json", "--sysfs", sys().toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.json()).containsEntry("jvm", true).containsEntry("java_names", "comm");
    }

    @Test
    void unreadable_numa_maps_is_a_warning_not_a_failure() throws Exception {
        Path procRoot = proc(false);
        Files.delete(procRoot.resolve("4321/numa_maps"));
        Outcome o = cli().proc(procRoot).run("status", "4321", "--json", "--sysfs", sys().toString());
        assertThat(o.status()).isZero();
        assertThat(o.json()).containsEntry("memory", null);
        assertThat(o.json().get("warnings").toString()).contains("memory per node unknown");
    }

    @Test
    void a_missing_process_exits_1_and_a_bad_pid_is_a_usage_error() throws Exception {
        Outcome missing = cli().proc(proc(false)).run("status", "999999", "--sysfs", sys().toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).startsWith("numa-agent: status: no process 999999");
        assertThat(cli().run("status", "abc").status()).isEqualTo(2);
        assertThat(cli().run("status").status()).isEqualTo(2);
        assertThat(cli().run("status", "1", "--frob").status()).isEqualTo(2);
        assertThat(cli().run("status", "1", "2").status()).isEqualTo(2);
    }
}
