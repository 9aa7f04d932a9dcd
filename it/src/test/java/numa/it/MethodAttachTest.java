package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.sun.tools.attach.VirtualMachine;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;

/**
 * The agent loaded into a running JVM (agentmain, through the Attach API) instruments the classes
 * that JVM loaded before: the engine loads its classes, waits, the test attaches the agent, then the
 * engine calls the methods the rules name.
 */
class MethodAttachTest {
    private static final int[] NODE_OF_DEVICE = BoundConfig.NODE_OF_DEVICE;
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            rules:
              - name: worker-server
                method: numa.testapp.WorkerServer#createServer(numa.testapp.Device)
                device: arg0.index
                bind: call
              - name: factories
                method: numa.testapp.ServerFactory#newServer
                device: arg0.index
                bind: call
            """;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void classes_loaded_before_attach_are_instrumented(Jdk jdk) throws Exception {
        Path dir = Artifacts.newRunDir("method-attach-jdk" + jdk.feature());
        Path go = dir.resolve("go");
        // the config and sysfs are the agent's arguments at attach, not at start
        JvmRun run = JvmRun.on(jdk, dir).sysfs(TOPOLOGY).config(CONFIG);
        String agentArgs = run.agentOption().substring(run.agentOption().indexOf('=') + 1);
        if (jdk.feature() >= 21) {
            run.jvmOption("-XX:+EnableDynamicAgentLoading"); // else JDK 21+ warns about the agent being loaded
        }
        RunningJvm jvm = run.withoutAgent().app("--methods=server,interface", "--await-file=" + go, "--json").start();
        jvm.awaitHolding();
        VirtualMachine vm = VirtualMachine.attach(Long.toString(jvm.pid()));
        try {
            vm.loadAgent(Artifacts.agentJar().toString(), agentArgs);
        } finally {
            vm.detach();
        }
        Files.writeString(go, "");
        RunResult result = jvm.await();
        for (int d = 0; d < NODE_OF_DEVICE.length; d++) {
            String cpus = TOPOLOGY.cpusOf(NODE_OF_DEVICE[d]);
            assertThat(result.reports().row("server-" + d, "in-call").cpus()).as("server-%d%s", d, result).isEqualTo(cpus);
            assertThat(result.reports().row("factory-" + d, "in-call").cpus()).as("factory-%d%s", d, result).isEqualTo(cpus);
            assertThat(result.reports().row("server-" + d, "after-call").cpus()).as("%s", result)
                    .isEqualTo(Host.allowedCpuList());
        }
    }
}
