package numa.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Jdk;
import numa.it.harness.Json;
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

    /** The agent's start-up report on this kernel: memory-less and CPU-less nodes named as such. */
    @Test
    void the_agent_reports_the_nodes_the_kernel_has() {
        GuestFacts f = guest.facts();
        Verdict v = verdict(Jdks.name("every-node", Jdks.oldest())).logged("topology from /sys: 6 nodes, this process may use cpus="
                + f.allCpus());
        for (int n = 0; n < 4; n++) {
            v.logged("  node " + n + " cpus=" + f.cpusOf(n) + " memory=" + (f.node(n).memKiB() >> 10) + " MiB");
        }
        v.logged("  node " + FourNodeGuest.MEMORYLESS + " cpus=" + f.cpusOf(FourNodeGuest.MEMORYLESS) + " memory=none")
                .logged("  node " + FourNodeGuest.CPULESS + " cpus=none memory=" + (f.node(FourNodeGuest.CPULESS).memKiB() >> 10) + " MiB")
                .assertNoProblems();
    }

    /** {@code java -jar numa-agent.jar topology --json} on the real kernel: nodes, CPUs, memory and distances as sysfs says. */
    @Test
    void the_topology_command_shows_the_kernels_nodes() {
        StepResult step = guest.step("cli-topology");
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly();
        Map<?, ?> json = (Map<?, ?>) Json.parse(step.stdout());
        List<?> nodes = (List<?>) json.get("nodes");
        v.problemIf(nodes.size() != 6, nodes.size() + " nodes in " + step.stdout());
        for (Object o : nodes) {
            Map<?, ?> n = (Map<?, ?>) o;
            int id = ((Long) n.get("id")).intValue();
            GuestFacts.Node fact = guest.facts().node(id);
            String cpus = n.get("cpus") == null ? "" : n.get("cpus").toString();
            v.problemIf(!CpuList.parse(cpus).equals(CpuList.parse(fact.cpus())), "node " + id + " cpus " + cpus + ", kernel: " + fact.cpus());
            long mib = (Long) n.get("memory_total_mib");
            v.problemIf(mib != fact.memKiB() >> 10, "node " + id + " memory " + mib + " MiB, kernel: " + (fact.memKiB() >> 10));
            String distances = ((List<?>) n.get("distances")).stream().map(Object::toString).collect(Collectors.joining(","));
            v.problemIf(!distances.equals(fact.distances()), "node " + id + " distances " + distances + ", kernel: " + fact.distances());
        }
        v.problemIf(!CpuList.parse(String.valueOf(json.get("allowed_cpus"))).equals(CpuList.parse(guest.facts().allCpus())),
                "allowed_cpus " + json.get("allowed_cpus"));
        v.assertNoProblems();
    }

    private static Verdict verdict(String step) {
        return Verdict.of(guest.step(step), guest.facts());
    }
}
