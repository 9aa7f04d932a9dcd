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
 * {@code thread-class} rules match the Thread subclass by glob, alone or with {@code thread:}. The
 * workers here are {@code numa.testapp.EngineWorker extends Thread} overriding run(), the shape
 * that advice on Thread.run alone would miss. Rules are tried in order, first match wins:
 * <ol>
 * <li>{@code numa.*Worker} must match nothing: {@code *} does not cross a dot;</li>
 * <li>class and name together: engine-worker-0 and -1 get device 0 and 1 (node 0);</li>
 * <li>class alone, fixed {@code node: 1}: engine-worker-2 and -3.</li>
 * </ol>
 */
class ThreadClassRuleTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            rules:
              - name: too-shallow
                thread-class: "numa.*Worker"
                node: 0
              - name: first-engines
                thread-class: "numa.testapp.*Worker"
                thread: 'engine-worker-([01])'
                device: "$1"
              - name: other-engines
                thread-class: "numa.testapp.*Worker"
                node: 1
            """;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void thread_subclasses_are_bound_by_class_glob(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("thread-class-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(CONFIG).app("--worker-class", "--devices=4", "--pool=1", "--json").run();
        assertThat(run.reports().named("engine-worker-0").cpus()).as("engine-worker-0%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(run.reports().named("engine-worker-1").cpus()).as("engine-worker-1%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(run.reports().named("engine-worker-2").cpus()).as("engine-worker-2%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(run.reports().named("engine-worker-3").cpus()).as("engine-worker-3%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        assertThat(run.agentLines()).as("agent lines%s", run)
                .contains("numa-agent: thread 'engine-worker-1' (rule first-engines, device 1) bound to node 0 cpus="
                        + TOPOLOGY.cpusOf(0) + " memory=preferred")
                // it binds nothing (no binding line names it), and the agent says so at exit
                .noneMatch(l -> l.contains("(rule too-shallow"))
                .anySatisfy(l -> assertThat(l).contains("rule too-shallow").contains("bound nothing in this run"));
        // helpers are plain Threads: no class rule names them, and children: reset leaves them whole
        assertThat(run.reports().helpers()).as("helpers%s", run).hasSize(4)
                .allSatisfy(h -> assertThat(h.cpus()).isEqualTo(Host.allowedCpuList()));
    }
}
