package numa.agent.instrument;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;

/**
 * The hooks under a security manager (JDK 17-23: {@code -Djava.security.manager}, or
 * {@code =allow} and {@code System.setSecurityManager} by the application).
 *
 * <p>Hooks run on the application's threads, with the application's frames below them on the
 * stack, and what they do is checked against every frame: reading /proc and sysfs, the variables
 * and properties an expression names, {@code ProcessHandle.current()}, loading the agent's classes.
 * An application whose policy does not grant those (it has no reason to) would have every thread
 * start and every call a rule names fail inside the hook. So each hook runs as the agent itself
 * ({@code doPrivileged}: only the agent's frames count), and the agent's classes have every
 * permission (see AgentClassLoader: an agent can redefine any class anyway, so a policy on it
 * protects nothing). Without a security manager (always on JDK 24+) this is one volatile read.
 */
@SuppressWarnings("removal")
final class Privileged {
    private Privileged() {
    }

    /** JDK 24 removed the security manager for good (JEP 486): nothing to do there. */
    private static final boolean POSSIBLE = Runtime.version().feature() < 24;

    /** True when a security manager is installed now (the application may install one at any time). */
    static boolean needed() {
        return POSSIBLE && System.getSecurityManager() != null;
    }

    /**
     * True where a security manager may be installed later ({@code -Djava.security.manager=allow}
     * and {@code System.setSecurityManager}): what is created now (a thread, which keeps the access
     * control context of its creator) must already be the agent's.
     */
    static boolean possible() {
        return POSSIBLE;
    }

    static <T> T run(PrivilegedAction<T> action) {
        return AccessController.doPrivileged(action);
    }

    /**
     * The hooks around a start, as the agent: {@code Thread.start} ({@code T} is the thread) and
     * {@code ProcessBuilder.start} ({@code T} is the command).
     */
    @SuppressWarnings("overloads") // a Function and a Consumer at once, as the bridge takes them
    static final class StartHooks<T> implements Function<T, Object>, Consumer<Object> {
        private final Function<T, Object> before;
        private final Consumer<Object> after;

        StartHooks(Function<T, Object> before, Consumer<Object> after) {
            this.before = before;
            this.after = after;
        }

        @Override
        public Object apply(T subject) {
            return needed() ? run(() -> before.apply(subject)) : before.apply(subject);
        }

        @Override
        public void accept(Object token) {
            if (needed()) {
                Privileged.run(() -> {
                    after.accept(token);
                    return null;
                });
            } else {
                after.accept(token);
            }
        }
    }

    /** The method hooks, as the agent. */
    static final class MethodHooks implements ObjIntConsumer<Object>, Runnable {
        private final ObjIntConsumer<Object> enter;
        private final Runnable exit;

        MethodHooks(ObjIntConsumer<Object> enter, Runnable exit) {
            this.enter = enter;
            this.exit = exit;
        }

        @Override
        public void accept(Object value, int site) {
            if (needed()) {
                Privileged.run(() -> {
                    enter.accept(value, site);
                    return null;
                });
            } else {
                enter.accept(value, site);
            }
        }

        @Override
        public void run() {
            if (needed()) {
                Privileged.run(() -> {
                    exit.run();
                    return null;
                });
            } else {
                exit.run();
            }
        }
    }
}
