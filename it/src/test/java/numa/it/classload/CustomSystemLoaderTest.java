package numa.it.classload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;

/**
 * {@code -Djava.system.class.loader=numa.it.classload.CustomSystemLoader}. The order, as the run
 * shows it: the JVM creates the custom loader first, then hands it the agent jar
 * ({@code appendToClassPathForInstrumentation}), then runs premain, with the launcher loaded by the
 * custom loader. The agent's own loader depends on none of that (its parent is the platform
 * loader, it reads its jar from the launcher's code source), and the application's classes, loaded
 * by the custom loader, are matched and instrumented like any others.
 */
class CustomSystemLoaderTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("custom-system-loader-jdk" + jdk.feature()))
            .jvmOption("-Djava.system.class.loader=" + CustomSystemLoader.class.getName())
            .sysfs(TOPOLOGY).config("""
                    devices:
                      source: static
                      nodes: [0, 1]
                    rules:
                      - name: custom-workers
                        thread: 'custom-worker-(\\d+)'
                        device: $1
                      - name: custom-calls
                        method: numa.it.classload.CustomLoaderApp#create
                        device: arg0
                        bind: call
                    """)
            .mainClass(System.getProperty("numa.it.testClasses"), CustomLoaderApp.class.getName())
            .run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_custom_loader_exists_before_premain_and_loads_the_app(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        // JDK 25 also prints its CDS warning about -Djava.system.class.loader on stdout
        List<String> lines = run.stdout().lines().filter(l -> !l.contains("[cds]")).toList();
        assertThat(lines).as("%s", run).startsWith("custom system loader created",
                "custom system loader: append " + Artifacts.agentJar());
        assertThat(run.stdout()).as("%s", run)
                .contains("app loader custom-system system loader " + CustomSystemLoader.class.getName()).contains("done");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void thread_and_method_rules_bind_the_custom_loaders_classes(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(Probes.cpus(run, "custom-worker-1")).as("thread rule%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(Probes.cpus(run, "custom-call")).as("method rule%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(run.agentWarnings()).as("%s", run).noneMatch(w -> w.contains("could not start") || w.contains("internal error"));
        assertThat(Host.allowedCpuList()).isNotEqualTo(TOPOLOGY.cpusOf(1)); // else the test proves nothing
    }
}
