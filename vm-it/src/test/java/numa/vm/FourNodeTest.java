package numa.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Jdk;
import numa.vm.harness.CpuList;
import numa.vm.harness.GuestFacts;
import numa.vm.harness.GuestRun;
import numa.vm.harness.GuestTopology;
import numa.vm.harness.Jdks;
import numa.vm.harness.RequiresGuest;
import numa.vm.harness.Row;
import numa.vm.harness.StepResult;
import numa.vm.harness.Verdict;

/** The agent on a real 4-node kernel, with a memory-less and a CPU-less node besides ({@link FourNodeGuest}). */
@RequiresGuest
class FourNodeTest {
    private static GuestRun guest;

    @BeforeAll
    static void boot() {
        guest = FourNodeGuest.run();
    }

    static List<Jdk> jdks() {
        return Jdks.all();
    }

    @Test
    void the_guest_has_the_topology_asked_for() {
        GuestFacts f = guest.facts();
        assertThat(f.nodes()).as("%s", f).hasSize(6);
        for (int n = 0; n < 4; n++) {
            assertThat(f.node(n).hasCpus() && f.node(n).hasMemory()).as("node %d%s", n, f).isTrue();
        }
        assertThat(f.node(FourNodeGuest.MEMORYLESS).hasMemory()).as("%s", f).isFalse();
        assertThat(f.node(FourNodeGuest.MEMORYLESS).hasCpus()).as("%s", f).isTrue();
        assertThat(f.node(FourNodeGuest.CPULESS).hasCpus()).as("%s", f).isFalse();
        assertThat(f.node(FourNodeGuest.CPULESS).hasMemory()).as("%s", f).isTrue();
        for (int i = 0; i < FourNodeGuest.PCI_NODES.length; i++) {
            assertThat(f.pci(GuestTopology.pciBusId(i)).node()).as("%s", f).isEqualTo(FourNodeGuest.PCI_NODES[i]);
        }
    }

    /** A device on each of the four nodes: CPUs, MPOL_BIND and every touched page on its own node. */
    @ParameterizedTest
    @MethodSource("jdks")
    void each_worker_and_its_memory_land_on_its_own_of_four_nodes(Jdk jdk) {
        Verdict v = verdict(Jdks.name("every-node", jdk)).exitedCleanly();
        for (int d = 0; d < 4; d++) {
            String w = "gpu-worker-" + d;
            v.boundTo(w, d).policy(w, "bind:" + d)
                    .logged("thread '" + w + "' (rule gpu-workers, device " + d + ") bound to node " + d + " cpus="
                            + guest.facts().cpusOf(d) + " memory=bind");
        }
        v.assertNoProblems();
    }

    /** A node with CPUs but no memory: the kernel refuses the policy; CPUs only, one warning. */
    @ParameterizedTest
    @MethodSource("jdks")
    void a_memoryless_node_gets_its_cpus_only_with_a_warning(Jdk jdk) {
        int n = FourNodeGuest.MEMORYLESS;
        String w = "gpu-worker-" + n;
        StepResult step = guest.step(Jdks.name("every-node", jdk));
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly().cpusOfNode(w, n).policy(w, "default")
                .warned("refused memory policy", "node " + n)
                .logged("thread '" + w + "' (rule gpu-workers, device " + n + ") bound to node " + n + " cpus="
                        + guest.facts().cpusOf(n) + " memory=not set");
        Row r = step.row(w);
        v.problemIf(r.pages() == null || r.pagesOn(n) != 0 || r.pagesTotal() == 0, w + ": pages " + r.pages()
                + " (expected all on nodes with memory)");
        v.assertNoProblems();
    }

    /** A node with memory but no CPU: the binding is impossible; a warning, and the thread runs as it was. */
    @ParameterizedTest
    @MethodSource("jdks")
    void a_cpuless_node_is_an_impossible_binding_that_leaves_the_thread_alone(Jdk jdk) {
        int n = FourNodeGuest.CPULESS;
        String w = "gpu-worker-" + n;
        Verdict v = verdict(Jdks.name("every-node", jdk)).exitedCleanly()
                .warned("node " + n + " has no CPUs")
                .unbound(w);
        v.assertNoProblems();
    }

    @Test
    void pci_source_reads_numa_node_of_functions_on_nodes_3_and_2() {
        Verdict v = verdict("pci").exitedCleanly();
        for (int d = 0; d < 2; d++) {
            int node = FourNodeGuest.PCI_NODES[d];
            v.boundTo("gpu-worker-" + d, node).policy("gpu-worker-" + d, "preferred:" + node)
                    .logged("device " + d + " node " + node + " bus " + GuestTopology.pciBusId(d));
        }
        v.assertNoProblems();
    }

    @Test
    void process_section_puts_every_jvm_thread_on_node_2() {
        StepResult step = guest.step("process-node-2");
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly();
        String cpus = guest.facts().cpusOf(2);
        List<Row> tasks = step.rowsOfKind("task");
        v.problemIf(tasks.size() < 10, "only " + tasks.size() + " tasks listed");
        for (Row t : tasks) {
            v.problemIf(!CpuList.parse(t.cpus()).equals(CpuList.parse(cpus)), "task " + t.name() + " (" + t.tid()
                    + "): cpus " + t.cpus() + ", expected node 2's " + cpus);
        }
        for (Row r : step.rows()) {
            if (!r.kind().equals("task")) {
                v.cpusOfNode(r, 2).policy(r, "preferred:2");
                if (r.touchedMb() > 0) {
                    v.pagesOn(r, 2);
                }
            }
        }
        v.assertNoProblems();
    }

    private static Verdict verdict(String step) {
        return Verdict.of(guest.step(step), guest.facts());
    }
}
