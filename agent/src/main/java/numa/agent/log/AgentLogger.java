package numa.agent.log;

import java.io.PrintStream;
import java.util.Locale;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes {@code numa-agent: message} lines to standard error, one {@code println} per line so that
 * lines of concurrent threads do not interleave. Warnings and errors say so after the prefix.
 */
final class AgentLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static volatile Level threshold = Level.INFO;

    AgentLogger(String name) {
        this.name = name;
    }

    /** {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}. */
    static void setLevel(String level) {
        threshold = Level.valueOf(level.toUpperCase(Locale.ROOT));
    }

    private static boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable thrown) {
        write(level, null, pattern, args, thrown);
    }

    /** A warning logged once for {@code key} (see {@link AgentLog#warnOnce}): the problems list shows its count. */
    void warnUnder(String key, String pattern, Object[] args) {
        if (isWarnEnabled()) {
            write(Level.WARN, key, pattern, args, null);
        }
    }

    /**
     * Never throws: the line is written from hooks inside the application, whose stderr may be
     * anything (System.setErr), with arguments whose toString() may fail.
     */
    private void write(Level level, String key, String pattern, Object[] args, Throwable thrown) {
        try {
            format(level, key, pattern, args, thrown);
        } catch (Throwable t) {
            // nowhere left to say it
        }
    }

    private void format(Level level, String key, String pattern, Object[] args, Throwable thrown) throws java.io.IOException {
        StringBuilder line = new StringBuilder("numa-agent: ");
        if (level == Level.WARN) {
            line.append("warning: ");
        } else if (level == Level.ERROR) {
            line.append("error: ");
        } else if (level == Level.DEBUG || level == Level.TRACE) {
            line.append(level.name().toLowerCase(Locale.ROOT)).append(": ");
        }
        line.append(MessageFormatter.basicArrayFormat(pattern, LogText.safeArguments(args)));
        if (thrown != null) {
            line.append(" (").append(LogText.safe(String.valueOf(thrown))).append(')');
        }
        if (level == Level.WARN || level == Level.ERROR) {
            AgentLog.keepProblem(line.substring("numa-agent: ".length()), key);
        }
        PrintStream err = System.err;
        if (err == jvmStderr) {
            StderrWithoutLock.println(line);
            if (thrown != null && enabled(Level.DEBUG)) {
                StderrWithoutLock.printStackTrace(thrown);
            }
            return;
        }
        err.println(line);
        if (thrown != null && enabled(Level.DEBUG)) {
            thrown.printStackTrace(err);
        }
    }

    /** The JVM's own System.err, taken at premain; null: always System.err (tests, the command line). */
    private static volatile PrintStream jvmStderr;

    static void writeAroundStderrLock() {
        jvmStderr = System.err;
    }
}
