package numa.agent.bind;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;

import numa.agent.topology.CpuSet;

/** Binding and restoring the calling thread on the real kernel, checked in /proc. */
class CallerBinderTest {
    private final LinuxBinder kernel = LinuxBinder.load();
    private final CallerBinder caller = new CallerBinder(kernel);



    @Test
    void bindsThenRestoresExactly() throws Throwable {
        OnFreshThread.run(() -> {
            int tid = kernel.currentTid();
            CpuSet original = LinuxBinderTest.procAllowed(tid);
            int last = original.toArray()[original.size() - 1];
            Binding target = new Binding(0, 3, CpuSet.of(last), MemPolicy.onNode(MemPolicy.Mode.BIND, 0));

            CallerBinder.Saved saved = caller.bind(target);
            assertThat(LinuxBinderTest.procAllowed(tid)).isEqualTo(CpuSet.of(last));
            assertThat(kernel.getMemPolicy()).isEqualTo(MemPolicy.onNode(MemPolicy.Mode.BIND, 0));

            caller.restore(saved);
            assertThat(LinuxBinderTest.procAllowed(tid)).isEqualTo(original);
            assertThat(kernel.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
        });
    }

    @Test
    void aBindingEqualToTheCurrentStateMakesNoChange() throws Throwable {
        OnFreshThread.run(() -> {
            CpuSet now = kernel.getAffinity(0);
            CallerBinder.Saved saved = caller.bind(new Binding(-1, -1, now, MemPolicy.DEFAULT));
            assertThat(saved.cpusChanged()).isFalse();
            assertThat(saved.memoryChanged()).isFalse();
        });
    }

    @Test
    void aRefusedMemoryPolicyKeepsTheCpuBindingAndIsNotAskedAgain() throws Throwable {
        OnFreshThread.run(() -> {
            int tid = kernel.currentTid();
            CpuSet original = kernel.getAffinity(0);
            int first = original.toArray()[0];
            // node 900 does not exist here: the kernel says EINVAL, as for a node without memory
            Binding target = new Binding(900, -1, CpuSet.of(first), MemPolicy.onNode(MemPolicy.Mode.BIND, 900));

            CallerBinder.Saved saved = caller.bind(target);
            assertThat(LinuxBinderTest.procAllowed(tid)).isEqualTo(CpuSet.of(first));
            assertThat(saved.memoryChanged()).isFalse();
            assertThat(kernel.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
            caller.restore(saved);
            assertThat(LinuxBinderTest.procAllowed(tid)).isEqualTo(original);

            CallerBinder.Saved again = caller.bind(target);
            assertThat(again.memoryChanged()).as("the refused node's policy is not asked for again").isFalse();
            assertThat(again.memoryApplied()).isFalse();
            caller.restore(again);
        });
    }

    /** xLLM's cross-NUMA spawn bug: bound to node 0, then to a node refusing a policy, the thread must not keep node 0's. */
    @Test
    void aNodeRefusingAPolicyStillResetsThePolicyOfTheNodeTheThreadWasOn() throws Throwable {
        OnFreshThread.run(() -> {
            int first = kernel.getAffinity(0).toArray()[0];
            MemPolicy onNode0 = MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 0);
            kernel.setMemPolicy(onNode0);
            Binding refusing = new Binding(901, -1, CpuSet.of(first), MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 901));

            CallerBinder.Saved saved = caller.bind(refusing);
            assertThat(kernel.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
            assertThat(saved.memoryApplied()).isFalse();
            caller.restore(saved);
            assertThat(kernel.getMemPolicy()).isEqualTo(onNode0);

            CallerBinder.Saved again = caller.bind(refusing); // known to refuse now: straight to the reset
            assertThat(kernel.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
            caller.restore(again);
            assertThat(kernel.getMemPolicy()).isEqualTo(onNode0);

            assertThat(caller.bindForGood(refusing)).isFalse();
            assertThat(kernel.getMemPolicy().mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
        });
    }
}
