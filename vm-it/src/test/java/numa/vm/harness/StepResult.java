package numa.vm.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import numa.it.harness.Json;

/**
 * What one step did in the guest: exit status, output, time (guest clock), and the engine's rows.
 * {@link #toString()} is the whole story; every failing check prints it.
 *
 * @param rc      the command's exit status; -1 when the guest never wrote one (it ran out of time)
 * @param seconds how long the step ran, by the guest's clock
 * @param cpuset  the step's own {@code Cpus_allowed_list}/{@code Mems_allowed_list} after it
 *                entered its cgroup ("" without one)
 */
public record StepResult(GuestStep step, Path dir, int rc, String stdout, String stderr, double seconds, String cpuset) {

    public String name() {
        return step.name();
    }

    /** The engine's rows; fails with the whole story when it did not end cleanly. */
    public List<Row> rows() {
        if (rc != 0) {
            throw new AssertionError("step " + name() + " did not exit cleanly" + this);
        }
        try {
            return ((List<?>) Json.parse(stdout)).stream().map(r -> Row.fromJson((Map<?, ?>) r)).toList();
        } catch (RuntimeException e) {
            throw new AssertionError("stdout of step " + name() + " is not the engine's JSON (" + e + ")" + this, e);
        }
    }

    /** The row of thread {@code name} (not a /proc/self/task row). */
    public Row row(String name) {
        return rows().stream().filter(r -> r.name().equals(name) && !r.kind().equals("task")).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no row named " + name + " in step " + name() + this));
    }

    public List<Row> rowsOfKind(String kind) {
        return rows().stream().filter(r -> r.kind().equals(kind)).toList();
    }

    /** The agent's lines on stderr. */
    public List<String> agentLines() {
        return stderr.lines().filter(l -> l.startsWith("numa-agent:")).toList();
    }

    public List<String> agentWarnings() {
        return stderr.lines().filter(l -> l.startsWith("numa-agent: warning:")).toList();
    }

    /** The cgroup's CPUs this step ran in, or null without a cpuset. */
    public String cpusetCpus() {
        return step.cpusetCpus();
    }

    @Override
    public String toString() {
        return "\n--- step " + name() + " (" + dir + ", " + String.format("%.1f", seconds) + " s in the guest)"
                + "\n--- exit: " + rc
                + (cpuset.isEmpty() ? "" : "\n--- cpuset: " + cpuset.replace('\n', ' '))
                + "\n--- stderr:\n" + stderr
                + "--- stdout:\n" + stdout + "---\n";
    }
}
