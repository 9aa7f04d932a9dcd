package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.ThreadReport;

/**
 * A {@code process} rule binds the worker processes the engine spawns
 * ({@code java -jar testapp.jar --spawn-worker --device=D}, no agent in them): each reads its own
 * {@code Cpus_allowed_list} at the first line of its main, and that of every thread of its JVM,
 * under each launch mechanism of the JDK (posix_spawn through jspawnhelper by default, FORK, and
 * VFORK, deprecated on JDK 25 but still there). The spawning thread is the same after
 * {@code start()} returns, and the JDK's process reaper threads, started during the spawn, are not
 * left on a worker's node.
 */
class ProcessRuleTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            binding:
              memory: preferred
            rules:
              - name: spawned-workers
                process: '.*--spawn-worker --device=(\\d+)'
                device: $1
            """;
    private static final Map<String, RunResult> RUNS = new HashMap<>();

    static List<Arguments> jdksAndMechanisms() {
        List<Arguments> all = new ArrayList<>();
        for (Jdk jdk : Jdk.available()) {
            for (String mechanism : List.of("default", "FORK", "VFORK")) {
                all.add(Arguments.of(jdk, mechanism));
            }
        }
        return all;
    }

    private static synchronized RunResult run(Jdk jdk, String mechanism) {
        return RUNS.computeIfAbsent(jdk.feature() + mechanism, k -> {
            JvmRun run = JvmRun.on(jdk, Artifacts.newRunDir("process-rule-" + mechanism + "-jdk" + jdk.feature()));
            if (!mechanism.equals("default")) {
                run.jvmOption("-Djdk.lang.Process.launchMechanism=" + mechanism);
            }
            return run.sysfs(TOPOLOGY).config(CONFIG).app("--spawn-workers=2", "--tasks", "--json").run();
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndMechanisms")
    void each_worker_process_runs_on_its_devices_node_from_its_first_line(Jdk jdk, String mechanism) {
        RunResult run = run(jdk, mechanism);
        for (int device = 0; device < 2; device++) {
            ThreadReport worker = run.reports().row("spawn-worker-" + device, "start");
            assertThat(worker.cpus()).as("worker process of device %d (node %d)%s", device, device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(device));
            assertThat(worker.policy()).as("worker process of device %d memory policy%s", device, run)
                    .isEqualTo(ExpectedPolicy.bound(jdk, "preferred", device));
            assertThat(run.reports().row("spawn-worker-" + device + "-tasks", "start").cpus())
                    .as("every thread of the worker JVM of device %d%s", device, run).isEqualTo(TOPOLOGY.cpusOf(device));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndMechanisms")
    void the_spawning_thread_is_unchanged_after_start_returns(Jdk jdk, String mechanism) {
        RunResult run = run(jdk, mechanism);
        List<ThreadReport> main = run.reports().ofKind("main");
        assertThat(main).as("main before, after each start, after%s", run).hasSize(4).allSatisfy(m -> {
            assertThat(m.cpus()).as("main %s", m.phase()).isEqualTo(Host.allowedCpuList());
            assertThat(m.policy()).as("main %s policy", m.phase()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndMechanisms")
    void process_reaper_threads_started_during_the_spawn_keep_the_original_cpus(Jdk jdk, String mechanism) {
        RunResult run = run(jdk, mechanism);
        List<ThreadReport> reapers = run.reports().tasks().stream().filter(t -> t.name().equals("process reaper")).toList();
        assertThat(reapers).as("process reaper threads%s", run).isNotEmpty()
                .allSatisfy(t -> assertThat(t.cpus()).isEqualTo(Host.allowedCpuList()));
    }

    /** Usually ProcessBuilder loads after the agent (and is rewritten then); loaded before, it is retransformed. */
    @org.junit.jupiter.api.Test
    void a_process_builder_loaded_before_the_agent_is_rewritten_too() {
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("process-rule-preloaded"))
                .jvmOption("-javaagent:" + Artifacts.testappJar() + "=java.lang.ProcessBuilder")
                .sysfs(TOPOLOGY).config(CONFIG).app("--spawn-workers=2", "--json").run();
        for (int device = 0; device < 2; device++) {
            assertThat(run.reports().row("spawn-worker-" + device, "start").cpus()).as("worker %d%s", device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(device));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndMechanisms")
    void each_spawn_is_logged_with_its_rule_device_and_binding(Jdk jdk, String mechanism) {
        RunResult run = run(jdk, mechanism);
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .startsWith("numa-agent: process '").contains("--spawn-worker --device=1' (rule spawned-workers, device 1)"
                        + " bound to node 1 cpus=" + TOPOLOGY.cpusOf(1) + " memory="));
    }
}
