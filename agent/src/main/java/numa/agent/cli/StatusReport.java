package numa.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

import numa.agent.config.AgentSettings;
import numa.agent.observe.AgentReport;
import numa.agent.proc.NumaMaps;
import numa.agent.proc.ProcProcess;
import numa.agent.proc.ThreadDump;
import numa.agent.topology.Topology;

/**
 * {@code status PID}: every thread of a process with its allowed CPUs and the NUMA nodes they fall
 * on (flagged when they span more than one), the process's resident memory per node
 * ({@code numa_maps}, as {@code numastat -p}), and, for a JVM, the Java names of its threads and,
 * when the agent runs inside, the rule that bound each one.
 *
 * <p>Everything but the Java side comes from procfs and works for any process the user may look
 * at. The Java side comes through the Attach API's text commands (see {@link TargetJvm}): the JVM's
 * thread dump gives each kernel thread its Java name, the agent's {@link AgentReport} what it bound.
 * That is what {@code jcmd} does; {@code --no-attach} leaves the JVM alone and shows procfs only.
 * Everything the target says is shown, never acted on, and escaped before it reaches a terminal.
 */
final class StatusReport {
    /** One thread, as shown. */
    record Row(int tid, String name, String comm, Long javaId, String cpus, List<Integer> nodes, boolean spansNodes,
               AgentReport.Row binding) {
    }

    private final ProcProcess process;
    private final Topology topology;
    private final Path sysfs;
    private final List<Row> rows;
    private final Optional<NumaMaps> memory;
    private final Boolean jvm;
    private final String javaNames;
    private final Optional<AgentReport.Parsed> agent;
    private final String agentSummary;
    private final List<String> warnings;

    private StatusReport(ProcProcess process, Topology topology, Path sysfs, List<Row> rows, Optional<NumaMaps> memory,
                         Boolean jvm, String javaNames, Optional<AgentReport.Parsed> agent, String agentSummary,
                         List<String> warnings) {
        this.process = process;
        this.topology = topology;
        this.sysfs = sysfs;
        this.rows = rows;
        this.memory = memory;
        this.jvm = jvm;
        this.javaNames = javaNames;
        this.agent = agent;
        this.agentSummary = agentSummary;
        this.warnings = warnings;
    }

    /**
     * Looks at {@code process}.
     *
     * @param sysfs   {@code --sysfs} when given; else the sysfs the agent in the target reads, else /sys
     * @param attach  false for procfs only ({@code --no-attach})
     * @param timeout seconds each call to the target may take
     * @throws IOException when its threads cannot be listed (the process ended, or may not be read),
     *                     or the target did not answer in time
     */
    static StatusReport of(ProcProcess process, Optional<Path> sysfs, Host host, boolean attach, long timeout)
            throws IOException {
        switch (process.state()) {
            case ZOMBIE -> throw new IOException("process " + process.pid() + " (" + process.name() + ") has exited: it is a"
                    + " zombie (state Z) that its parent has not collected yet; nothing runs in it");
            case GONE -> throw new IOException("process " + process.pid() + " has exited");
            default -> {
                // alive, or stopped: a stopped JVM is reported by the call that times out
            }
        }
        List<String> warnings = new ArrayList<>();
        List<ProcProcess.Task> tasks = process.tasks();
        if (tasks.isEmpty()) {
            throw new IOException("process " + process.pid() + " has no threads left (it is ending)");
        }
        Optional<NumaMaps> memory;
        try {
            memory = Optional.of(process.numaMaps());
        } catch (IOException e) {
            memory = Optional.empty();
            warnings.add("memory per node unknown: cannot read " + process.dir().resolve("numa_maps") + " (" + reason(e)
                    + "); it needs the process's user or root, and a kernel with NUMA");
        }
        Boolean jvm;
        try {
            jvm = process.isJvm();
        } catch (IOException e) {
            jvm = null;
            warnings.add("cannot tell whether it is a JVM: " + process.dir().resolve("maps") + " is not readable ("
                    + reason(e) + "); Java names and bindings need the process's user or root");
        }
        Map<Integer, ThreadDump.Entry> dump = new HashMap<>();
        Optional<AgentReport.Parsed> agent = Optional.empty();
        String names = "comm";
        String summary;
        if (!Boolean.TRUE.equals(jvm)) {
            summary = jvm == null ? "unknown (cannot tell whether it is a JVM)" : "not a Java VM";
        } else if (!attach) {
            summary = "unknown (not attached: --no-attach)";
        } else {
            try (TargetJvm target = TargetJvm.attach(process, timeout)) {
                try {
                    agent = target.agentReport();
                } catch (TargetJvm.NoAnswer e) {
                    throw e;
                } catch (IOException e) {
                    warnings.add(reason(e));
                }
                ThreadDump threads = target.threadDump();
                if (threads.problem() != null) {
                    warnings.add("Java names not shown: the thread dump " + threads.problem() + "; names are the kernel's"
                            + " (comm, 15 characters)");
                } else {
                    threads.entries().forEach(e -> dump.put(e.nativeId(), e));
                    names = "thread dump";
                }
            } catch (TargetJvm.NoAnswer e) {
                throw e;
            } catch (IOException e) {
                warnings.add("Java names and bindings unknown: " + reason(e));
            }
            summary = agent.map(StatusReport::describe).orElse("not running in this JVM (it has no system property "
                    + AgentReport.PROPERTY + ", which the agent sets)");
        }
        Map<Integer, AgentReport.Row> bindings = new HashMap<>();
        agent.filter(AgentReport.Parsed::running).ifPresent(a -> {
            Map<Long, Integer> tidOfJavaId = new HashMap<>();
            dump.values().stream().filter(ThreadDump.Entry::isJavaThread).forEach(e -> tidOfJavaId.put(e.javaId(), e.nativeId()));
            a.attachResults().stream().filter(r -> r.tid() >= 0 && dump.containsKey(r.tid())).forEach(r -> bindings.put(r.tid(), r));
            for (AgentReport.Row r : a.boundThreads()) {
                Integer tid = r.tid() >= 0 ? Integer.valueOf(r.tid()) : tidOfJavaId.get(r.javaThreadId());
                if (tid != null && dump.containsKey(tid)) {
                    bindings.put(tid, r);
                }
            }
        });
        Path root = sysfs.orElse(agent.map(AgentReport.Parsed::sysfs).filter(p -> !p.isEmpty()).map(Path::of)
                .orElse(Path.of(AgentSettings.DEFAULT_SYSFS)));
        Machine machine = Machine.read(root, host);
        warnings.addAll(0, machine.warnings());
        Topology topology = machine.topology();
        List<Row> rows = new ArrayList<>();
        for (ProcProcess.Task t : tasks) {
            TreeSet<Integer> nodes = new TreeSet<>();
            t.cpus().stream().map(topology::nodeOfCpu).filter(n -> n >= 0).forEach(nodes::add);
            ThreadDump.Entry e = dump.get(t.tid());
            rows.add(new Row(t.tid(), e != null ? e.name() : t.comm(), t.comm(),
                    e != null && e.isJavaThread() ? e.javaId() : null, t.cpus().toString(), List.copyOf(nodes),
                    nodes.size() > 1, bindings.get(t.tid())));
        }
        return new StatusReport(process, topology, machine.sysfs(), rows, memory, jvm, names, agent, summary, warnings);
    }

    private static String describe(AgentReport.Parsed a) {
        if (!a.running()) {
            return "not running in this JVM (" + a.state() + ")";
        }
        return "runs inside (" + a.mode() + ", since " + Instant.ofEpochMilli(a.startTime()) + ", version " + a.version()
                + (a.config().isEmpty() ? ", no config" : ", config " + a.config()) + "): " + a.state();
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    List<Row> rows() {
        return rows;
    }

    List<String> warnings() {
        return warnings;
    }

    /** The JSON form; its keys are a contract for scripts: add, never rename. */
    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("pid", process.pid());
        root.put("command", process.commandLine());
        root.put("jvm", jvm);
        root.put("java_names", javaNames);
        root.put("agent", agentJson());
        root.put("sysfs", sysfs.toString());
        root.put("numa", topology.isNuma());
        List<Object> nodes = new ArrayList<>();
        topology.nodes().forEach(n -> {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", n.id());
            node.put("cpus", n.cpus().toString());
            nodes.add(node);
        });
        root.put("nodes", nodes);
        root.put("memory", memory.map(StatusReport::memoryJson).orElse(null));
        List<Object> threads = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("tid", r.tid());
            t.put("name", r.name());
            t.put("comm", r.comm());
            t.put("java_id", r.javaId());
            t.put("cpus", r.cpus());
            t.put("nodes", r.nodes());
            t.put("spans_nodes", r.spansNodes());
            AgentReport.Row b = r.binding();
            t.put("rule", b == null ? null : b.rule());
            t.put("device", b == null || b.device() < 0 ? null : b.device());
            t.put("node", b == null || b.node() < 0 ? null : b.node());
            t.put("bound_cpus", b == null ? null : b.cpus());
            t.put("memory_policy", b == null ? null : b.memory());
            t.put("outcome", b == null ? null : b.outcome());
            t.put("trigger", b == null ? null : b.trigger());
            t.put("detail", b == null || b.detail().isEmpty() ? null : b.detail());
            threads.add(t);
        }
        root.put("threads", threads);
        root.put("spanning_threads", rows.stream().filter(Row::spansNodes).count());
        root.put("warnings", warnings);
        return JsonWriter.write(root) + "\n";
    }

    private Map<String, Object> agentJson() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("running", agentSummary.startsWith("runs inside") ? Boolean.TRUE
                : agentSummary.startsWith("not running") ? Boolean.FALSE : null);
        a.put("summary", agentSummary);
        agent.ifPresent(v -> {
            a.put("version", v.version());
            a.put("mode", v.mode());
            a.put("start_time", Instant.ofEpochMilli(v.startTime()).toString());
            a.put("config", v.config().isEmpty() ? null : v.config());
            a.put("dry_run", v.dryRun());
            a.put("state", v.state());
            a.put("rules", v.rules());
            List<Object> counts = new ArrayList<>();
            v.ruleCounts().forEach(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rule", c.rule());
                m.put("bound", c.bound());
                m.put("failed", c.failed());
                m.put("reset", c.reset());
                m.put("no_device", c.noDevice());
                counts.add(m);
            });
            a.put("rule_counts", counts);
            a.put("problems", v.problems());
        });
        return a;
    }

    private static Map<String, Object> memoryJson(NumaMaps m) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> nodes = new ArrayList<>();
        m.bytesByNode().forEach((node, bytes) -> {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("node", node);
            n.put("bytes", bytes);
            n.put("huge_page_bytes", m.hugeBytesByNode().getOrDefault(node, 0L));
            nodes.add(n);
        });
        out.put("nodes", nodes);
        out.put("total_bytes", m.totalBytes());
        return out;
    }

    /** The table form, for people. */
    String text() {
        StringBuilder out = new StringBuilder();
        String command = process.commandLine();
        out.append("process ").append(process.pid()).append(": ")
                .append(PrintableText.escape(command.isEmpty() ? process.name() : abbreviate(command, 120))).append('\n');
        out.append("numa-agent: ").append(PrintableText.escape(agentSummary)).append('\n');
        out.append("topology: ").append(sysfs).append(", ")
                .append(topology.isNuma() ? topology.nodes().stream().map(n -> "node " + n.id() + " cpus " + n.cpus())
                        .collect(Collectors.joining("; ")) : "no NUMA nodes").append('\n');
        out.append("resident memory per node (numa_maps): ").append(memory.map(StatusReport::memoryText).orElse("unknown"))
                .append('\n');
        out.append('\n');
        TextTable table = new TextTable("tid", "thread", "cpus", "nodes", "rule", "device", "node", "memory", "outcome")
                .alignRight(0);
        for (Row r : rows) {
            AgentReport.Row b = r.binding();
            table.row(r.tid(), abbreviate(PrintableText.escape(r.name()), 40), r.cpus(),
                    (r.nodes().isEmpty() ? "-" : r.nodes().stream().map(String::valueOf).collect(Collectors.joining(",")))
                            + (r.spansNodes() ? " *" : ""),
                    b == null ? "-" : PrintableText.escape(b.rule()), b == null || b.device() < 0 ? "-" : b.device(),
                    b == null || b.node() < 0 ? "-" : b.node(), b == null ? "-" : b.memory(), b == null ? "-" : b.outcome());
        }
        out.append(table.render("  "));
        long spanning = rows.stream().filter(Row::spansNodes).count();
        long bound = rows.stream().filter(r -> r.binding() != null && !r.binding().outcome().equals("reset")).count();
        out.append('\n').append(rows.size()).append(" threads (names from ").append(javaNames).append("): ")
                .append(bound).append(" bound by a rule, ").append(spanning).append(" with cpus spanning more than one node (*)")
                .append('\n');
        agent.ifPresent(a -> {
            if (!a.ruleCounts().isEmpty()) {
                out.append("rules: ").append(a.ruleCounts().stream()
                        .map(c -> PrintableText.escape(c.rule()) + " bound " + c.bound() + ", failed " + c.failed()
                                + ", reset " + c.reset() + (c.noDevice() > 0 ? ", no device " + c.noDevice() : ""))
                        .collect(Collectors.joining("; "))).append('\n');
            }
            a.problems().forEach(p -> out.append("agent: ").append(PrintableText.escape(p)).append('\n'));
        });
        warnings.forEach(w -> out.append("warning: ").append(PrintableText.escape(w)).append('\n'));
        return out.toString();
    }

    private static String memoryText(NumaMaps m) {
        long total = m.totalBytes();
        if (total == 0) {
            return "none resident";
        }
        return m.bytesByNode().entrySet().stream()
                .map(e -> "node " + e.getKey() + " " + mib(e.getValue()) + " (" + Math.round(100.0 * e.getValue() / total) + "%)")
                .collect(Collectors.joining(", "));
    }

    private static String mib(long bytes) {
        if (bytes >= 10L << 20) {
            return (bytes >> 20) + " MiB";
        }
        return bytes >= 1L << 20 ? String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0) : (bytes >> 10) + " KiB";
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
