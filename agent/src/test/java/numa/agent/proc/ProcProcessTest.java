package numa.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.topology.CpuSet;

class ProcProcessTest {
    @TempDir
    Path proc;

    /** A fake /proc/PID with two threads, as the kernel lays it out. */
    static Path fakeProcess(Path proc, long pid, boolean jvm) throws Exception {
        Path dir = proc.resolve(Long.toString(pid));
        task(dir, (int) pid, "java", "0-3");
        task(dir, (int) pid + 7, "gpu-worker-0", "2-3");
        Files.writeString(dir.resolve("comm"), "java\n");
        Files.write(dir.resolve("cmdline"), "java\0-jar\0app.jar\0".getBytes());
        Files.writeString(dir.resolve("maps"), "7f00-7f01 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
                + (jvm ? "7f02-7f03 r-xp 00000000 08:01 2 /usr/lib/jvm/java-17/lib/server/libjvm.so\n" : ""));
        Files.writeString(dir.resolve("numa_maps"), "00400000 default N0=2 N1=1 kernelpagesize_kB=4\n");
        return dir;
    }

    private static void task(Path dir, int tid, String comm, String cpus) throws Exception {
        Path t = dir.resolve("task").resolve(Integer.toString(tid));
        Files.createDirectories(t);
        Files.writeString(t.resolve("comm"), comm + "\n");
        Files.writeString(t.resolve("status"), "Name:\t" + comm + "\nPid:\t" + tid + "\nCpus_allowed:\tf\nCpus_allowed_list:\t"
                + cpus + "\n");
    }

    @Test
    void lists_threads_with_their_names_and_allowed_cpus() throws Exception {
        fakeProcess(proc, 100, true);
        ProcProcess p = ProcProcess.find(proc, 100);
        assertThat(p.tasks()).containsExactly(new ProcProcess.Task(100, "java", CpuSet.parse("0-3")),
                new ProcProcess.Task(107, "gpu-worker-0", CpuSet.parse("2-3")));
        assertThat(p.commandLine()).isEqualTo("java -jar app.jar");
        assertThat(p.isJvm()).isTrue();
        assertThat(p.numaMaps().bytesByNode()).containsEntry(0, 8192L).containsEntry(1, 4096L);
    }

    /** The state letter follows the last ')': a command name may hold ') T ' itself. */
    @Test
    void the_state_is_read_after_the_command_name() throws Exception {
        fakeProcess(proc, 100, true);
        ProcProcess p = ProcProcess.find(proc, 100);
        java.nio.file.Path stat = proc.resolve("100/stat");
        Files.writeString(stat, "100 (a) T (b) S 1 100 100 0 -1\n");
        assertThat(p.state()).isEqualTo(ProcProcess.State.ALIVE);
        Files.writeString(stat, "100 (java) Z 1 100 100 0 -1\n");
        assertThat(p.state()).isEqualTo(ProcProcess.State.ZOMBIE);
        Files.writeString(stat, "100 (java) T 1 100 100 0 -1\n");
        assertThat(p.state()).isEqualTo(ProcProcess.State.STOPPED);
        Files.writeString(stat, "100 (java) X 1 100 100 0 -1\n");
        assertThat(p.state()).isEqualTo(ProcProcess.State.GONE);
        Files.delete(stat);
        assertThat(p.state()).isEqualTo(ProcProcess.State.UNKNOWN);
    }

    @Test
    void a_process_without_libjvm_is_not_a_jvm() throws Exception {
        fakeProcess(proc, 200, false);
        assertThat(ProcProcess.find(proc, 200).isJvm()).isFalse();
    }

    @Test
    void a_missing_process_is_not_found() {
        assertThat(ProcProcess.find(proc, 4242)).isNull();
    }

    @Test
    void a_thread_that_ends_while_listed_is_left_out() throws Exception {
        Path dir = fakeProcess(proc, 300, true);
        Files.createDirectories(dir.resolve("task/999")); // listed, but its files are gone
        assertThat(ProcProcess.find(proc, 300).tasks()).extracting(ProcProcess.Task::tid).containsExactly(300, 307);
    }

    @Test
    void this_jvm_is_a_jvm() throws Exception {
        ProcProcess self = ProcProcess.find(Path.of("/proc"), ProcessHandle.current().pid());
        assertThat(self.isJvm()).isTrue();
        assertThat(self.tasks()).isNotEmpty();
    }
}
