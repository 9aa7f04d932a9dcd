package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/** dry-run: method and process rules decide and log what they would bind, and bind nothing. */
class MethodProcessDryRunTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            rules:
              - name: worker-server
                method: numa.testapp.WorkerServer#createServer(numa.testapp.Device)
                device: arg0.index
              - name: spawned-workers
                process: '.*--spawn-worker --device=(\\d+)'
                device: $1
            """;

    @Test
    void a_caller_rule_only_says_what_it_would_bind() {
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("dry-run-method")).sysfs(TOPOLOGY).config(CONFIG)
                .agentArg("dry-run", "true").app("--methods=server", "--devices=2", "--json").run();
        for (int d = 0; d < 2; d++) {
            assertThat(run.reports().row("server-" + d, "in-call").cpus()).as("%s", run).isEqualTo(Host.allowedCpuList());
        }
        assertThat(run.agentLines()).as("%s", run).contains("numa-agent: thread 'server-1' (rule worker-server, device 1)"
                + " would be bound (dry-run) to node 1 cpus=" + TOPOLOGY.cpusOf(1)
                + " memory=preferred (bind: caller, in numa.testapp.WorkerServer.createServer(Device))");
    }

    @Test
    void a_process_rule_only_says_what_it_would_bind_and_tells_the_child_nothing() {
        JvmRun jvm = JvmRun.on(Jdk.current(), Artifacts.newRunDir("dry-run-process")).sysfs(TOPOLOGY).config(CONFIG)
                .agentArg("dry-run", "true");
        RunResult run = jvm.app("--spawn-workers=2", "--child-jvm-arg=" + jvm.agentOption(), "--json").run();
        for (int d = 0; d < 2; d++) {
            assertThat(run.reports().row("spawn-worker-" + d, "start").cpus()).as("%s", run).isEqualTo(Host.allowedCpuList());
        }
        assertThat(run.agentLines()).as("%s", run).anySatisfy(l -> assertThat(l).startsWith("numa-agent: process '")
                .endsWith("(rule spawned-workers, device 1) would be bound (dry-run) to node 1 cpus=" + TOPOLOGY.cpusOf(1)
                        + " memory=preferred"));
        assertThat(run.agentLines()).as("no worker was told of a binding it did not get%s", run)
                .noneMatch(l -> l.contains("bound by its parent"));
    }
}
