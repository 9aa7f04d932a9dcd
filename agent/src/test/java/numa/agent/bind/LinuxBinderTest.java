package numa.agent.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import numa.agent.topology.CpuSet;

/**
 * The real kernel, no mocks: each call is checked against what /proc says of the thread.
 * Runs in a fresh thread so that the test JVM's other threads are never touched.
 */
class LinuxBinderTest {
    private final LinuxBinder binder = LinuxBinder.load();

    static CpuSet procAllowed(int tid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return CpuSet.parse(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new AssertionError("no Cpus_allowed_list");
    }



    @Test
    void tidIsTheKernelsThreadId() throws Throwable {
        OnFreshThread.run(() -> {
            int tid = binder.currentTid();
            assertThat(Files.readString(Path.of("/proc/thread-self/stat"))).startsWith(tid + " ");
        });
    }

    @Test
    void affinityRoundTripsThroughTheKernel() throws Throwable {
        OnFreshThread.run(() -> {
            int tid = binder.currentTid();
            CpuSet all = binder.getAffinity(0);
            assertThat(all).isEqualTo(procAllowed(tid));
            int first = all.toArray()[0];
            binder.setAffinity(0, CpuSet.of(first));
            assertThat(procAllowed(tid)).isEqualTo(CpuSet.of(first));
            assertThat(binder.getAffinity(tid)).isEqualTo(CpuSet.of(first));
            binder.setAffinity(0, all);
            assertThat(procAllowed(tid)).isEqualTo(all);
        });
    }

    @Test
    void cpusOutsideTheAllowedSetAreRefusedWithEinval() throws Throwable {
        OnFreshThread.run(() -> assertThatThrownBy(() -> binder.setAffinity(0, CpuSet.of(4000)))
                .isInstanceOfSatisfying(BindException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL)));
    }

    @Test
    void memoryPolicyRoundTripsThroughTheKernel() throws Throwable {
        OnFreshThread.run(() -> {
            assertThat(binder.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
            binder.setMemPolicy(MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 0));
            MemPolicy p = binder.getMemPolicy();
            assertThat(p.mode()).isEqualTo(MemPolicy.Mode.PREFERRED);
            assertThat(p.nodes().get(0)).isTrue();
            binder.setMemPolicy(MemPolicy.onNode(MemPolicy.Mode.BIND, 0));
            assertThat(binder.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.BIND);
            binder.setMemPolicy(MemPolicy.DEFAULT);
            assertThat(binder.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
        });
    }

    @Test
    void aNodeThatDoesNotExistIsRefused() throws Throwable {
        OnFreshThread.run(() -> assertThatThrownBy(() -> binder.setMemPolicy(MemPolicy.onNode(MemPolicy.Mode.BIND, 900)))
                .isInstanceOfSatisfying(BindException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL)));
    }
}
