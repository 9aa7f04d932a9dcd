package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * A family other than NVIDIA, through the jar, binding real threads: AMD GPUs found by
 * {@code devices.source: auto} from the KFD topology alone, numbered in KFD order (not bus order),
 * through {@code ROCR_VISIBLE_DEVICES} then {@code HIP_VISIBLE_DEVICES}. And a rule whose device
 * expression gives -1 (the CPU, as DJL, PyTorch and xLLM say it) leaves its thread alone, quietly.
 * (Device numbering is the agent's own logic: one JDK.)
 */
class AmdFamilyTest {
    private static final String RULES = """
            rules:
              - name: cpu-side
                thread: 'gpu-worker-1'
                device: env:CPU_SIDE_DEVICE
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    /** Bus order 0c (node 0), 22 (node 0), 9f (node 1); KFD order 0c, 9f, 22. */
    private static FakeTopology threeAmdGpus() {
        return FakeTopology.onThisMachine()
                .amdGpuInKfdOrder("0000:0c:00.0", 0, 0x1111_2222_3333_0001L)
                .amdGpuInKfdOrder("0000:9f:00.0", 1, 0x1111_2222_3333_0002L)
                .amdGpuInKfdOrder("0000:22:00.0", 0, 0x1111_2222_3333_0003L);
    }

    @Test
    void amd_gpus_in_kfd_order_through_rocr_then_hip_visible_devices() {
        FakeTopology topology = threeAmdGpus();
        // ROCr: the GPU with UUID ...0003 (22, node 0), then KFD GPU 1 (9f, node 1); HIP swaps them
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("amd-family"))
                .sysfs(topology).config(RULES.replace("thread: 'gpu-worker-1'", "thread: 'no-such-thread'"))
                .env("ROCR_VISIBLE_DEVICES", "GPU-1111222233330003,1").env("HIP_VISIBLE_DEVICES", "1,0")
                .app("--devices=2", "--pool=1", "--json").run();

        assertThat(run.reports().named("gpu-worker-0").cpus()).as("HIP 0 = ROCr 1 = KFD 1 = 9f, node 1%s", run)
                .isEqualTo(topology.cpusOf(1));
        assertThat(run.reports().named("gpu-worker-1").cpus()).as("HIP 1 = ROCr 0 = 22, node 0%s", run)
                .isEqualTo(topology.cpusOf(0));
        assertThat(run.agentLines()).as("%s", run).anyMatch(l -> l.contains("devices (auto") && l.endsWith(": 2"));
        // (the one warning allowed: no real node 1 for a memory policy on this kernel)
        assertThat(run.agentWarnings()).as("%s", run).noneMatch(w -> w.contains("VISIBLE") || w.contains("device"));
    }

    @Test
    void a_device_expression_giving_minus_one_leaves_the_thread_alone_quietly() {
        FakeTopology topology = threeAmdGpus();
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("amd-no-device"))
                .sysfs(topology).config(RULES).env("CPU_SIDE_DEVICE", "-1").agentArg("log-level", "debug")
                .app("--devices=2", "--pool=1", "--json").run();

        assertThat(run.reports().named("gpu-worker-0").cpus()).as("device 0 = KFD 0 = 0c, node 0%s", run)
                .isEqualTo(topology.cpusOf(0));
        assertThat(run.reports().named("gpu-worker-1").cpus()).as("device -1: left alone%s", run)
                .isEqualTo(Host.allowedCpuList());
        assertThat(run.agentWarnings()).as("no warning for device -1%s", run).isEmpty();
        assertThat(run.agentLines()).as("%s", run).anyMatch(l -> l.contains("rule cpu-side") && l.contains("no device"));
    }
}
