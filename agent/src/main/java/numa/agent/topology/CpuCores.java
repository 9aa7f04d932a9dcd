package numa.agent.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The SMT siblings of each CPU ({@code devices/system/cpu/cpuN/topology/thread_siblings_list}),
 * read on demand and kept. A CPU whose file is missing is its own core.
 */
public final class CpuCores implements IntFunction<CpuSet> {
    private final Path cpuDir;
    private final Map<Integer, CpuSet> cache = new HashMap<>();

    public CpuCores(Path sysfsRoot) {
        this.cpuDir = sysfsRoot.resolve("devices/system/cpu");
    }

    @Override
    public synchronized CpuSet apply(int cpu) {
        return cache.computeIfAbsent(cpu, c -> {
            Path f = cpuDir.resolve("cpu" + c).resolve("topology/thread_siblings_list");
            try {
                CpuSet s = CpuSet.parse(Files.readString(f));
                return s.contains(c) ? s : s.union(CpuSet.of(c));
            } catch (IOException | IllegalArgumentException e) {
                return CpuSet.of(c);
            }
        });
    }
}
