package java.lang;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * numa-agent's bridge: the only agent class the application can see.
 *
 * <p>The agent rewrites each call of {@code Thread.start0()} inside {@code java.lang.Thread} into a
 * call of {@link #start0(Thread)}. The OS thread is created by {@code start0} on the calling
 * thread and inherits its CPU affinity and memory policy (clone(2)), so binding the caller just
 * around that call binds the new thread before its first instruction, whatever its {@code run()}
 * is, and {@code finally} restores the caller on every path. Only an instruction is swapped: the
 * stack shape, exception tables and frames of {@code Thread} stay exactly as the JDK built them.
 *
 * <p>It uses JDK types only, so the agent (in its own class loader) needs no compile-time
 * reference to it and nothing of the agent leaks to the application. Hooks must never throw: the
 * agent's implementations catch everything.
 */
public final class NumaAgentBridge {
    /** {@code Thread.start0()}, reachable from here because this class is defined in java.lang. */
    private static final MethodHandle START0;

    static {
        try {
            START0 = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVirtual(Thread.class, "start0", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static volatile Function<Thread, Object> beforeThreadStart;
    private static volatile Consumer<Object> afterThreadStart;

    private NumaAgentBridge() {
    }

    /** Installed by the agent; a second call replaces the hooks. */
    public static void installThreadStartHooks(Function<Thread, Object> before, Consumer<Object> after) {
        afterThreadStart = after;
        beforeThreadStart = before;
    }

    /** True once the agent has installed its hooks: a second attach sees the first. */
    public static boolean threadStartHooksInstalled() {
        return beforeThreadStart != null;
    }

    /** Replaces {@code thread.start0()} inside {@code java.lang.Thread}. */
    public static void start0(Thread thread) {
        Object token = beforeThreadStart(thread);
        try {
            START0.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new InternalError(t); // start0 declares no checked exception
        } finally {
            afterThreadStart(token);
        }
    }

    /**
     * Called on the starting thread before the OS thread is created. Returns what
     * {@link #afterThreadStart(Object)} needs to restore the starter, or null when nothing changed.
     */
    public static Object beforeThreadStart(Thread thread) {
        Function<Thread, Object> hook = beforeThreadStart;
        return hook == null ? null : hook.apply(thread);
    }

    /** Called on the starting thread after the OS thread exists (or failed to). */
    public static void afterThreadStart(Object token) {
        if (token != null) {
            Consumer<Object> hook = afterThreadStart;
            if (hook != null) {
                hook.accept(token);
            }
        }
    }
}
