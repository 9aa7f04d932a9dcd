package java.lang;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * numa-agent's bridge: the only agent class the application can see. Advice inlined into
 * {@code java.lang.Thread} calls these static methods; they do nothing until the agent installs
 * its hooks. It uses JDK types only, so the agent (in its own class loader) needs no compile-time
 * reference to it and nothing of the agent leaks to the application.
 *
 * <p>Hooks must never throw: the agent's implementations catch everything.
 */
public final class NumaAgentBridge {
    private static volatile Function<Thread, Object> beforeThreadStart;
    private static volatile Consumer<Object> afterThreadStart;

    private NumaAgentBridge() {
    }

    /** Installed once by the agent; a second call replaces the hooks (re-attach). */
    public static void installThreadStartHooks(Function<Thread, Object> before, Consumer<Object> after) {
        afterThreadStart = after;
        beforeThreadStart = before;
    }

    /** True once the agent has installed its hooks; lets a second attach see the first. */
    public static boolean threadStartHooksInstalled() {
        return beforeThreadStart != null;
    }

    /**
     * Called on the starting thread before the OS thread is created. Returns what
     * {@link #afterThreadStart(Object)} needs to restore the starter, or null when nothing changed.
     */
    public static Object beforeThreadStart(Thread thread) {
        Function<Thread, Object> hook = beforeThreadStart;
        return hook == null ? null : hook.apply(thread);
    }

    /** Called on the starting thread after start (normal or exceptional). */
    public static void afterThreadStart(Object token) {
        if (token != null) {
            Consumer<Object> hook = afterThreadStart;
            if (hook != null) {
                hook.accept(token);
            }
        }
    }
}
