package numa.it.harness;

import java.time.Duration;
import java.util.List;

/**
 * What one launched JVM did: exit status, its output, and the engine's reports parsed from stdout.
 * {@link #toString()} is the whole story (command, status, stderr, stdout), and tests put it in
 * every assertion's description, so a failing assertion shows what the agent said.
 */
public record RunResult(String command, Jdk jdk, int exitCode, boolean timedOut, Duration took,
                        String stdout, String stderr) {
    private static final String AGENT_PREFIX = "numa-agent:";
    private static final String APP_PREFIX = "testapp:";

    /** The agent's own lines on stderr. */
    public List<String> agentLines() {
        return stderr.lines().filter(l -> l.startsWith(AGENT_PREFIX)).toList();
    }

    /** The agent's warnings ({@code numa-agent: warning: ...}). */
    public List<String> agentWarnings() {
        return stderr.lines().filter(l -> l.startsWith(AGENT_PREFIX + " warning:")).toList();
    }

    /**
     * Every stderr line the demo engine did not write: the agent's lines and anything the JVM
     * printed because of the agent (native-access or CDS warnings; the harness sends the JVM's own
     * log to stderr). What "one line" promises count. Left out: the JVM's hsperfdata lock warning,
     * which JVMs started at the same moment print whether an agent is there or not.
     */
    public List<String> linesNotFromApp() {
        return stderr.lines().filter(l -> !l.startsWith(APP_PREFIX) && !l.isBlank() && !l.contains("/hsperfdata_"))
                .toList();
    }

    /** The engine's rows; fails with the whole story when the JVM did not run to a clean end. */
    public Reports reports() {
        if (timedOut || exitCode != 0) {
            throw new AssertionError("the demo engine did not exit cleanly\n" + this);
        }
        try {
            return Reports.parse(stdout);
        } catch (RuntimeException e) {
            throw new AssertionError("stdout is not the engine's JSON (" + e.getMessage() + ")\n" + this, e);
        }
    }

    @Override
    public String toString() {
        return "\n--- command (" + jdk + ", " + took.toMillis() + " ms): " + command
                + "\n--- exit: " + (timedOut ? "TIMED OUT" : Integer.toString(exitCode))
                + "\n--- stderr:\n" + stderr
                + "--- stdout:\n" + stdout + "---\n";
    }
}
