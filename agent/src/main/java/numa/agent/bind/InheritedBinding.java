package numa.agent.bind;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import numa.agent.topology.CpuSet;

/**
 * The handshake between the agent of a parent process and the agent of a JVM it spawned.
 *
 * <p>When the parent's agent binds a child process (a {@code process} rule, a {@code bind: children}
 * call, or a reset under {@code children: reset}), the child inherits the binding: every thread of
 * a child JVM, from its first, runs on the CPUs and under the memory policy the parent chose. The
 * parent also sets {@value #VARIABLE} in the child's environment, e.g.
 * <pre>node=1;cpus=8-15;memory=preferred:1;device=2;parent=4711;rule=spawned-workers</pre>
 * The child's agent then treats that binding as its own process-wide binding: its
 * {@code process} section is not applied (the parent chose this worker's node; binding it a second
 * time, elsewhere, is exactly the conflict to avoid), threads that {@code children: reset} resets get
 * this binding rather than all CPUs, and its rules are planned within it. A value whose CPU set is
 * not what the process really has at start is stale (something re-bound the process in between, e.g.
 * taskset in a wrapper script) and is ignored.
 *
 * @param node      the node the parent bound the child to, or -1 (none: an original binding)
 * @param device    the device of the rule, or -1
 * @param cpus      the child's CPU set
 * @param memory    the child's memory policy; {@link MemPolicy#DEFAULT} when the parent could not set one
 * @param parentPid the parent's process id
 * @param rule      the parent's rule that bound the child
 */
public record InheritedBinding(int node, int device, CpuSet cpus, MemPolicy memory, long parentPid, String rule) {
    public static final String VARIABLE = "NUMA_AGENT_INHERITED_BINDING";

    /** The binding a child of {@code parentPid} gets, as the parent's agent writes it. */
    public static InheritedBinding of(Binding binding, boolean memoryApplied, long parentPid, String rule) {
        return new InheritedBinding(binding.node(), binding.device(), binding.cpus(),
                memoryApplied && binding.memory() != null ? binding.memory() : MemPolicy.DEFAULT, parentPid, rule);
    }

    /** The variable's value; the rule comes last, so it may hold any character. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("node=").append(node).append(";cpus=").append(cpus).append(";memory=").append(memory.describe());
        if (memory.mode() != MemPolicy.Mode.DEFAULT) {
            sb.append(':').append(nodeList(memory));
        }
        if (device >= 0) {
            sb.append(";device=").append(device);
        }
        sb.append(";parent=").append(parentPid).append(";rule=").append(rule == null ? "" : rule.replace('\0', ' '));
        return sb.toString();
    }

    /**
     * Reads a value written by {@link #format()}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InheritedBinding parse(String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        String rest = value.strip();
        while (!rest.isEmpty()) {
            int eq = rest.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + rest + "' is not key=value");
            }
            String key = rest.substring(0, eq);
            String after = rest.substring(eq + 1);
            if (key.equals("rule")) {
                fields.put(key, after);
                break;
            }
            int semi = after.indexOf(';');
            fields.put(key, semi < 0 ? after : after.substring(0, semi));
            rest = semi < 0 ? "" : after.substring(semi + 1);
        }
        String cpus = fields.get("cpus");
        if (cpus == null || cpus.isBlank()) {
            throw new IllegalArgumentException("no cpus=");
        }
        return new InheritedBinding(number(fields.get("node"), -1), number(fields.get("device"), -1), CpuSet.parse(cpus),
                memory(fields.getOrDefault("memory", "default")), number(fields.get("parent"), -1),
                fields.getOrDefault("rule", ""));
    }

    /** What this process's threads get on a reset: the inherited binding. */
    public Binding binding() {
        return new Binding(node, device, cpus, memory);
    }

    /** For log lines: {@code node 1 cpus=1 memory=preferred (device 2, rule spawned-workers, parent pid 4711)}. */
    public String describe() {
        return binding().describe() + " (" + (device >= 0 ? "device " + device + ", " : "") + "rule " + rule
                + ", parent pid " + parentPid + ")";
    }

    private static MemPolicy memory(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String mode = colon < 0 ? t : t.substring(0, colon);
        if (mode.equals("default") || mode.isEmpty()) {
            return MemPolicy.DEFAULT;
        }
        MemPolicy.Mode m;
        try {
            m = MemPolicy.Mode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("memory=" + text + " is not a memory policy");
        }
        if (colon < 0) {
            throw new IllegalArgumentException("memory=" + text + " names no node");
        }
        java.util.BitSet nodes = new java.util.BitSet();
        CpuSet.parse(t.substring(colon + 1)).stream().forEach(nodes::set); // the same list syntax as CPUs
        return new MemPolicy(m, nodes);
    }

    private static int number(String text, int otherwise) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
    }

    private static String nodeList(MemPolicy memory) {
        java.util.BitSet b = memory.nodes();
        return CpuSet.fromBits(b).toString();
    }
}
