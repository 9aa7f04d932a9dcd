package numa.it.classload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

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
 * An application on the module path ({@code java -p mods -m app/app.Main}), a named module that
 * requires nothing but java.base and exports nothing: a thread rule on its worker, a method rule on
 * a class of a package it does not export. The calls the agent inlines there go to
 * {@code java.lang.NumaAgentBridge}, which the module must be able to read and link to (java.base,
 * java.lang: read by every module, exported to all). Compiled here, with the JDK's compiler, for
 * release 17 (so JDK 17 and 25 both run it).
 */
class ModulePathTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final Map<String, String> SOURCES = Map.of(
            "module-info.java", "module app { }",
            "app/Main.java", """
                    package app;

                    public final class Main {
                        public static void main(String[] args) throws Exception {
                            Thread worker = new Thread(() -> System.out.println("probe module-worker-1 cpus="
                                    + app.internal.Server.cpus()), "module-worker-1");
                            worker.start();
                            worker.join();
                            System.out.println("probe module-call cpus=" + app.internal.Server.create(1));
                            System.out.println("probe module-after-call cpus=" + app.internal.Server.cpus());
                            System.out.println("module " + Main.class.getModule().getName()
                                    + " exports app.internal: " + Main.class.getModule().isExported("app.internal"));
                            System.out.println("done");
                        }
                    }
                    """,
            "app/internal/Server.java", """
                    package app.internal;

                    import java.nio.file.Files;
                    import java.nio.file.Path;

                    public final class Server {
                        public static String create(int device) {
                            return cpus();
                        }

                        public static String cpus() {
                            try {
                                return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                                        .filter(l -> l.startsWith("Cpus_allowed_list:"))
                                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
                            } catch (Exception e) {
                                return "error:" + e;
                            }
                        }
                    }
                    """);

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> {
        JvmRun run = JvmRun.on(jdk, Artifacts.newRunDir("module-path-jdk" + jdk.feature()));
        Path mods = compile(run.dir());
        return run.sysfs(TOPOLOGY).config("""
                        devices:
                          source: static
                          nodes: [0, 1]
                        rules:
                          - name: module-workers
                            thread: 'module-worker-(\\d+)'
                            device: $1
                          - name: module-calls
                            method: app.internal.Server#create
                            device: arg0
                            bind: call
                        """).agentArg("log-level", "debug")
                .module(mods.toString(), "app/app.Main").run();
    });

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    /** The module, compiled into {@code mods/app} of the run folder. */
    private static Path compile(Path dir) {
        try {
            Path src = dir.resolve("src");
            for (Map.Entry<String, String> e : SOURCES.entrySet()) {
                Path file = src.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
            }
            Path out = dir.resolve("mods/app");
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            List<String> args = new java.util.ArrayList<>(List.of("--release", "17", "-d", out.toString()));
            for (String name : SOURCES.keySet()) {
                args.add(src.resolve(name).toString());
            }
            int status = javac.run(null, null, null, args.toArray(new String[0]));
            assertThat(status).as("javac of the module app").isZero();
            return dir.resolve("mods");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_module_app_runs_to_its_end(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.stdout()).as("%s", run).contains("module app exports app.internal: false").contains("done");
        assertThat(run.stderr()).as("%s", run).doesNotContain("Error").doesNotContain("Exception");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_thread_of_a_named_module_is_bound(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(Probes.cpus(run, "module-worker-1")).as("%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_method_in_a_package_the_module_does_not_export_is_bound(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.agentLines()).as("%s", run)
                .anyMatch(l -> l.contains("rule module-calls: instrumented app.internal.Server.create(int)"));
        assertThat(Probes.cpus(run, "module-call")).as("inside the call%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(Probes.cpus(run, "module-after-call")).as("after it%s", run).isEqualTo(Host.allowedCpuList());
    }
}
