package numa.it.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * An application that ships its own, older ByteBuddy, JNA, SLF4J with slf4j-simple, and
 * snakeyaml-engine (real jars from Maven Central, see it/pom.xml) runs unchanged with the agent
 * attached: each library it uses is its own, loaded by its own class loader, its logging goes
 * through its own binding, and the agent still binds its worker.
 */
class IsolationTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("isolation-jdk" + jdk.feature()))
            .sysfs(TOPOLOGY).config(CONFIG)
            .mainClass(classpath(), ConflictingLibrariesApp.class.getName())
            .run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

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

    /** {@code lib NAME from=PATH loader=CLASS detail=...} lines, by NAME. */
    private static Map<String, String> libraries(RunResult run) {
        return run.stdout().lines().filter(l -> l.startsWith("lib "))
                .collect(Collectors.toMap(l -> l.split(" ")[1], Function.identity()));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_app_uses_its_own_library_versions(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        Map<String, String> libs = libraries(run);
        assertThat(libs).as("libraries reported%s", run).containsOnlyKeys("bytebuddy", "jna", "slf4j", "snakeyaml");
        assertThat(libs.get("bytebuddy")).contains("byte-buddy-1.12.19.jar").contains("detail=bytebuddy-works")
                // the agent's copy would come from its jar; the checkout's folder may be named numa-agent
                .doesNotContain("numa-agent.jar").doesNotContain("/inst/");
        assertThat(libs.get("jna")).contains("jna-5.8.0.jar").contains("detail=5.8.0");
        assertThat(libs.get("slf4j")).contains("slf4j-api-1.7.36.jar").contains("detail=org.slf4j.impl.SimpleLoggerFactory");
        assertThat(libs.get("snakeyaml")).contains("snakeyaml-engine-2.7.jar").contains("detail={answer=42}");
        for (String line : libs.values()) {
            assertThat(line).as("loaded by the application's loader").contains("loader=jdk.internal.loader.ClassLoaders$AppClassLoader");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_apps_logging_goes_through_its_own_binding(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        // slf4j-simple's format, on stderr: "[main] INFO isolation-app - ..."
        assertThat(run.stderr()).as("app log line%s", run).contains("INFO isolation-app - app logging through its own binding");
        assertThat(run.stderr()).as("no SLF4J complaint about bindings%s", run).doesNotContain("SLF4J:");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_agent_still_binds_the_worker(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.stdout()).as("worker line%s", run).contains("worker gpu-worker-1 cpus=" + TOPOLOGY.cpusOf(1));
        assertThat(run.stderr()).contains("numa-agent: thread 'gpu-worker-1' (rule gpu-workers, device 1) bound to node 1");
    }
}
