package numa.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * The kernel really refuses the binding calls: the JVM runs under a seccomp filter (a tiny C
 * wrapper, {@code deny-syscalls.c}, built with gcc at test time) under which {@code set_mempolicy}
 * (and {@code mbind}, which the agent never calls) or {@code sched_setaffinity} fail with EPERM, as
 * under a container runtime's seccomp profile. The application always runs to its end; one warning
 * names the refused call; under {@code on-error: fail} a refused sched_setaffinity stops the JVM at
 * start with status 78, a refused memory policy does not (the CPUs are still bound).
 */
class SyscallRefusedTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0]
            binding:
              on-error: %s
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;
    private static Path denySyscalls;

    @BeforeAll
    static void buildTheWrapper() throws Exception {
        Path dir = Artifacts.newRunDir("deny-syscalls-build");
        Path source = dir.resolve("deny-syscalls.c");
        try (InputStream in = SyscallRefusedTest.class.getResourceAsStream("/faults/deny-syscalls.c")) {
            Files.copy(in, source);
        }
        denySyscalls = dir.resolve("deny-syscalls");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O", "-Wall", "-o", denySyscalls.toString(), source.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("gcc.txt").toFile()).start();
        } catch (IOException e) {
            Assumptions.abort("gcc is needed to build the seccomp wrapper and cannot be run here: " + e.getMessage());
            return;
        }
        assertThat(gcc.waitFor(60, TimeUnit.SECONDS)).as("gcc finished").isTrue();
        assertThat(gcc.exitValue()).as("gcc: %s", Files.readString(dir.resolve("gcc.txt"))).isZero();
    }

    private static RunResult run(Jdk jdk, String deny, String onError) {
        return JvmRun.on(jdk, Artifacts.newRunDir("refused-" + deny.replace(',', '-') + "-" + onError + "-jdk" + jdk.feature()))
                .wrappedIn(denySyscalls.toString(), deny)
                .sysfs(TOPOLOGY).config(CONFIG.formatted(onError))
                .app("--devices=1", "--pool=0", "--json").run();
    }

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_refused_memory_policy_keeps_the_cpu_binding_with_one_warning(Jdk jdk) {
        RunResult run = run(jdk, "set_mempolicy,mbind", "warn");
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(run.reports().named("gpu-worker-0").policy()).as("policy%s", run).isEqualTo(ExpectedPolicy.unbound(jdk));
        assertThat(run.agentWarnings()).as("warnings%s", run).singleElement().asString()
                .contains("the kernel refused to set a memory policy (set_mempolicy failed: EPERM")
                .contains("binding CPUs only");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_refused_sched_setaffinity_leaves_the_thread_unbound_with_one_warning(Jdk jdk) {
        RunResult run = run(jdk, "sched_setaffinity", "warn");
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0%s", run).isEqualTo(Host.allowedCpuList());
        assertThat(run.agentWarnings()).as("warnings%s", run).singleElement().asString()
                .contains("thread 'gpu-worker-0' not bound: sched_setaffinity failed: EPERM");
    }

    @Test
    void under_on_error_fail_a_refused_sched_setaffinity_stops_the_jvm_at_start() {
        RunResult run = run(Jdk.available().get(0), "sched_setaffinity", "fail");
        assertThat(run.exitCode()).as("exit status%s", run).isEqualTo(78);
        assertThat(run.stdout()).as("the application must not have run%s", run).isEmpty();
        assertThat(run.agentLines()).as("agent lines%s", run).anySatisfy(l -> assertThat(l)
                .contains("the kernel refuses to bind threads here: sched_setaffinity failed: EPERM")
                .contains("exit status 78"));
    }

    @Test
    void under_on_error_fail_a_refused_memory_policy_still_runs_the_application_cpu_bound() {
        Jdk jdk = Jdk.available().get(0);
        RunResult run = run(jdk, "set_mempolicy", "fail");
        assertThat(run.reports().named("gpu-worker-0").cpus()).as("gpu-worker-0%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(run.agentWarnings()).as("warnings%s", run).singleElement().asString()
                .contains("set_mempolicy failed: EPERM");
    }
}
