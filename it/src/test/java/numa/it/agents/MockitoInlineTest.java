package numa.it.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;

/**
 * Mockito's inline mock maker (Mockito 5's default) in a JVM numa-agent instruments: Mockito
 * attaches ByteBuddy's agent to its own JVM and retransforms what it mocks and every superclass,
 * so mocking a subclass of Thread retransforms {@code java.lang.Thread}, which numa-agent rewrote at
 * start. Mocks and spies behave, the real method of a spied class a numa method rule names is
 * bound, and a thread started after Mockito retransformed Thread is still bound (it was not, before
 * numa-agent kept its Thread transformer registered: see Hooks.install).
 *
 * <p>On JDK 21+ a self-attach prints the JVM's dynamic-agent warning (JEP 451), Mockito's and not
 * numa-agent's: the runs pass {@code -XX:+EnableDynamicAgentLoading}, as a build using Mockito's
 * self-attach on those JDKs does.
 */
class MockitoInlineTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
              - name: serving
                method: numa.it.agents.MockedApp$ModelServer#serve
                device: arg0
                bind: call
            """;
    private static final Pattern ERROR = Pattern.compile("\\b\\w*(Error|Exception)\\b");
    private static final Map<String, HeldRun> RUNS = new HashMap<>();

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static synchronized HeldRun run(Jdk jdk, boolean withNumaAgent) {
        return RUNS.computeIfAbsent(jdk.feature() + "-" + withNumaAgent, k -> {
            JvmRun launch = JvmRun.on(jdk, Artifacts.newRunDir("mockito-" + (withNumaAgent ? "numa" : "none") + "-jdk" + jdk.feature()))
                    .sysfs(TOPOLOGY).config(CONFIG).mainClass(classpath(), MockedApp.class.getName());
            if (!withNumaAgent) {
                launch.withoutAgent();
            }
            if (jdk.feature() >= 21) {
                launch.jvmOption("-XX:+EnableDynamicAgentLoading");
            }
            return HeldRun.of(launch, "mocked-app");
        });
    }

    private static String classpath() {
        Path libs = Path.of(System.getProperty("numa.it.mockitoLibs"));
        try (Stream<Path> jars = Files.list(libs)) {
            return Stream.concat(Stream.of(System.getProperty("numa.it.testClasses")),
                    jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted())
                    .collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException("Mockito's jars missing from " + libs + " (mvn generate-test-resources -pl it)", e);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void mocks_and_spies_behave(Jdk jdk) {
        HeldRun held = run(jdk, true);
        assertThat(held.run().exitCode()).as("exit status%s", held).isZero();
        assertThat(held.results()).as("what the mocks answered%s", held).containsExactly(
                "result mock serve(1)=stubbed 1 serve(0)=null",
                "result spy serve(1)=served 1",
                "result spy verified",
                "result real serve(0)=served 0",
                "result mocked thread device()=7",
                "result spied thread name=gpu-worker-3 device()=3");
        HeldRun alone = run(jdk, false);
        assertThat(held.results()).as("the same as without numa-agent%s", alone).isEqualTo(alone.results());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_thread_started_after_mockito_retransformed_thread_is_bound(Jdk jdk) {
        HeldRun held = run(jdk, true);
        for (int w = 0; w < 2; w++) {
            String cpus = TOPOLOGY.cpusOf(w);
            // gpu-worker-0 starts before Mockito is first used, gpu-worker-1 after it mocked a Thread subclass
            assertThat(held.run().stdout()).as("gpu-worker-%d as it saw itself%s", w, held)
                    .contains("seen thread gpu-worker-" + w + " cpus=" + cpus);
            assertThat(held.tasks().get("gpu-worker-" + w)).as("gpu-worker-%d in /proc%s", w, held).isEqualTo(cpus);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_real_method_of_a_spy_is_bound_and_a_stubbed_call_runs_none(Jdk jdk) {
        HeldRun held = run(jdk, true);
        List<String> calls = held.run().stdout().lines().filter(l -> l.startsWith("seen serve ")).toList();
        // the spy's serve(1) and a plain instance's serve(0); the mock's stubbed calls run no body
        assertThat(calls).as("real calls of serve%s", held).containsExactly(
                "seen serve device=1 on main cpus=" + TOPOLOGY.cpusOf(1),
                "seen serve device=0 on main cpus=" + TOPOLOGY.cpusOf(0));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void neither_reports_a_problem(Jdk jdk) {
        HeldRun held = run(jdk, true);
        assertThat(held.run().stderr().lines()).as("errors or exceptions (a LinkageError, a VerifyError)%s", held)
                .noneMatch(l -> ERROR.matcher(l).find());
        assertThat(held.run().agentWarnings()).as("numa-agent warnings%s", held)
                .allMatch(OpenTelemetryAgentTest::isTheFakeNodesMemoryRefusal);
    }
}
