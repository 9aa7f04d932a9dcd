package numa.it.classload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;

/**
 * Method rules naming the libraries the agent uses itself (ByteBuddy, JNA, SLF4J, snakeyaml) and
 * the agent's own package, with an application that ships its own, older copies of those libraries
 * (the jars of the isolation test): the application's copies are instrumented and bind its threads
 * like any application class; the agent's copies, in its own class loader, and the agent itself
 * never are (the agent would call its hooks from its hooks), and a rule naming the agent says so.
 */
class AgentLibrariesRulesTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final List<String> LIBRARIES = List.of("bytebuddy", "jna", "slf4j", "snakeyaml");

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("agent-libraries-rules-jdk" + jdk.feature()))
            .sysfs(TOPOLOGY).config("""
                    devices:
                      source: static
                      nodes: [0, 1]
                    rules:
                      - name: bytebuddy
                        method: net.bytebuddy.ByteBuddy#*
                        node: 1
                      - name: jna
                        method: com.sun.jna.Native#load
                        node: 1
                      - name: slf4j
                        method: org.slf4j.LoggerFactory#*
                        node: 1
                      - name: snakeyaml
                        method: org.snakeyaml.engine.v2.api.Load#*
                        node: 1
                      - name: the-agent
                        method: numa.agent.**#*
                        node: 0
                    """).agentArg("log-level", "debug")
            .mainClass(classpath(), OwnLibrariesApp.class.getName())
            .run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    /** The test classes and the isolation jars (older ByteBuddy, JNA, SLF4J, snakeyaml-engine). */
    private static String classpath() {
        Path libs = Path.of(System.getProperty("numa.it.isolationLibs"));
        try (Stream<Path> jars = Files.list(libs)) {
            return Stream.concat(Stream.of(System.getProperty("numa.it.testClasses")),
                    jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted())
                    .collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new IllegalStateException("isolation jars missing from " + libs + " (mvn generate-test-resources)", e);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_apps_copies_of_the_agents_libraries_are_instrumented_like_any_class(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.stdout()).as("%s", run).contains("done");
        for (String lib : LIBRARIES) {
            assertThat(Probes.cpus(run, "use-" + lib)).as("the thread that used the app's %s%s", lib, run)
                    .isEqualTo(TOPOLOGY.cpusOf(1));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_agent_never_instruments_itself(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.agentLines()).as("%s", run).noneMatch(l -> l.contains("instrumented numa.agent."));
        assertThat(run.agentLines()).as("%s", run).noneMatch(l -> l.contains("(rule the-agent"));
        assertThat(run.agentWarnings()).as("%s", run).anyMatch(l -> l.contains("rule the-agent: 'numa.agent.**#*' names"
                + " the agent's own classes, which are never instrumented"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_agents_own_copy_of_jna_is_not_instrumented(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        // JNA's Native.load(String, Class) exists in both copies, both loaded once the agent runs
        // (the agent's at premain, retransformed if it were named): instrumented once, not twice
        long lines = run.agentLines().stream()
                .filter(l -> l.contains("rule jna: instrumented com.sun.jna.Native.load(String, Class)")).count();
        assertThat(lines).as("%s", run).isEqualTo(1);
    }
}
