package numa.agent.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logging entry points of the agent: the level switch, and "each failure once": a failure is
 * logged the first time its key (its cause) is seen and counted afterwards, so a broken rule cannot
 * flood the application's stderr from every Thread.start. The counts are not lost: the problems the
 * MBean and {@code numa-agent status} show say how often each happened, and at exit one line per
 * cause says how many times it happened after it was logged.
 *
 * <p>Nothing here throws: it is called from catch blocks of hooks that run inside the application.
 */
public final class AgentLog {
    private static final ConcurrentHashMap<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
    /** The last warnings and errors, for the MBean: they went to the application's stderr, not to the operator. */
    private static final Deque<Problem> PROBLEMS = new ArrayDeque<>();
    private static final int PROBLEMS_KEPT = 100;
    /** Causes listed at most by the exit summary (then "and N more"). */
    private static final int SUMMARY_KEPT = 10;
    private static final AtomicBoolean SUMMARY_HOOK = new AtomicBoolean();

    /** A warning or error as logged, and the once-only key it was logged under (null: none). */
    private record Problem(String line, String key) {
    }

    private AgentLog() {
    }

    public static void setLevel(String level) {
        AgentLogger.setLevel(level);
    }

    /**
     * From now on, while {@code System.err} is still the stream the JVM started with, lines go
     * straight to file descriptor 2: {@code System.err}'s lock is the application's, and the
     * agent's background thread must never wait for it while the application waits for the agent
     * (a thread started while holding {@code System.err}'s lock did). A stream the application
     * sets later ({@code System.setErr}) is used as it is: it asked for its own.
     */
    public static void writeAroundStderrLock() {
        AgentLogger.writeAroundStderrLock();
    }

    /**
     * The agent's loggers are SLF4J loggers of its own backend, created directly: going through
     * LoggerFactory would run SLF4J's provider discovery (ServiceLoader, ~20 classes) in premain for
     * nothing, since the agent's class loader can only ever find this backend. The provider stays
     * registered for any library in the agent that asks LoggerFactory itself.
     */
    public static Logger logger(String name) {
        return new AgentLogger("numa.agent." + name);
    }

    /**
     * Logs a warning the first time {@code key} is seen and counts every time; returns whether it
     * was logged. The key names the cause (a rule and what failed, an errno, an exception class),
     * never something that changes from one occurrence to the next. Never throws.
     */
    public static boolean warnOnce(Logger log, String key, String message, Object... args) {
        try {
            AtomicLong count = SEEN.computeIfAbsent(key, k -> new AtomicLong());
            long before = count.getAndIncrement();
            if (before == 0) {
                if (log instanceof AgentLogger agentLogger) {
                    agentLogger.warnUnder(key, message, args);
                } else {
                    log.warn(message, args);
                }
                return true;
            }
            if (before == 1) {
                summarizeAtExit();
            }
            return false;
        } catch (Throwable t) {
            return false; // out of memory, or a broken stderr: the agent cannot report that it cannot report
        }
    }

    /** {@code t.toString()}, or its class name when that throws (an exception of the application may). */
    public static String describe(Throwable t) {
        try {
            return String.valueOf(t);
        } catch (Throwable e) {
            return t.getClass().getName() + " (its toString() threw " + e.getClass().getName() + ")";
        }
    }

    /** How many times a once-only failure happened (0 if never). */
    public static long occurrences(String key) {
        AtomicLong c = SEEN.get(key);
        return c == null ? 0 : c.get();
    }

    /**
     * Keeps a warning or error line (without the {@code numa-agent: } prefix) for
     * {@link #recentProblems()}; {@code key} is the once-only key it was logged under, or null.
     */
    static void keepProblem(String line, String key) {
        synchronized (PROBLEMS) {
            if (PROBLEMS.size() == PROBLEMS_KEPT) {
                PROBLEMS.removeFirst();
            }
            PROBLEMS.addLast(new Problem(line, key));
        }
    }

    /**
     * The last warnings and errors the agent logged, oldest first; one logged once for a cause that
     * happened again ends with {@code (N times, logged once)}.
     */
    public static List<String> recentProblems() {
        List<Problem> problems;
        synchronized (PROBLEMS) {
            problems = new ArrayList<>(PROBLEMS);
        }
        List<String> out = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            long n = p.key() == null ? 0 : occurrences(p.key());
            out.add(n > 1 ? p.line() + " (" + n + " times, logged once)" : p.line());
        }
        return out;
    }

    /**
     * One line per cause that happened again after it was logged, for the end of the run: the
     * warning was one line among the application's output, the count is what tells its weight.
     */
    public static List<String> repeatSummary() {
        List<Problem> problems;
        synchronized (PROBLEMS) {
            problems = new ArrayList<>(PROBLEMS);
        }
        List<String> out = new ArrayList<>();
        int more = 0;
        for (Problem p : problems) {
            long n = p.key() == null ? 0 : occurrences(p.key());
            if (n > 1) {
                if (out.size() < SUMMARY_KEPT) {
                    String what = p.line().startsWith("warning: ") ? p.line().substring("warning: ".length()) : p.line();
                    out.add((n - 1) + " more time" + (n == 2 ? "" : "s") + " after it was logged: " + what);
                } else {
                    more++;
                }
            }
        }
        if (more > 0) {
            out.add("and " + more + " more warning" + (more == 1 ? "" : "s") + " that repeated (see numa-agent status)");
        }
        return out;
    }

    /** The first time a once-only warning repeats: the exit summary is worth a shutdown hook. */
    private static void summarizeAtExit() {
        if (!SUMMARY_HOOK.compareAndSet(false, true)) {
            return;
        }
        try {
            Logger log = logger("agent");
            Thread hook = new Thread(() -> repeatSummary().forEach(line -> log.info("{}", line)), "numa-agent-summary");
            hook.setDaemon(true);
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (Throwable e) {
            // shutting down already, or not allowed: the counts stay in the MBean and status
        }
    }

    /** Forgets every count and kept problem: for tests, which share one JVM. */
    public static void reset() {
        SEEN.clear();
        synchronized (PROBLEMS) {
            PROBLEMS.clear();
        }
    }
}
