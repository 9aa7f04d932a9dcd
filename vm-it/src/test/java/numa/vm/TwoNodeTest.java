package numa.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

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

/**
 * The agent on a real 2-node kernel (QEMU guest, {@link TwoNodeGuest}): CPUs from the kernel's own
 * sysfs, memory placement as the kernel reports it page by page, cgroup v2 cpusets, JDK 17 and 25.
 * Every expectation comes from the guest's facts (its node cpulists), not from constants.
 */
@RequiresGuest
class TwoNodeTest {
    private static GuestRun guest;

    @BeforeAll
    static void boot() {
        guest = TwoNodeGuest.run();
    }

    static List<Jdk> jdks() {
        return TwoNodeGuest.jdks();
    }

    private static Verdict verdict(String step) {
        return Verdict.of(guest.step(step), guest.facts());
    }

    @Test
    void the_guest_has_the_topology_asked_for() {
        GuestFacts f = guest.facts();
        assertThat(f.nodes()).as("%s", f).hasSize(2);
        assertThat(f.cpusOf(0)).as("%s", f).isEqualTo("0-1");
        assertThat(f.cpusOf(1)).as("%s", f).isEqualTo("2-3");
        assertThat(f.nodes().values()).as("%s", f).allSatisfy(n -> assertThat(n.memKiB()).isGreaterThan(600L << 10));
        for (int i = 0; i < TwoNodeGuest.PCI_NODES.length; i++) {
            GuestFacts.Pci pci = f.pci(GuestTopology.pciBusId(i));
            assertThat(pci.node()).as("numa_node of %s, in the guest's sysfs%s", pci, f).isEqualTo(TwoNodeGuest.PCI_NODES[i]);
            assertThat(pci.vendor()).isEqualTo("0x1234");
        }
    }

    /** Thread rule, devices given by hand, MPOL_BIND: CPUs, policy and every touched page on the device's node. */
    @ParameterizedTest
    @MethodSource("jdks")
    void thread_rule_binds_each_worker_and_its_memory_to_its_node(Jdk jdk) {
        Verdict v = verdict(Jdks.name("thread-bind", jdk)).exitedCleanly();
        int[] nodeOf = {0, 0, 1, 1};
        for (int d = 0; d < nodeOf.length; d++) {
            String w = "gpu-worker-" + d;
            v.boundTo(w, nodeOf[d]).policy(w, "bind:" + nodeOf[d])
                    .logged("thread '" + w + "' (rule gpu-workers, device " + d + ") bound to node " + nodeOf[d]
                            + " cpus=" + guest.facts().cpusOf(nodeOf[d]) + " memory=bind");
            v.unbound(w + "-helper");
        }
        v.unbound("pool-1-thread-1");
        v.assertNoProblems();
    }

    /** source: pci on the guest's real PCI functions: numa_node from the kernel, bus ids in either form. */
    @ParameterizedTest
    @MethodSource("jdks")
    void pci_source_reads_each_devices_node_from_the_kernel(Jdk jdk) {
        Verdict v = verdict(Jdks.name("pci-preferred", jdk)).exitedCleanly()
                .logged("devices (pci")
                .logged("device 0 node 1 bus " + GuestTopology.pciBusId(0))
                .logged("device 1 node 0 bus " + GuestTopology.pciBusId(1));
        for (int d = 0; d < 2; d++) {
            int node = TwoNodeGuest.PCI_NODES[d];
            v.boundTo("gpu-worker-" + d, node).policy("gpu-worker-" + d, "preferred:" + node);
        }
        v.assertNoProblems();
    }

    /** thread-class rule: the Thread subclass that overrides run(), bound before its first instruction. */
    @Test
    void thread_class_rule_binds_engine_workers() {
        Verdict v = verdict("thread-class").exitedCleanly();
        for (int d = 0; d < 2; d++) {
            v.boundTo("engine-worker-" + d, 1).policy("engine-worker-" + d, "bind:1");
        }
        v.assertNoProblems();
    }

    /** process section: every thread of the JVM (GC, JIT, ... from /proc/self/task) ends on the node, and so does memory. */
    @ParameterizedTest
    @MethodSource("jdks")
    void process_section_puts_every_jvm_thread_and_its_memory_on_the_node(Jdk jdk) {
        StepResult step = guest.step(Jdks.name("process", jdk));
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly().logged("process: ");
        String node1 = guest.facts().cpusOf(1);
        List<Row> tasks = step.rowsOfKind("task");
        v.problemIf(tasks.size() < 10, "only " + tasks.size() + " tasks listed (--tasks)");
        for (Row t : tasks) {
            v.problemIf(!CpuList.parse(t.cpus()).equals(CpuList.parse(node1)),
                    "task " + t.name() + " (" + t.tid() + "): cpus " + t.cpus() + ", expected node 1's " + node1);
        }
        for (Row r : step.rows()) {
            if (!r.kind().equals("task")) {
                v.cpusOfNode(r, 1).policy(r, "bind:1");
                if (r.touchedMb() > 0) {
                    v.pagesOn(r, 1);
                }
            }
        }
        v.assertNoProblems();
    }

    /** cpus: exclusive: the node's CPUs split among its devices, disjoint and complete. */
    @Test
    void exclusive_splits_each_nodes_cpus_among_its_devices() {
        StepResult step = guest.step("exclusive");
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly();
        int[] nodeOf = {0, 0, 1};
        for (int node = 0; node < 2; node++) {
            SortedSet<Integer> union = new TreeSet<>();
            List<String> shares = new ArrayList<>();
            for (int d = 0; d < nodeOf.length; d++) {
                if (nodeOf[d] != node) {
                    continue;
                }
                Row w = step.row("gpu-worker-" + d);
                SortedSet<Integer> share = CpuList.parse(w.cpus());
                v.problemIf(share.isEmpty(), w.name() + " has no CPUs");
                v.problemIf(share.stream().anyMatch(union::contains), w.name() + " shares CPUs with another device of node "
                        + node + ": " + shares + " and " + w.cpus());
                union.addAll(share);
                shares.add(w.cpus());
                v.pagesOn(w.name(), node);
            }
            v.problemIf(!union.equals(CpuList.parse(guest.facts().cpusOf(node))),
                    "node " + node + "'s shares " + shares + " do not cover its CPUs " + guest.facts().cpusOf(node));
        }
        v.cpus("gpu-worker-2", guest.facts().cpusOf(1), "node 1 has one device: all its CPUs");
        v.assertNoProblems();
    }

    /** memory: preferred with the node full: the allocation spills to the other node and succeeds. */
    @Test
    void preferred_spills_to_another_node_when_the_node_is_full() {
        StepResult step = guest.step("preferred-spills");
        Row w = step.row("gpu-worker-0");
        long nodePages = guest.facts().node(1).memKiB() / 4;
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly().cpusOfNode("gpu-worker-0", 1)
                .policy("gpu-worker-0", "preferred:1")
                .problemIf(w.pages() == null, "no placement measured")
                .problemIf(w.pagesOn(1) < nodePages / 2, "only " + w.pagesOn(1) + " pages on node 1 of "
                        + nodePages + ": the preferred node was not filled first (" + w.pages() + ")")
                .problemIf(w.pagesOn(0) == 0, "nothing spilled to node 0 although " + TwoNodeGuest.SPILL_MB
                        + " MiB exceed node 1 (" + w.pages() + ")")
                .problemIf(w.pagesTotalWithEdges() < (TwoNodeGuest.SPILL_MB << 8) - 16,
                        "only " + w.pagesTotalWithEdges() + " pages measured");
        v.assertNoProblems();
    }

    /**
     * When a cgroup's cpuset.mems excludes a node, set_mempolicy on it fails with EINVAL just as for a
     * node without memory; node 1 has memory here, the cpuset withholds it (Mems_allowed_list 0), so
     * the warning must name the cpuset and say to widen cpuset.mems (found in this guest, fixed).
     */
    @Test
    void the_warning_for_a_cpuset_without_the_nodes_memory_names_the_cpuset() {
        StepResult step = guest.step("cpuset-without-node-1-memory");
        String warning = step.agentWarnings().stream().filter(l -> l.contains("refused memory policy")).findFirst().orElse("");
        Verdict.of(step, guest.facts())
                .problemIf(!warning.contains("cpuset") && !warning.contains("Mems_allowed"),
                        "the warning does not say that the cpuset excludes node 1's memory: " + warning)
                .problemIf(warning.contains("A node without memory of its own"),
                        "the warning blames a node without memory, but node 1 has " + (guest.facts().node(1).memKiB() >> 10) + " MiB: " + warning)
                .assertNoProblems();
    }

    /** A cgroup whose cpuset holds half of node 1: node 1's workers get that half only, and the agent says what it may use. */
    @Test
    void a_cpuset_that_excludes_part_of_a_node_keeps_bindings_inside_it() {
        StepResult step = guest.step("cpuset-partial-node");
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly()
                .problemIf(!step.cpuset().contains(TwoNodeGuest.PARTIAL_CPUSET), "the step did not run in its cpuset")
                .logged("this process may use cpus=" + TwoNodeGuest.PARTIAL_CPUSET);
        int[] nodeOf = {0, 0, 1, 1};
        for (int d = 0; d < nodeOf.length; d++) {
            String w = "gpu-worker-" + d;
            v.boundTo(w, nodeOf[d]).policy(w, "preferred:" + nodeOf[d])
                    .logged("thread '" + w + "' (rule gpu-workers, device " + d + ") bound to node " + nodeOf[d]
                            + " cpus=" + v.usableCpusOf(nodeOf[d]));
            v.unbound(w + "-helper");
        }
        v.cpus("gpu-worker-2", "2", "node 1 (2-3) inside the cpuset (0-2)");
        v.assertNoProblems();
    }

    /** A cpuset without node 1's memory: node 1's workers get its CPUs only, with one warning; their memory stays on node 0. */
    @Test
    void a_cpuset_without_the_nodes_memory_falls_back_to_cpus_only_with_a_warning() {
        StepResult step = guest.step("cpuset-without-node-1-memory");
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly()
                .warned("refused memory policy", "node 1")
                .logged("bound to node 1 cpus=" + guest.facts().cpusOf(1) + " memory=not set");
        for (int d = 0; d < 4; d++) {
            String w = "gpu-worker-" + d;
            if (d < 2) {
                v.boundTo(w, 0).policy(w, "preferred:0");
            } else {
                v.cpusOfNode(w, 1).policy(w, "default").pagesOn(w, 0);
            }
        }
        v.problemIf(step.agentWarnings().stream().filter(l -> l.contains("refused memory policy")).count() != 1,
                "not exactly one warning for the refused policy: " + step.agentWarnings());
        v.assertNoProblems();
    }
}
