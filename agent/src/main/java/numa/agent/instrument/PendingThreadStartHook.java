package numa.agent.instrument;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;

import numa.agent.log.AgentLog;

/**
 * The Thread.start hook while the config is still being read on the agent's background thread
 * (see Agent: parsing YAML cold costs 50-90 ms, too much for premain). A thread that starts in
 * that window waits for the real hook, which the background start-up installs as soon as the rules
 * are read (before JNA and the devices, and without taking any lock the application may hold), and
 * is then decided by it: a start no rule names goes on at once, a matched one waits for the devices
 * within {@link Readiness}'s one budget. Once the real hook is in the bridge this one is no longer called.
 * The agent's own threads never wait: what its background thread starts never reaches a hook (the
 * bridge skips hooks while agent code runs, see NumaAgentBridge.enterAgent), and agent threads that
 * others start (the exit wait, started by the JVM's shutdown) are known to
 * {@link ThreadStartHook#isAgentThread}.
 */
// a Function and a Consumer at once, as the bridge takes them: andThen of each is never called
@SuppressWarnings("overloads")
public final class PendingThreadStartHook implements Function<Thread, Object>, Consumer<Object> {
    private static final Logger LOG = AgentLog.logger("thread");

    private final CompletableFuture<ThreadStartHook> real;

    /** @param real completes with the installed hook, or with null when nothing will be bound */
    public PendingThreadStartHook(CompletableFuture<ThreadStartHook> real) {
        this.real = real;
    }

    @Override
    public Object apply(Thread thread) {
        if (ThreadStartHook.insideAgent() || ThreadStartHook.isAgentThread(thread)) {
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
