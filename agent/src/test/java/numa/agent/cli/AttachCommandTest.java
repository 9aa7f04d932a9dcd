package numa.agent.cli;

import static numa.agent.cli.CliHarness.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.cli.CliHarness.Outcome;

/**
 * {@code attach}: what is refused before any JVM is touched. Attaching to live JVMs is tested in
 * the it module with the built jar.
 */
class AttachCommandTest {
    @TempDir
    Path tmp;

    private Path process(long pid, boolean jvm) throws Exception {
        Path dir = tmp.resolve("proc").resolve(Long.toString(pid));
        Path task = dir.resolve("task").resolve(Long.toString(pid));
        Files.createDirectories(task);
        Files.writeString(task.resolve("status"), "Name:\tsleep\nCpus_allowed_list:\t0-1\n");
        Files.writeString(dir.resolve("comm"), "sleep\n");
        Files.writeString(dir.resolve("maps"), jvm ? "7f02-7f03 r-xp 0 08:01 2 /opt/jdk/lib/server/libjvm.so\n" : "");
        return tmp.resolve("proc");
    }

    @Test
    void a_process_that_is_not_a_jvm_is_never_attached_to() throws Exception {
        Outcome o = cli().proc(process(77, false)).run("attach", "77");
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).contains("process 77 (sleep) is not a Java VM");
    }

    @Test
    void a_missing_process_exits_1() throws Exception {
        Outcome o = cli().proc(process(77, false)).run("attach", "78");
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err()).contains("no process 78");
    }

    @Test
    void an_invalid_config_is_reported_with_its_place_and_nothing_is_loaded() throws Exception {
        Path config = Files.writeString(tmp.resolve("bad.yaml"), "binding:\n  cpu: node\n");
        Outcome o = cli().proc(process(77, true)).run("attach", "77", config.toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains(config + ":2:3: unknown key 'cpu' in binding", "nothing was loaded into 77");
    }

    @Test
    void usage_errors_exit_2() {
        assertThat(cli().run("attach").status()).isEqualTo(2);
        assertThat(cli().run("attach", "x").status()).isEqualTo(2);
        assertThat(cli().run("attach", "1", "a.yaml", "b.yaml").status()).isEqualTo(2);
        assertThat(cli().run("attach", "1", "--log-level", "loud").status()).isEqualTo(2);
        assertThat(cli().run("attach", "1", "/a,b.yaml", "--dry-run").status()).isEqualTo(2);
    }

    @Test
    void the_agent_argument_is_a_bare_path_alone_or_key_value_pairs() {
        assertThat(AttachCommand.agentArgument(Map.of("config", "/etc/a,b.yaml"))).isEqualTo("/etc/a,b.yaml");
        Map<String, String> args = new LinkedHashMap<>();
        args.put("config", "/etc/numa.yaml");
        args.put("dry-run", "true");
        assertThat(AttachCommand.agentArgument(args)).isEqualTo("config=/etc/numa.yaml,dry-run=true");
        assertThat(AttachCommand.agentArgument(Map.of())).isEmpty();
    }
}
