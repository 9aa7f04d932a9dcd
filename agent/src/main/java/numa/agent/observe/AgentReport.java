package numa.agent.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the agent tells {@code status} and {@code attach} about itself, as text in one system
 * property ({@value #PROPERTY}) that the command line reads through the Attach API's
 * {@code properties} command: no JMX, no port, nothing deserialized, and nothing an application
 * gets by naming a thread.
 *
 * <p>One record a line, fields separated by tabs, each field percent-escaped ({@code %}, tab, CR and
 * LF), so that no name or message can add a line or a field. The first line is
 * {@value #HEADER}; a text without it is not a report. The property is set by the agent alone, but
 * the application can overwrite it: the command line treats it as the target's word about itself
 * (shown, never acted on), and bounds what it reads.
 */
public final class AgentReport {
    public static final String PROPERTY = "numa-agent.report";
    static final String HEADER = "numa-agent-report 1";
    /** Live bound threads listed at most: the rest are counted. */
    static final int MAX_THREADS = 5000;

    /** One rule's counts. */
    public record Count(String rule, long bound, long failed, long reset, long noDevice) {
    }

    /** One thread's binding as the agent reports it; {@code tid} -1 when it did not know it. */
    public record Row(int tid, long javaThreadId, String thread, String rule, int device, int node, String cpus,
                      String memory, String outcome, String detail, String trigger, long costNanos) {
    }

    /**
     * The parsed report.
     *
     * @param running false when no agent is active (a dry-run attach, which installed nothing, left it)
     * @param sysfs   the sysfs root the agent reads its topology from
     */
    public record Parsed(String version, String mode, long startTime, String config, boolean dryRun, String state,
                         boolean running, String sysfs, List<String> topology, List<String> devices, List<String> rules,
                         List<Count> ruleCounts, List<Row> boundThreads, List<Row> attachResults, List<Row> failures,
                         List<String> problems) {
    }

    private AgentReport() {
    }

    /** The report as of now. */
    static String build(String version, boolean running, String sysfs) {
        AgentInfo info = BindingLog.info();
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        line(out, "version", version);
        line(out, "mode", info.mode());
        line(out, "start", Long.toString(info.startMillis()));
        line(out, "config", info.config());
        line(out, "dry-run", Boolean.toString(info.dryRun()));
        line(out, "state", info.state());
        line(out, "running", Boolean.toString(running));
        line(out, "sysfs", sysfs == null ? "" : sysfs);
        info.nodes().forEach(n -> line(out, "topology", n));
        info.devices().forEach(d -> line(out, "device", d));
        info.rules().forEach(r -> line(out, "rule", r));
        for (Map.Entry<String, long[]> c : BindingLog.counts().entrySet()) {
            line(out, "count", c.getKey(), Long.toString(c.getValue()[0]), Long.toString(c.getValue()[1]),
                    Long.toString(c.getValue()[2]), Long.toString(c.getValue()[3]));
        }
        int listed = 0;
        for (BindingRecord r : BindingLog.liveThreads().values()) {
            if (listed++ == MAX_THREADS) {
                break;
            }
            row(out, "thread", r);
        }
        BindingLog.attached().forEach(r -> row(out, "attached", r));
        BindingLog.failures().forEach(r -> row(out, "failure", r));
        numa.agent.log.AgentLog.recentProblems().forEach(p -> line(out, "problem", p));
        out.append("end\n");
        return out.toString();
    }

    /** Sets the property to the report as of now. Never throws. */
    public static void publish(String version, boolean running, String sysfs) {
        try {
            System.setProperty(PROPERTY, build(version, running, sysfs));
        } catch (Throwable t) {
            // a security manager that denies it, or no memory: status then says the agent is not seen
        }
    }

    private static void row(StringBuilder out, String kind, BindingRecord r) {
        line(out, kind, Integer.toString(r.tid()), Long.toString(r.javaThreadId()), r.thread(), r.rule(),
                Integer.toString(r.device()), Integer.toString(r.node()), r.cpus(), r.memory(), r.outcome().label(),
                r.detail(), r.trigger(), Long.toString(r.costNanos()));
    }

    private static void line(StringBuilder out, String kind, String... fields) {
        out.append(kind);
        for (String f : fields) {
            out.append('\t').append(escape(f == null ? "" : f));
        }
        out.append('\n');
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case '\t' -> b.append("%09");
                case '\n' -> b.append("%0A");
                case '\r' -> b.append("%0D");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                String hex = s.substring(i + 1, Math.min(s.length(), i + 3));
                switch (hex) {
                    case "25" -> b.append('%');
                    case "09" -> b.append('\t');
                    case "0A" -> b.append('\n');
                    case "0D" -> b.append('\r');
                    default -> throw new IllegalArgumentException("bad escape %" + hex);
                }
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Reads a report.
     *
     * @throws IllegalArgumentException when the text is not a whole report, saying where
     */
    public static Parsed parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 2 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("it does not start with '" + HEADER + "'");
        }
        String version = "";
        String mode = "";
        long start = 0;
        String config = "";
        boolean dryRun = false;
        String state = "";
        boolean running = false;
        String sysfs = "";
        boolean ended = false;
        List<String> topology = new ArrayList<>();
        List<String> devices = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        List<Count> counts = new ArrayList<>();
        List<Row> threads = new ArrayList<>();
        List<Row> attached = new ArrayList<>();
        List<Row> failures = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 1; i < lines.length && !ended; i++) {
            String[] f = lines[i].split("\t", -1);
            for (int k = 1; k < f.length; k++) {
                f[k] = unescape(f[k]);
            }
            try {
                switch (f[0]) {
                    case "version" -> version = f[1];
                    case "mode" -> mode = f[1];
                    case "start" -> start = Long.parseLong(f[1]);
                    case "config" -> config = f[1];
                    case "dry-run" -> dryRun = Boolean.parseBoolean(f[1]);
                    case "state" -> state = f[1];
                    case "running" -> running = Boolean.parseBoolean(f[1]);
                    case "sysfs" -> sysfs = f[1];
                    case "topology" -> topology.add(f[1]);
                    case "device" -> devices.add(f[1]);
                    case "rule" -> rules.add(f[1]);
                    case "problem" -> problems.add(f[1]);
                    // an agent without the no-device count writes four fields
                    case "count" -> counts.add(new Count(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                            f.length > 5 ? Long.parseLong(f[5]) : 0));
                    case "thread" -> threads.add(row(f));
                    case "attached" -> attached.add(row(f));
                    case "failure" -> failures.add(row(f));
                    case "end" -> ended = true;
                    default -> {
                        // a later version's record: skipped
                    }
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not a valid '" + f[0] + "' record (" + e + ")");
            }
        }
        if (!ended) {
            throw new IllegalArgumentException("it has no 'end' line (cut short)");
        }
        return new Parsed(version, mode, start, config, dryRun, state, running, sysfs, topology, devices, rules, counts,
                threads, attached, failures, problems);
    }

    private static Row row(String[] f) {
        if (f.length != 13) {
            throw new IllegalArgumentException(f.length - 1 + " fields, expected 12");
        }
        return new Row(Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3], f[4], Integer.parseInt(f[5]),
                Integer.parseInt(f[6]), f[7], f[8], f[9], f[10], f[11], Long.parseLong(f[12]));
    }
}
