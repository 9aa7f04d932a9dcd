package numa.agent.log;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logging entry points of the agent: the level switch, and "each failure once": a failure is
 * logged the first time its key is seen and counted afterwards, so a broken rule cannot flood the
 * application's stderr from every Thread.start.
 */
public final class AgentLog {
    private static final ConcurrentHashMap<String, AtomicLong> SEEN = new ConcurrentHashMap<>();

    private AgentLog() {
    }

    public static void setLevel(String level) {
        AgentLogger.setLevel(level);
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

    /** Logs a warning the first time {@code key} is seen; returns whether it was logged. */
    public static boolean warnOnce(Logger log, String key, String message, Object... args) {
        AtomicLong count = SEEN.computeIfAbsent(key, k -> new AtomicLong());
        if (count.getAndIncrement() == 0) {
            log.warn(message, args);
            return true;
        }
        return false;
    }

    /** How many times a once-only failure happened (0 if never). */
    public static long occurrences(String key) {
        AtomicLong c = SEEN.get(key);
        return c == null ? 0 : c.get();
    }
}
