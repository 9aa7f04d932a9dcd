package numa.agent.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;

import numa.agent.log.AgentLog;

/**
 * A sample of the names of threads that started and matched no rule: when a rule binds nothing,
 * the names the agent did see are what tell the user why ({@code gpu_worker_0} for a rule that
 * expects {@code gpu-worker-0}). At {@code debug} each distinct name is also logged once.
 *
 * <p>Called on every Thread.start that no rule names, so it stays bounded and cheap: the first
 * {@value #KEPT} distinct names are kept ({@value #KEPT_DEBUG} at debug, where each is logged), then
 * the set stops accepting and a start costs one volatile read. Names are kept cut to
 * {@value #NAME_CHARS} characters.
 */
public final class UnmatchedNames {
    /** Enough to show the nearest few names for each rule. */
    static final int KEPT = 64;
    /** At debug each distinct name is logged once: this bounds those lines. */
    static final int KEPT_DEBUG = 1024;
    static final int NAME_CHARS = 200;
    private static final Logger LOG = AgentLog.logger("thread");

    private static final ConcurrentHashMap<String, Boolean> NAMES = new ConcurrentHashMap<>();
    private static final AtomicInteger SIZE = new AtomicInteger();
    /** Set once the sample is full: from then on {@link #seen} returns at once. */
    private static volatile boolean full;

    private UnmatchedNames() {
    }

    /** A thread named {@code name} starts and no rule names it. Never throws. */
    public static void seen(String name) {
        if (full) {
            return;
        }
        try {
            add(name);
        } catch (Throwable t) {
            full = true; // out of memory: stop sampling rather than fail again on each start
        }
    }

    private static void add(String name) {
        String kept = name.length() > NAME_CHARS ? name.substring(0, NAME_CHARS) : name;
        if (NAMES.containsKey(kept)) {
            return;
        }
        boolean debug = LOG.isDebugEnabled();
        int cap = debug ? KEPT_DEBUG : KEPT;
        if (SIZE.get() >= cap) {
            full = true;
            if (debug) {
                LOG.debug("more than {} distinct thread names matched no rule: the ones after are not listed", cap);
            }
            return;
        }
        if (NAMES.putIfAbsent(kept, Boolean.TRUE) == null) {
            SIZE.incrementAndGet();
            if (debug) {
                LOG.debug("thread '{}' matches no rule", name);
            }
        }
    }

    /** The names kept, in no particular order. */
    static List<String> sample() {
        return new ArrayList<>(NAMES.keySet());
    }

    /** True when more distinct names were seen than kept. */
    static boolean overflowed() {
        return full;
    }

    /** Forgets every name (tests, which share one JVM). */
    static void clear() {
        NAMES.clear();
        SIZE.set(0);
        full = false;
    }
}
