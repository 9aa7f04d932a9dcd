package numa.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;

/**
 * A rule's expression reads a getter of the application that throws (a new message each call) and
 * counts its calls: on a real JVM the application's 200 calls all return normally, the getter runs
 * exactly once per call (the agent never retries it, never calls it twice), and the agent says one
 * warning, then at exit how many more times it happened.
 */
class FaultyGetterTest {
    private static final String CONFIG = """
            rules:
              - name: by-handle
                method: 'numa.it.faults.FaultyGetterApp$Server#handle'
                node: arg0.index
                bind: call
            """;

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("faulty-getter-jdk" + jdk.feature()))
            .sysfs(FakeTopology.onThisMachine()).config(CONFIG)
            .mainClass(System.getProperty("numa.it.testClasses"), FaultyGetterApp.class.getName())
            .run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_application_never_notices_and_the_agent_says_one_warning(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        int n = FaultyGetterApp.CALLS;
        assertThat(run.exitCode()).as("exit%s", run).isZero();
        assertThat(run.stdout().strip()).as("stdout%s", run).isEqualTo("calls=" + n + " returned=" + n + " getter=" + n);
        assertThat(run.agentWarnings()).as("warnings%s", run).singleElement().asString()
                .contains("rule by-handle").contains("FaultyGetterApp$Handle.getIndex() threw java.lang.IllegalStateException")
                .contains("handle closed (read 1)").contains("it stays unbound");
        assertThat(run.agentLines()).as("the exit summary%s", run).anySatisfy(l -> assertThat(l)
                .startsWith("numa-agent: " + (n - 1) + " more times after it was logged: rule by-handle"));
    }
}
