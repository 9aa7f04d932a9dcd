package numa.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import numa.agent.config.AgentConfig;
import numa.agent.config.AgentSettings;
import numa.agent.config.Rule;
import numa.agent.proc.ProcProcess;
import numa.agent.proc.ThreadDump;
import numa.agent.topology.SysfsTopologyReader;
import numa.agent.topology.Topology;

/**
 * What {@code attach} can tell when it cannot read the agent's MBean (JMX over the loopback network
 * unavailable, or {@code --no-jmx}): the running threads whose Java names a thread rule of the config
 * matches, with the CPUs the kernel now gives them and the nodes those fall on, read from /proc.
 * A thread on one node was bound; one still spanning nodes was not (see the JVM's stderr).
 * {@code thread-class} rules cannot be judged from outside and are said so.
 */
final class OutsideReport {
    /** One thread a rule names. */
    record Row(int tid, String name, String rule, String cpus, List<Integer> nodes) {
        boolean bound() {
            return nodes.size() == 1;
        }
    }

    private final long pid;
    private final List<Row> rows;
    private final String namesFrom;
    private final List<String> notes;

    private OutsideReport(long pid, List<Row> rows, String namesFrom, List<String> notes) {
        this.pid = pid;
        this.rows = rows;
        this.namesFrom = namesFrom;
        this.notes = notes;
    }

    static OutsideReport of(long pid, ProcProcess process, JvmConnection vm, AgentConfig config, List<String> notes)
            throws IOException {
        notes.add("the agent's report could not be read (JMX " + vm.jmxProblem() + "): what follows is what /proc shows");
        Map<Integer, String> names = new HashMap<>();
        String namesFrom;
        try {
            vm.threadDump().entries().forEach(e -> names.put(e.nativeId(), e.name()));
            namesFrom = vm.threadDumpSource();
        } catch (IOException e) {
            namesFrom = "comm";
            notes.add("Java names unknown (" + e.getMessage() + "): the kernel's names, cut to 15 characters, are matched");
        }
        if (config.rules().stream().anyMatch(r -> r.thread() == null && r.threadClass() != null)) {
            notes.add("thread-class rules cannot be judged from outside: their threads are not listed");
        }
        String sysfs = config.sysfs() != null ? config.sysfs() : AgentSettings.DEFAULT_SYSFS;
        Topology topology = new SysfsTopologyReader(Path.of(sysfs)).read();
        List<Row> rows = new ArrayList<>();
        for (ProcProcess.Task t : process.tasks()) {
            String name = names.getOrDefault(t.tid(), t.comm());
            if (name.startsWith("numa-agent")) {
                continue;
            }
            for (Rule r : config.rules()) {
                if (r.thread() != null && r.threadClass() == null && r.thread().matcher(name).matches()) {
                    TreeSet<Integer> nodes = new TreeSet<>();
                    t.cpus().stream().map(topology::nodeOfCpu).filter(n -> n >= 0).forEach(nodes::add);
                    rows.add(new Row(t.tid(), name, r.name(), t.cpus().toString(), List.copyOf(nodes)));
                    break;
                }
            }
        }
        return new OutsideReport(pid, rows, namesFrom, notes);
    }

    /** Prints the report; returns 0 when every thread a rule names is on one node now, else 1. */
    int print(Host host, boolean json) {
        boolean allBound = rows.stream().allMatch(Row::bound);
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("pid", pid);
            root.put("loaded", true);
            root.put("already_running", false);
            root.put("source", "proc");
            root.put("names_from", namesFrom);
            List<Object> threads = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("tid", r.tid());
                t.put("name", r.name());
                t.put("rule", r.rule());
                t.put("node", r.bound() ? r.nodes().get(0) : null);
                t.put("cpus", r.cpus());
                t.put("nodes", r.nodes());
                t.put("memory_policy", "not set");
                t.put("outcome", r.bound() ? "cpus-only" : "unchanged");
                threads.add(t);
            }
            root.put("running_threads", threads);
            root.put("notes", notes);
            host.out().print(JsonWriter.write(root) + "\n");
        } else {
            host.out().println("numa-agent loaded into " + pid + "; its running threads as /proc shows them (names from "
                    + namesFrom + "):");
            TextTable table = new TextTable("tid", "thread", "rule", "cpus", "nodes", "outcome").alignRight(0);
            for (Row r : rows) {
                table.row(r.tid(), r.name(), r.rule(), r.cpus(), r.nodes().isEmpty() ? "-" : r.nodes().toString(),
                        r.bound() ? "cpus-only" : "unchanged");
            }
            host.out().print(table.render("  "));
            host.out().println("threads started from now on are bound as they start (CPUs and memory policy)");
        }
        notes.forEach(n -> host.err().println("numa-agent: note: " + n));
        return allBound ? Cli.EXIT_OK : Cli.EXIT_FAILURE;
    }
}
