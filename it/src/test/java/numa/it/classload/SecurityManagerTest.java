package numa.it.classload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * An application under a security manager, JDK 17-23 (JDK 24 removed it: {@code -Djava.security.manager}
 * stops that JVM itself, JEP 486, so those JDKs are skipped). The policy grants the application
 * only what it needs (/proc, installing the manager), nothing to the agent unless said.
 * <ul>
 * <li>{@code =allow} and {@code System.setSecurityManager} in main: the agent started without one;
 * its hooks then run on the application's threads with the application's frames on the stack, and
 * bind (they run as the agent, which has every permission). Without that, the thread hook failed
 * reading sysfs ({@code AccessControlException}).</li>
 * <li>{@code -Djava.security.manager} from the start and no grant to the agent: one line says the
 * manager denies it and how to grant it; the application runs on.</li>
 * <li>the same with the grant the line gives: bound.</li>
 * </ul>
 */
class SecurityManagerTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            rules:
              - name: sm-workers
                thread: 'sm-worker-(\\d+)'
                device: $1
              - name: sm-calls
                method: numa.it.classload.SecurityManagerApp#create
                device: arg0
                bind: call
            """;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static JvmRun run(Jdk jdk, String label, boolean grantAgent) {
        assumeTrue(jdk.feature() < 24, "JDK " + jdk.feature() + " has no security manager (JEP 486):"
                + " -Djava.security.manager stops the JVM itself, with or without the agent");
        JvmRun run = JvmRun.on(jdk, Artifacts.newRunDir(label + "-jdk" + jdk.feature()));
        String classes = Path.of(System.getProperty("numa.it.testClasses")).toAbsolutePath().toString();
        String policy = "grant codeBase \"file:" + classes + "/-\" {\n"
                + "  permission java.io.FilePermission \"/proc/-\", \"read\";\n"
                + "  permission java.lang.RuntimePermission \"createSecurityManager\";\n"
                + "  permission java.lang.RuntimePermission \"setSecurityManager\";\n"
                + "};\n";
        if (grantAgent) {
            policy += "grant codeBase \"file:" + Artifacts.agentJar() + "\" {\n"
                    + "  permission java.security.AllPermission;\n};\n";
        }
        try {
            Files.writeString(run.dir().resolve("app.policy"), policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // '==': this policy only, not added to the JDK's default one
        return run.jvmOption("-Djava.security.policy==" + run.dir().resolve("app.policy"))
                .sysfs(TOPOLOGY).config(CONFIG)
                .mainClass(classes, SecurityManagerApp.class.getName());
    }

    private static void assertRanToItsEnd(RunResult run) {
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.stdout()).as("%s", run).contains("security manager true").contains("done");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void hooks_bind_under_a_security_manager_the_app_installs(Jdk jdk) {
        RunResult run = run(jdk, "security-manager-installed", false)
                .jvmOption("-Djava.security.manager=allow").app("install").run();
        assertRanToItsEnd(run);
        assertThat(run.agentWarnings()).as("%s", run).noneMatch(w -> w.contains("AccessControlException")
                || w.contains("internal error") || w.contains("cannot bind"));
        assertThat(Probes.cpus(run, "sm-worker-1")).as("thread rule%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(Probes.cpus(run, "sm-call")).as("method rule%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_security_manager_from_the_start_without_a_grant_gets_one_line_and_the_app_runs_on(Jdk jdk) {
        RunResult run = run(jdk, "security-manager-at-start", false).jvmOption("-Djava.security.manager").run();
        assertRanToItsEnd(run);
        assertThat(run.agentLines()).as("%s", run).singleElement().asString()
                .startsWith("numa-agent: could not start: the security manager denies it")
                .contains("permission java.security.AllPermission;");
        assertThat(Probes.cpus(run, "sm-worker-1")).as("%s", run).isEqualTo(Host.allowedCpuList());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_security_manager_from_the_start_with_the_grant_binds(Jdk jdk) {
        RunResult run = run(jdk, "security-manager-granted", true).jvmOption("-Djava.security.manager").run();
        assertRanToItsEnd(run);
        assertThat(Probes.cpus(run, "sm-worker-1")).as("thread rule%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(Probes.cpus(run, "sm-call")).as("method rule%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }
}
