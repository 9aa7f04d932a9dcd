package numa.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import numa.it.harness.AgentCli;
import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.ProcTasks;
import numa.it.harness.RunningJvm;

/**
 * {@code status} and {@code attach} against JVMs that cannot be trusted or do not answer: nothing a
 * target says is deserialized or acted on outside the target, inspecting opens no port there, a
 * stopped JVM fails status instead of hanging it, and a dry-run attach leaves the JVM to a real one.
 */
class TargetTrustTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String RULES = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: $1
            """;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** The socket inodes of {@code pid} that listen on TCP (state 0A in /proc/net/tcp and tcp6). */
    static Set<String> listeningTcpSockets(long pid) throws IOException {
        Set<String> listening = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A")) {
                    listening.add(f[9]);
                }
            }
        }
        Set<String> own = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        String inode = target.substring(8, target.length() - 1);
                        if (listening.contains(inode)) {
                            own.add(inode);
                        }
                    }
                } catch (IOException closed) {
                    // closed meanwhile
                }
            }
        }
        return own;
    }

    /**
     * The agent runs in the JVM: status shows its bindings and leaves no new listening socket there
     * (it used to start the JVM's JMX agent, listening on all interfaces); once the JVM is stopped
     * (SIGSTOP), status gives up within its timeout, says why, and exits 1.
     */
    @Test
    void status_opens_no_port_and_gives_up_on_a_stopped_jvm() throws Exception {
        Jdk jdk = Jdk.current();
        Path dir = Artifacts.newRunDir("trust-status");
        Path control = Files.createDirectories(dir.resolve("control"));
        RunningJvm app = JvmRun.on(jdk, dir).sysfs(TOPOLOGY).config(RULES)
                .app("--devices=2", "--pool=1", "--hold-ms=120000", "--control-dir=" + control).start();
        try {
            app.awaitHolding();
            Set<String> before = listeningTcpSockets(app.pid());
            AgentCli.Result status = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()), "--json");
            // the agent's thread publishes its report once a second: the binding may not be in it yet
            for (int i = 0; i < 20 && status.status() == 0 && !status.out().contains("\"rule\": \"gpu-workers\""); i++) {
                Thread.sleep(500);
                status = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()), "--json");
            }
            assertThat(status.status()).as("%s", status).isZero();
            assertThat(map(status.json().get("agent"))).as("%s", status).containsEntry("running", true);
            assertThat(list(status.json().get("threads"))).as("the worker's rule is shown%s", status)
                    .anySatisfy(t -> assertThat(t).containsEntry("name", "gpu-worker-1").containsEntry("rule", "gpu-workers"));
            assertThat(listeningTcpSockets(app.pid())).as("listening TCP sockets of the JVM after status%s", status)
                    .isEqualTo(before);

            new ProcessBuilder("kill", "-STOP", Long.toString(app.pid())).start().waitFor(30, TimeUnit.SECONDS);
            try {
                AgentCli.Result stopped = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()), "--timeout", "2");
                assertThat(stopped.status()).as("%s", stopped).isEqualTo(1);
                assertThat(stopped.err()).as("%s", stopped).contains("did not answer within 2 s")
                        .contains("it is stopped (state T").contains("kill -CONT " + app.pid());
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(app.pid())).start().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            Files.createFile(control.resolve("release"));
        }
        app.await();
    }

    /**
     * A JVM (as nobody where the tests run as root) that names a thread with a forged dump header
     * pointing at another process, names one numa-agent, writes escape sequences in a name and plants
     * a JMX address: status says no agent runs, uses no forged name, escapes the rest; attach binds no
     * thread through the forged header (the other process keeps its CPUs) and never connects to JMX.
     */
    @Test
    void a_lying_target_is_shown_and_attached_to_without_trusting_it() throws Exception {
        Jdk jdk = Jdk.current();
        Path dir = Artifacts.newRunDir("trust-hostile");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sys = Files.createDirectories(dir.resolve("sys-for-attach"));
        TOPOLOGY.writeTo(sys);
        Path config = dir.resolve("rules.yaml");
        Files.writeString(config, RULES);
        Process victim = new ProcessBuilder("sleep", "300").start();
        Path release = dir.resolve("release");
        JvmRun launch = JvmRun.on(jdk, dir).withoutAgent()
                .mainClass(System.getProperty("numa.it.testClasses"), HostileTargetApp.class.getName())
                .app(Long.toString(victim.pid()), release.toString());
        boolean asNobody = Files.isExecutable(Path.of("/usr/bin/setpriv")) && "root".equals(System.getProperty("user.name"));
        if (asNobody) {
            launch.wrappedIn("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");
        }
        RunningJvm app = launch.start();
        try {
            app.awaitStderr(HostileTargetApp.READY);
            String victimCpus = ProcTasks.cpusOfTask(victim.pid(), victim.pid());
            Set<String> before = listeningTcpSockets(app.pid());

            AgentCli.Result status = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()), "--json");
            assertThat(status.status()).as("%s", status).isZero();
            assertThat(map(status.json().get("agent"))).as("a thread named numa-agent is no agent%s", status)
                    .containsEntry("running", false);
            assertThat(status.json()).as("%s", status).containsEntry("java_names", "comm");
            assertThat(String.valueOf(status.json().get("warnings"))).as("%s", status).contains("the thread dump it is ambiguous");
            AgentCli.Result table = AgentCli.run(jdk, dir, "status", Long.toString(app.pid()));
            assertThat(table.status()).as("%s", table).isZero();
            assertThat(table.out()).as("no escape sequence reaches the terminal%s", table)
                    .doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b")
                    .contains("not running in this JVM");

            AgentCli.Result attach = AgentCli.run(jdk, dir, "attach", Long.toString(app.pid()), config.toString(),
                    "--sysfs", sys.toString(), "--json");
            assertThat(attach.json()).as("%s", attach).containsEntry("loaded", true);
            assertThat(list(attach.json().get("running_threads"))).as("%s", attach)
                    .filteredOn(t -> "gpu-worker-1".equals(t.get("name")))
                    .singleElement().satisfies(t -> assertThat(t).containsEntry("outcome", "failed").containsEntry("tid", null));
            assertThat(ProcTasks.cpusOfTask(victim.pid(), victim.pid())).as("the other process's CPUs%s", attach)
                    .isEqualTo(victimCpus);
            assertThat(listeningTcpSockets(app.pid())).as("listening TCP sockets after status and attach").isEqualTo(before);
            assertThat(app.stderrSoFar()).as("the JVM's JMX agent was never started").doesNotContain("jmxremote");
        } finally {
            Files.writeString(release, "");
            victim.destroy();
        }
        app.await();
    }

    /** A dry-run attach leaves nothing installed: the next attach loads the agent and binds for real. */
    @Test
    void a_dry_run_attach_leaves_the_jvm_to_a_real_one() throws Exception {
        Jdk jdk = Jdk.current();
        Path dir = Artifacts.newRunDir("trust-dry-run");
        Path control = Files.createDirectories(dir.resolve("control"));
        Path sys = Files.createDirectories(dir.resolve("sys-for-attach"));
        TOPOLOGY.writeTo(sys);
        Path config = dir.resolve("rules.yaml");
        Files.writeString(config, RULES);
        RunningJvm app = JvmRun.on(jdk, dir).withoutAgent()
                .app("--devices=2", "--pool=1", "--hold-ms=120000", "--control-dir=" + control).start();
        try {
            app.awaitHolding();
            AgentCli.Result dry = AgentCli.run(jdk, dir, "attach", Long.toString(app.pid()), config.toString(),
                    "--sysfs", sys.toString(), "--dry-run");
            assertThat(dry.status()).as("%s", dry).isZero();
            assertThat(dry.out()).as("%s", dry).contains("for a dry run").contains("nothing stays installed");
            AgentCli.Result real = AgentCli.run(jdk, dir, "attach", Long.toString(app.pid()), config.toString(),
                    "--sysfs", sys.toString(), "--json");
            assertThat(real.status()).as("%s", real).isZero();
            assertThat(real.json()).as("%s", real).containsEntry("loaded", true).containsEntry("already_running", false)
                    .containsEntry("dry_run", false);
            Map<String, Object> worker = list(real.json().get("running_threads")).stream()
                    .filter(t -> "gpu-worker-1".equals(t.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no gpu-worker-1" + real));
            assertThat(ProcTasks.cpusOfTask(app.pid(), (Long) worker.get("tid"))).as("the kernel%s", real)
                    .isEqualTo(TOPOLOGY.cpusOf(0));
        } finally {
            Files.createFile(control.resolve("release"));
        }
        app.await();
    }
}
