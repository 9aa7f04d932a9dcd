package numa.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;

/**
 * The application never waits on the agent while the agent waits on it, and never for a start-up
 * that is stuck: a config of thread rules is read in the background (after premain), and what a
 * thread start, a shutdown or the agent's own log lines may wait for is checked with real JVMs.
 * No figure is asserted: each case tells a wait by what the agent or the application says (the
 * agent's "took more than" warning after its 30-second budget, the stuck library's last line).
 */
class NeverWaitTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String THREAD_RULES = """
            devices:
              source: %s
              nodes: [0, 1]
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;
    /** What the agent says once a start waited for its whole budget. */
    private static final String WAITED = "took more than";
    private static Path stuckNvmlDir;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    /** A libnvidia-ml.so.1 whose nvmlInit_v2 sleeps 45 s (built with gcc, as the seccomp wrapper is). */
    @BeforeAll
    static void buildStuckNvml() throws Exception {
        stuckNvmlDir = Artifacts.newRunDir("stuck-nvml-build");
        Path source = stuckNvmlDir.resolve("stuck-nvml.c");
        try (InputStream in = NeverWaitTest.class.getResourceAsStream("/faults/stuck-nvml.c")) {
            Files.copy(in, source);
        }
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-O", "-Wall", "-o",
                    stuckNvmlDir.resolve("libnvidia-ml.so.1").toString(), source.toString())
                    .redirectErrorStream(true).redirectOutput(stuckNvmlDir.resolve("gcc.txt").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("gcc is needed to build the stuck NVML library and cannot be run here: " + e.getMessage());
            return;
        }
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).as("gcc finished").isTrue();
        assertThat(gcc.exitValue()).as("gcc: %s", Files.readString(stuckNvmlDir.resolve("gcc.txt"))).isZero();
    }

    private static JvmRun app(Jdk jdk, String label, String yaml, String mode) {
        return JvmRun.on(jdk, Artifacts.newRunDir("never-wait-" + label + "-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(yaml)
                .mainClass(System.getProperty("numa.it.testClasses"), NeverWaitApp.class.getName()).app(mode);
    }

    /**
     * The command line under the agent (JAVA_TOOL_OPTIONS, as an operator's shell may have it): its
     * main loads JNA, whose first load runs ldconfig, whose "process reaper" thread starts while
     * main holds JNA's class initialisation, which the agent's start-up needs too. Before, 3 runs
     * in 10 stalled for the 30-second budget; a thread no rule names now never waits.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void the_command_line_under_the_agent_never_waits_for_its_start_up(Jdk jdk) {
        for (int i = 0; i < 10; i++) {
            RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("never-wait-cli-" + i + "-jdk" + jdk.feature()))
                    .sysfs(TOPOLOGY).config(THREAD_RULES.formatted("static"))
                    .mainClass(Artifacts.agentJar().toString(), "numa.agent.launcher.AgentLauncher")
                    .app("topology", "--sysfs", TOPOLOGY.writeTo(Artifacts.newRunDir("never-wait-cli-sys")).toString())
                    .run();
            assertThat(run.exitCode()).as("run %d: exit status%s", i, run).isZero();
            assertThat(run.stderr()).as("run %d: no start waited for the agent%s", i, run).doesNotContain(WAITED);
        }
    }

    /**
     * Device discovery is stuck (NVML's init sleeps 45 s): a thread no rule names starts at once,
     * and SIGTERM ends the JVM after its three shutdown hooks without waiting for the agent (before,
     * the thread start and each hook waited 30 s).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void a_stuck_start_up_holds_neither_unmatched_starts_nor_the_exit(Jdk jdk) {
        RunningJvm jvm = app(jdk, "term", THREAD_RULES.formatted("nvidia").replace("  nodes: [0, 1]\n", ""), "term")
                .env("LD_LIBRARY_PATH", stuckNvmlDir.toString()).start();
        jvm.awaitStderr("ready");
        jvm.awaitStderr("stuck-nvml: nvmlInit_v2 sleeps");
        jvm.terminate();
        RunResult run = jvm.await();
        assertThat(run.timedOut()).as("ended%s", run).isFalse();
        assertThat(run.stdout()).as("the thread and the hooks ran%s", run)
                .contains("plain ").contains("hook 1 ran").contains("hook 2 ran").contains("hook 3 ran");
        assertThat(run.stderr()).as("nothing waited for the stuck start-up%s", run)
                .doesNotContain(WAITED).doesNotContain("stuck-nvml: nvmlInit_v2 returned");
    }

    /**
     * The application holds System.err's lock while it starts threads, one of which a rule names
     * (so it waits for the start-up, which logs the topology meanwhile): the agent's lines do not
     * need that lock, so the start-up finishes and the worker is bound (before: 30 s, unbound).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void starts_under_the_applications_stderr_lock_do_not_wait(Jdk jdk) {
        RunResult run = app(jdk, "stderr-lock", THREAD_RULES.formatted("static"), "stderr-lock").run();
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.stderr()).as("no start waited out the budget%s", run).doesNotContain(WAITED);
        assertThat(run.stdout()).as("the worker bound, the other thread left alone%s", run)
                .contains("gpu-worker-1 " + TOPOLOGY.cpusOf(1)).contains("plain ");
        assertThat(run.agentLines()).as("the topology lines, whole%s", run)
                .anySatisfy(l -> assertThat(l).startsWith("numa-agent: topology from "));
    }

    /**
     * {@code on-error: fail} written so that a one-line scan misses it (its value on the next line,
     * after a comment) and an impossible binding: the JVM stops before main, never after main has
     * started its work (before: the background start-up exited 78 in the middle of main).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void on_error_fail_acts_before_main_or_never(Jdk jdk) {
        String yaml = """
                devices:
                  source: static
                  nodes: [0, 1]
                binding:
                  on-error:   # stop the JVM on a mistake
                    fail
                rules:
                  - name: gpu-workers
                    thread: 'gpu-worker-(\\d+)'
                    device: 5
                """;
        RunResult run = app(jdk, "fail-hidden", yaml, "main-started").run();
        assertThat(run.exitCode()).as("exit status%s", run).isEqualTo(78);
        assertThat(run.stdout()).as("main never started%s", run).doesNotContain("main started");
    }
}
