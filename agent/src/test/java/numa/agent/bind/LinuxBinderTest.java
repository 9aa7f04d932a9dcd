package numa.agent.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

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

    private static void inFreshThread(ThrowingRunnable r) throws Throwable {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void tidIsTheKernelsThreadId() throws Throwable {
        inFreshThread(() -> {
            int tid = binder.currentTid();
            assertThat(Files.readString(Path.of("/proc/thread-self/stat"))).startsWith(tid + " ");
        });
    }

    @Test
    void affinityRoundTripsThroughTheKernel() throws Throwable {
        inFreshThread(() -> {
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
        inFreshThread(() -> assertThatThrownBy(() -> binder.setAffinity(0, CpuSet.of(4000)))
                .isInstanceOfSatisfying(BindException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL)));
    }

    @Test
    void memoryPolicyRoundTripsThroughTheKernel() throws Throwable {
        inFreshThread(() -> {
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
        inFreshThread(() -> assertThatThrownBy(() -> binder.setMemPolicy(MemPolicy.onNode(MemPolicy.Mode.BIND, 900)))
                .isInstanceOfSatisfying(BindException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL)));
    }
}
