package numa.agent.instrument;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;

import numa.agent.log.AgentLog;

/**
 * The Thread.start hook while the config is still being read on the agent's background thread
 * (see Agent: parsing YAML cold costs 50-90 ms, too much for premain). A thread that starts in
 * that window waits for the real hook, as a matched thread waits for JNA and the devices, and is
 * then decided by it; once the real hook is installed in the bridge this one is no longer called.
 * The agent's own threads never wait (its background thread starts some itself).
 */
public final class PendingThreadStartHook implements Function<Thread, Object>, Consumer<Object> {
    private static final Logger LOG = AgentLog.logger("thread");

    private final CompletableFuture<ThreadStartHook> real;
    /** The agent's threads: the one that completes {@code real} (what it starts never waits for itself), the exit wait. */
    private final Set<Thread> exempt = ConcurrentHashMap.newKeySet();

    /** @param real completes with the installed hook, or with null when nothing will be bound */
    public PendingThreadStartHook(CompletableFuture<ThreadStartHook> real) {
        this.real = real;
    }

    /**
     * Neither {@code thread} nor threads it starts wait: the thread that will complete the future
     * (JNA starts a thread of its own there), the agent's exit wait.
     */
    public void exempt(Thread thread) {
        exempt.add(thread);
    }

    @Override
    public Object apply(Thread thread) {
        if (ThreadStartHook.insideAgent() || (!exempt.isEmpty() && (exempt.contains(Thread.currentThread())
                || exempt.contains(thread)))) {
            return null;
        }
        try {
            ThreadStartHook hook = Readiness.await(real, LOG, "thread '" + thread.getName() + "'");
            return hook == null ? null : hook.apply(thread);
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "pending:" + t.getClass().getName(),
                    "internal error while starting thread '{}' ({}); it is left unbound. Please report this", thread.getName(), t.toString());
            return null;
        }
    }

    /** A token here was made by the real hook (this one makes none). */
    @Override
    public void accept(Object token) {
        ThreadStartHook hook = real.getNow(null);
        if (hook != null) {
            hook.accept(token);
        }
    }
}
