package java.lang;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

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
 * <p>Method rules: the agent inlines {@link #methodEnter(Object, int)} at the start of each method a
 * rule names and {@link #methodExit()} before each of its returns and in a catch-all handler, so
 * every call that entered also exits, however it ends.
 *
 * <p>Process rules: inside {@code java.lang.ProcessBuilder} the call of
 * {@code ProcessImpl.start(...)} becomes a call of {@link #processStart} (same descriptor, same
 * stack shape), which binds the calling thread just around the creation of the child: the child
 * inherits the binding through fork/vfork/posix_spawn and keeps it across {@code execve}.
 *
 * <p>It uses JDK types only, so the agent (in its own class loader) needs no compile-time
 * reference to it and nothing of the agent leaks to the application.
 *
 * <p>Hooks must never throw into the application: the agent's implementations catch and report
 * everything, and this class catches again whatever escapes them (a failure while reporting, an
 * {@code OutOfMemoryError} in the catch block itself), so that the application never pays for the
 * agent. That includes {@code VirtualMachineError}s: an {@code OutOfMemoryError} or
 * {@code StackOverflowError} raised while the agent decides comes from the agent's own work (its
 * allocations, its frames on top of the caller's), and turning it into a failure of
 * {@code Thread.start}, of a method call or of {@code ProcessBuilder.start} would make the agent the
 * cause of an application failure; if the heap or the stack really is exhausted, the application's
 * own next step meets it. Only {@code ThreadDeath} passes: it is {@code Thread.stop} asking this
 * thread to die (JDK 17-19), which the application, not the agent, decided.
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

    /**
     * The environment variable by which a child process learns that the agent of its parent bound
     * it (see the agent's InheritedBinding): set on the child's environment by {@link #processStart}
     * when the agent bound the child, removed when the agent reset it to the original binding.
     */
    public static final String INHERITED_BINDING = "NUMA_AGENT_INHERITED_BINDING";

    private static volatile Function<Thread, Object> beforeThreadStart;
    private static volatile Consumer<Object> afterThreadStart;
    private static volatile ObjIntConsumer<Object> methodEnter;
    private static volatile Runnable methodExit;
    private static volatile Function<String[], Object> beforeProcessStart;
    private static volatile Consumer<Object> afterProcessStart;

    /**
     * Per thread: {@code [0]} is true while the agent's own code runs on it (a hook, a transformer,
     * premain, the agent's own threads). Every hook is skipped while it is: a method rule may name
     * a JDK class the agent itself uses ({@code java.util.concurrent.*#*} names the
     * ConcurrentHashMap behind {@code ClassLoader.getClassLoadingLock}), and without this the first
     * class the hook loads calls the hook again, until StackOverflowError kills premain and the JVM.
     * A call that enters while the flag is set also exits while it is set (it is nested inside the
     * agent's code), so skipped enters and exits pair up. A ThreadLocal (java.lang, never
     * instrumented) holding a mutable cell: one lookup per hook call, no allocation after the first.
     * No anonymous ThreadLocal subclass: the bridge must stay one class (it is defined alone).
     */
    private static final ThreadLocal<boolean[]> IN_AGENT = new ThreadLocal<>();

    private NumaAgentBridge() {
    }

    private static boolean[] inAgent() {
        boolean[] in = IN_AGENT.get();
        if (in == null) {
            in = new boolean[1];
            IN_AGENT.set(in);
        }
        return in;
    }

    /**
     * Marks the agent's own code running on this thread until {@link #exitAgent(boolean)}: the
     * calls it makes into instrumented classes, and the threads and processes it starts, trigger
     * no hook. Returns what to hand to {@code exitAgent} (whether it was already marked).
     */
    public static boolean enterAgent() {
        boolean[] in = inAgent();
        boolean was = in[0];
        in[0] = true;
        return was;
    }

    /** Ends what {@link #enterAgent()} began. */
    public static void exitAgent(boolean was) {
        inAgent()[0] = was;
    }

    /** True while the agent's own code runs on this thread. */
    public static boolean insideAgent() {
        boolean[] in = IN_AGENT.get();
        return in != null && in[0];
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
        if (hook == null) {
            return null;
        }
        boolean[] in = inAgent();
        if (in[0]) {
            return null; // the agent starts one of its own threads: never bound
        }
        in[0] = true;
        try {
            return hook.apply(thread);
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable ignored) {
            return null; // the agent reports its own failures; the thread starts unbound
        } finally {
            in[0] = false;
        }
    }

    /** Called on the starting thread after the OS thread exists (or failed to). */
    public static void afterThreadStart(Object token) {
        if (token != null) {
            Consumer<Object> hook = afterThreadStart;
            if (hook != null) {
                boolean[] in = inAgent();
                boolean was = in[0];
                in[0] = true;
                try {
                    hook.accept(token);
                } catch (ThreadDeath death) {
                    throw death;
                } catch (Throwable ignored) {
                    // reported by the agent
                } finally {
                    in[0] = was;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // method rules

    /** Installed by the agent before it instruments any method; a second call replaces the hooks. */
    public static void installMethodHooks(ObjIntConsumer<Object> enter, Runnable exit) {
        methodExit = exit;
        methodEnter = enter;
    }

    /**
     * First thing in a method a rule names. {@code site} is the agent's number for the method and
     * its rule; {@code value} the one value of the call that the rule's expression reads
     * ({@code this} or an argument, primitives boxed), or null when it reads none.
     */
    public static void methodEnter(Object value, int site) {
        ObjIntConsumer<Object> hook = methodEnter;
        if (hook == null) {
            return;
        }
        boolean[] in = inAgent();
        if (in[0]) {
            return; // called from the agent's own code: see IN_AGENT
        }
        in[0] = true;
        try {
            hook.accept(value, site);
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable ignored) {
            // reported by the agent; the application's method runs as if it were not advised
        } finally {
            in[0] = false;
        }
    }

    /** Last thing in a method a rule names, on every return and every throw. */
    public static void methodExit() {
        Runnable hook = methodExit;
        if (hook == null) {
            return;
        }
        boolean[] in = inAgent();
        if (in[0]) {
            return; // its enter was skipped too
        }
        in[0] = true;
        try {
            hook.run();
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable ignored) {
            // reported by the agent
        } finally {
            in[0] = false;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // process rules

    /** Installed by the agent; a second call replaces the hooks. */
    public static void installProcessStartHooks(Function<String[], Object> before, Consumer<Object> after) {
        afterProcessStart = after;
        beforeProcessStart = before;
    }

    /**
     * Replaces {@code ProcessImpl.start(...)} inside {@code ProcessBuilder.start}. The before-hook
     * binds the calling thread (or does nothing and returns null); a token that is a
     * {@code Supplier<String>} also gives the value of {@link #INHERITED_BINDING} for the child
     * (null: the child must not have it). The caller is restored on every path.
     */
    public static Process processStart(String[] cmdarray, Map<String, String> environment, String dir,
                                       ProcessBuilder.Redirect[] redirects, boolean redirectErrorStream)
            throws IOException {
        boolean[] in = inAgent();
        Object token = in[0] ? null : beforeProcessStart(cmdarray, in);
        if (token == null) {
            return ProcessImpl.start(cmdarray, environment, dir, redirects, redirectErrorStream);
        }
        try {
            Map<String, String> env = environment;
            if (token instanceof Supplier<?> inherited) {
                in[0] = true;
                try {
                    env = withInheritedBinding(environment, inherited);
                } finally {
                    in[0] = false;
                }
            }
            return ProcessImpl.start(cmdarray, env, dir, redirects, redirectErrorStream);
        } finally {
            afterProcessStart(token, in);
        }
    }

    private static Object beforeProcessStart(String[] cmdarray, boolean[] in) {
        Function<String[], Object> before = beforeProcessStart;
        if (before == null) {
            return null;
        }
        in[0] = true;
        try {
            return before.apply(cmdarray);
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable ignored) {
            return null; // reported by the agent; the child starts unbound
        } finally {
            in[0] = false;
        }
    }

    private static void afterProcessStart(Object token, boolean[] in) {
        Consumer<Object> after = afterProcessStart;
        if (after != null) {
            in[0] = true;
            try {
                after.accept(token);
            } catch (ThreadDeath death) {
                throw death;
            } catch (Throwable ignored) {
                // reported by the agent
            } finally {
                in[0] = false;
            }
        }
    }

    /**
     * The child's environment with {@link #INHERITED_BINDING} set to what {@code inherited} gives
     * (removed when null; the environment unchanged when the agent fails to give it): the builder's own map is never changed (it may start other processes), a copy is made
     * only when the value differs. {@code environment} null means "the parent's", as for
     * {@code ProcessImpl.start}; the copy is of the JDK's own kind, which ProcessImpl requires.
     */
    private static Map<String, String> withInheritedBinding(Map<String, String> environment, Supplier<?> inherited) {
        try {
            String value = (String) inherited.get();
            Map<String, String> current = environment != null ? environment : System.getenv();
            if (Objects.equals(current.get(INHERITED_BINDING), value)) {
                return environment;
            }
            Map<String, String> copy;
            if (environment == null) {
                copy = ProcessEnvironment.environment();
            } else {
                copy = ProcessEnvironment.emptyEnvironment(environment.size() + 1);
                copy.putAll(environment);
            }
            if (value == null) {
                copy.remove(INHERITED_BINDING);
            } else {
                copy.put(INHERITED_BINDING, value);
            }
            return copy;
        } catch (ThreadDeath death) {
            throw death;
        } catch (Throwable e) {
            return environment; // the binding still happens; only the child's agent will not know
        }
    }
}
