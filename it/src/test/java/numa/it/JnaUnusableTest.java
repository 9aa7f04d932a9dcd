package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * JNA's native stub cannot load (noexec temp folder, a CPU without a stub, a locked-down host):
 * the agent cannot make a system call, so it says one line and the application runs unbound.
 *
 * <p>How it is broken, for real: JNA looks for {@code libjnidispatch} in
 * {@code jna.boot.library.path}, then on the system library path unless {@code jna.nosys=true},
 * then unpacks it from its jar into {@code jna.tmpdir} unless {@code jna.nounpack=true}. Closing
 * all three leaves it nowhere to come from ("Could not find JNA native support"); the tmpdir on
 * /proc (where no file can be created) also breaks the unpack step should anything re-enable it.
 */
class JnaUnusableTest {
    static final List<String> BREAK_JNA = List.of("-Djna.boot.library.path=/nonexistent", "-Djna.nosys=true",
            "-Djna.nounpack=true", "-Djna.tmpdir=/proc");

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void application_runs_unbound_and_the_agent_says_one_line(Jdk jdk) {
        JvmRun launch = JvmRun.on(jdk, Artifacts.newRunDir("jna-unusable-jdk" + jdk.feature()))
                .sysfs(FakeTopology.onThisMachine()).config(BoundConfig.YAML)
                .app("--devices=4", "--pool=2", "--json");
        BREAK_JNA.forEach(launch::jvmOption);
        RunResult run = launch.run();
        assertThat(run.reports().all()).as("every thread%s", run).allSatisfy(t -> {
            assertThat(t.cpus()).as(t.name()).isEqualTo(Host.allowedCpuList());
            assertThat(t.policy()).as(t.name()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
        assertThat(run.linesNotFromApp()).as("stderr%s", run).singleElement()
                .satisfies(l -> assertThat(l).startsWith("numa-agent:").contains("JNA"));
    }
}
