package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;
import numa.it.harness.ThreadReport;

/**
 * The SPEC's central promise, on the real kernel: a thread a {@code thread:} rule names runs on its
 * device's node from the first line of its run(); the thread that started it, the pool and the
 * helpers the workers start ({@code children: reset}, the default) are left as they were.
 */
class ThreadRuleBindingTest {
    private static final int[] NODE_OF_DEVICE = BoundConfig.NODE_OF_DEVICE;
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("thread-rule-jdk" + jdk.feature()))
            .sysfs(TOPOLOGY).config(BoundConfig.YAML)
            .app("--devices=4", "--pool=2", "--json")
            .run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void each_worker_runs_on_its_devices_node_from_its_first_line(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        for (int device = 0; device < NODE_OF_DEVICE.length; device++) {
            ThreadReport worker = run.reports().named("gpu-worker-" + device);
            assertThat(worker.cpus()).as("gpu-worker-%d (device %d, node %d) cpus%s", device, device,
                    NODE_OF_DEVICE[device], run).isEqualTo(TOPOLOGY.cpusOf(NODE_OF_DEVICE[device]));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void each_worker_prefers_its_devices_node_for_memory(Jdk jdk) {
        assumeTrue(jdk.canReportMemPolicy(), "the engine can read its memory policy on JDK 22+ only");
        RunResult run = RUNS.get(jdk);
        for (int device = 0; device < NODE_OF_DEVICE.length; device++) {
            ThreadReport worker = run.reports().named("gpu-worker-" + device);
            assertThat(worker.policy()).as("gpu-worker-%d memory policy%s", device, run)
                    .isEqualTo(ExpectedPolicy.bound(jdk, "preferred", NODE_OF_DEVICE[device]));
        }
    }

    /** Where the kernel has no memory on a node, the SPEC wants one warning and the CPU binding kept. */
    @ParameterizedTest
    @MethodSource("jdks")
    void a_node_the_kernel_refuses_memory_on_gives_one_warning(Jdk jdk) {
        assumeFalse(Host.kernelHasMemoryOn(1), "the real kernel has memory on node 1: nothing is refused here");
        RunResult run = RUNS.get(jdk);
        List<String> memoryWarnings = run.agentWarnings().stream()
                .filter(l -> l.contains("node 1") && l.contains("memory")).toList();
        assertThat(memoryWarnings).as("warnings about memory on node 1 (two workers hit it)%s", run).hasSize(1);
    }

    /**
     * SPEC: {@code numa-agent: thread 'gpu-worker-2' (rule gpu-workers, device 2) bound to node 1
     * cpus=1 memory=preferred}. Exactly that where the kernel took the policy; where it refused it
     * (fake node 1 on a one-node machine) the line must not claim the policy it did not get.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void each_binding_is_logged_in_the_spec_form(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        for (int device = 0; device < NODE_OF_DEVICE.length; device++) {
            int node = NODE_OF_DEVICE[device];
            String applied = "numa-agent: thread 'gpu-worker-" + device + "' (rule gpu-workers, device " + device
                    + ") bound to node " + node + " cpus=" + TOPOLOGY.cpusOf(node) + " memory=";
            if (Host.kernelHasMemoryOn(node)) {
                assertThat(run.agentLines()).as("agent lines%s", run).contains(applied + "preferred");
            } else {
                assertThat(run.agentLines()).as("agent lines%s", run)
                        .filteredOn(l -> l.startsWith(applied)).singleElement()
                        .satisfies(l -> assertThat(l).as("a refused policy is not reported as applied")
                                .isNotEqualTo(applied + "preferred"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void the_starting_main_thread_is_left_as_it_was(Jdk jdk) {
        RunResult run = bindingRun(jdk);
        ThreadReport before = run.reports().main("before");
        ThreadReport after = run.reports().main("after");
        assertThat(before.cpus()).as("main before starting workers%s", run).isEqualTo(Host.allowedCpuList());
        assertThat(after.cpus()).as("main after starting workers%s", run).isEqualTo(before.cpus());
        assertThat(before.policy()).as("main policy before%s", run).isEqualTo(ExpectedPolicy.unbound(jdk));
        assertThat(after.policy()).as("main policy after%s", run).isEqualTo(before.policy());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void pool_threads_no_rule_names_are_untouched(Jdk jdk) {
        RunResult run = bindingRun(jdk);
        assertThat(run.reports().pool()).as("pool threads%s", run).hasSize(2).allSatisfy(pool -> {
            assertThat(pool.name()).matches("pool-\\d+-thread-\\d+");
            assertThat(pool.cpus()).isEqualTo(Host.allowedCpuList());
            assertThat(pool.policy()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
    }

    /** {@code children: reset} (the default): a bound worker's own unnamed thread gets the original set. */
    @ParameterizedTest
    @MethodSource("jdks")
    void helpers_started_by_bound_workers_are_reset(Jdk jdk) {
        RunResult run = bindingRun(jdk);
        assertThat(run.reports().helpers()).as("helper threads%s", run).hasSize(4).allSatisfy(helper -> {
            assertThat(helper.cpus()).as(helper.name()).isEqualTo(Host.allowedCpuList());
            assertThat(helper.policy()).as(helper.name()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
    }

    /**
     * The run, once it is known that the agent bound what the rule names: "left as it was" proves
     * nothing about an agent that bound nothing at all.
     */
    private static RunResult bindingRun(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.reports().named("gpu-worker-2").cpus())
                .as("precondition: the agent bound gpu-worker-2 in this run%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
        return run;
    }
}
