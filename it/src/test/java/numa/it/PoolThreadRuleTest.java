package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A rule can name the threads of a {@code ThreadPoolExecutor}. The trap (DESIGN.md): from JDK 21
 * the executor starts its threads through {@code Thread.start(ThreadContainer)}, which never calls
 * {@code Thread.start()}; an agent that advises only {@code start()} binds them on 17 and silently
 * not on 25. Hence this runs on every JDK.
 */
class PoolThreadRuleTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            rules:
              - name: pool
                thread: 'pool-\\d+-thread-\\d+'
                node: 1
            """;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void executor_threads_a_rule_names_are_bound(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("pool-rule-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(CONFIG).app("--devices=2", "--pool=2", "--json").run();
        assertThat(run.reports().pool()).as("pool threads%s", run).hasSize(2)
                .allSatisfy(p -> assertThat(p.cpus()).as(p.name()).isEqualTo(TOPOLOGY.cpusOf(1)));
        assertThat(run.reports().workers()).as("workers: no rule names them%s", run)
                .allSatisfy(w -> assertThat(w.cpus()).as(w.name()).isEqualTo(Host.allowedCpuList()));
    }
}
