package numa.agent.bind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import numa.agent.topology.CpuSet;

/**
 * {@code cpus: exclusive}: a node's usable CPUs split into disjoint, contiguous shares, one per
 * device on the node, whole cores at a time (SMT siblings stay together, as two workers on one
 * core's hyperthreads would fight over it). Shares differ by at most one core.
 */
final class ExclusiveSplit {
    private ExclusiveSplit() {
    }

    /** The usable CPUs grouped by core, cores in order of their lowest CPU. */
    static List<CpuSet> cores(CpuSet usable, IntFunction<CpuSet> coreOfCpu) {
        Set<CpuSet> cores = new LinkedHashSet<>();
        for (int cpu : usable.toArray()) {
            CpuSet core = coreOfCpu.apply(cpu).intersect(usable);
            cores.add(core.isEmpty() ? CpuSet.of(cpu) : core);
        }
        return new ArrayList<>(cores);
    }

    /** Share {@code k} of {@code n}; empty when there are fewer cores than shares. */
    static CpuSet share(CpuSet usable, int n, int k, IntFunction<CpuSet> coreOfCpu) {
        List<CpuSet> cores = cores(usable, coreOfCpu);
        if (n <= 0 || k < 0 || cores.size() < n) {
            return CpuSet.EMPTY;
        }
        int from = (int) ((long) k * cores.size() / n);
        int to = (int) ((long) (k + 1) * cores.size() / n);
        CpuSet out = CpuSet.EMPTY;
        for (CpuSet core : cores.subList(from, to)) {
            out = out.union(core);
        }
        return out;
    }
}
