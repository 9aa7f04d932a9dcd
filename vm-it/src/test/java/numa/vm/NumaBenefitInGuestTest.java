package numa.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import numa.vm.harness.CpuList;
import numa.vm.harness.GuestRun;
import numa.vm.harness.RequiresGuest;
import numa.vm.harness.StepResult;
import numa.vm.harness.Verdict;

/**
 * The NUMA benefit benchmark (bench/numa-benefit.sh) in the 2-node guest, with its shipped rules:
 * bound workers run and allocate on their device's node, wrong ones on the other node, unbound ones
 * anywhere. Under emulation the figures mean nothing; the placement proves the benchmark measures
 * what it says. Its output is kept in vm-work/numa-benefit-in-guest.txt and printed.
 */
@RequiresGuest
class NumaBenefitInGuestTest {

    @Test
    void bound_and_wrong_workers_run_and_allocate_where_the_benchmark_says() throws IOException {
        GuestRun guest = TwoNodeGuest.run();
        StepResult step = guest.step("numa-benefit");
        Files.writeString(guest.dir().getParent().resolve("numa-benefit-in-guest.txt"), step.stdout());
        System.out.println("numa-benefit in the 2-node guest (" + String.format("%.0f", step.seconds()) + " s):\n" + step.stdout());
        Verdict v = Verdict.of(step, guest.facts()).exitedCleanly()
                .logged("thread 'numa-bench-bound-0' (rule bench-bound, device 0) bound to node 0")
                .logged("thread 'numa-bench-bound-1' (rule bench-bound, device 1) bound to node 1")
                .logged("thread 'numa-bench-wrong-0-node-1' (rule bench-wrong, node 1) bound to node 1")
                .logged("thread 'numa-bench-wrong-1-node-0' (rule bench-wrong, node 0) bound to node 0");
        int rows = 0;
        for (String line : step.stdout().lines().toList()) {
            List<String> c = List.of(line.trim().split("\\s+"));
            if (c.size() != 8 || !List.of("bound", "unbound", "wrong").contains(c.get(0))) {
                continue;
            }
            rows++;
            int device = Integer.parseInt(c.get(1));
            String cpus = c.get(2);
            String pages = c.get(4);
            switch (c.get(0)) {
                case "bound" -> expectOn(v, line, cpus, pages, c.get(5), device, guest);
                case "wrong" -> expectOn(v, line, cpus, pages, c.get(5), 1 - device, guest);
                default -> v.problemIf(!CpuList.parse(cpus).equals(CpuList.parse(guest.facts().allCpus())),
                        "unbound worker not on every CPU: " + line);
            }
        }
        v.problemIf(rows != 6, rows + " result rows, expected 2 devices x 3 modes");
        v.problemIf(!step.stdout().contains("bound workers on their node with all pages there: yes; wrong workers on another"
                + " node with all pages there: yes"), "the benchmark's own placement line is not yes/yes");
        v.assertNoProblems();
    }

    private static void expectOn(Verdict v, String line, String cpus, String pages, String share, int node, GuestRun guest) {
        v.problemIf(!CpuList.parse(cpus).equals(CpuList.parse(guest.facts().cpusOf(node))), "not on node " + node + "'s CPUs: " + line);
        v.problemIf(!pages.matches(node + ":\\d+") || !share.equals("100%"), "pages not all on node " + node + ": " + line);
    }
}
