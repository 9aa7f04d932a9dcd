package numa.agent.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import numa.agent.topology.CpuSet;

class InheritedBindingTest {
    @Test
    void writesWhatTheChildReadsBack() {
        Binding b = new Binding(1, 2, CpuSet.parse("8-15"), MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 1));
        InheritedBinding written = InheritedBinding.of(b, true, 4711, "spawned; workers=x");
        assertThat(written.format()).isEqualTo("node=1;cpus=8-15;memory=preferred:1;device=2;parent=4711;rule=spawned; workers=x");
        InheritedBinding read = InheritedBinding.parse(written.format());
        assertThat(read).isEqualTo(written);
        assertThat(read.binding()).isEqualTo(b);
        assertThat(read.describe()).isEqualTo("node 1 cpus=8-15 memory=preferred (device 2, rule spawned; workers=x,"
                + " parent pid 4711)");
    }

    @Test
    void aRefusedPolicyIsWrittenAsDefaultAndNodeRulesHaveNoDevice() {
        Binding b = new Binding(0, -1, CpuSet.parse("0"), MemPolicy.onNode(MemPolicy.Mode.BIND, 0));
        InheritedBinding written = InheritedBinding.of(b, false, 1, "r");
        assertThat(written.format()).isEqualTo("node=0;cpus=0;memory=default;parent=1;rule=r");
        assertThat(InheritedBinding.parse(written.format()).memory()).isEqualTo(MemPolicy.DEFAULT);
        assertThat(InheritedBinding.parse("cpus=0-3;memory=bind:0,2").memory().nodes().toString()).isEqualTo("{0, 2}");
    }

    @Test
    void unreadableValuesSayWhy() {
        assertThatThrownBy(() -> InheritedBinding.parse("node=1")).hasMessage("no cpus=");
        assertThatThrownBy(() -> InheritedBinding.parse("node=x;cpus=1")).hasMessage("'x' is not a number");
        assertThatThrownBy(() -> InheritedBinding.parse("cpus=1;memory=often:1")).hasMessage("memory=often:1 is not a memory policy");
        assertThatThrownBy(() -> InheritedBinding.parse("cpus=1;junk")).hasMessage("'junk' is not key=value");
    }
}
