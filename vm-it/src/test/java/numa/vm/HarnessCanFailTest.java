package numa.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import numa.vm.harness.GuestRun;
import numa.vm.harness.RequiresGuest;
import numa.vm.harness.Verdict;

/**
 * The checker on REAL guest output with deliberately wrong expectations: a harness that cannot
 * fail proves nothing. If one of these passes wrongly, the suite's green means nothing.
 */
@RequiresGuest
class HarnessCanFailTest {

    private static GuestRun guest() {
        return TwoNodeGuest.run();
    }

    /** A node-1 worker checked against node 0: its CPUs and every one of its pages are flagged. */
    @Test
    void expecting_node_0_for_a_node_1_worker_is_a_failure() {
        GuestRun g = guest();
        Verdict v = Verdict.of(g.step("thread-bind-jdk" + TwoNodeGuest.jdks().get(0).feature()), g.facts())
                .boundTo("gpu-worker-2", 0);
        assertThat(v.problems()).as("problems found").hasSize(2);
        assertThat(v.problems().get(0)).contains("gpu-worker-2: cpus " + g.facts().cpusOf(1))
                .contains("expected " + g.facts().cpusOf(0));
        assertThat(v.problems().get(1)).contains("gpu-worker-2: 0 of").contains("touched pages on node 0");
        assertThatThrownBy(v::assertNoProblems).isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 problem(s) in step thread-bind");
    }

    /**
     * A wrong binder, seen by the checker: the pci step binds device 0 to node 1 (its PCI function's
     * numa_node). Checked as if device 0 were on node 0, as a static [0, ...] config would say, it fails.
     */
    @Test
    void a_binding_to_the_wrong_node_is_a_failure() {
        GuestRun g = guest();
        Verdict v = Verdict.of(g.step("pci-preferred-jdk" + TwoNodeGuest.jdks().get(0).feature()), g.facts())
                .boundTo("gpu-worker-0", 0).logged("device 0 node 0");
        assertThat(v.problems()).hasSize(3);
    }

    /** An unbound thread taken for a bound one, and a missing warning, are failures too. */
    @Test
    void an_unbound_thread_and_a_missing_warning_are_failures() {
        GuestRun g = guest();
        Verdict v = Verdict.of(g.step("thread-bind-jdk" + TwoNodeGuest.jdks().get(0).feature()), g.facts())
                .cpusOfNode("gpu-worker-0-helper", 0).warned("refused memory policy");
        assertThat(v.problems()).hasSize(2);
    }
}
