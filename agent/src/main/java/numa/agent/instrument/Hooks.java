package numa.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;

import numa.agent.config.BindingConfig;
import numa.agent.log.AgentLog;
import numa.agent.observe.BindingLog;
import numa.agent.observe.QuietRules;
import numa.agent.rules.MethodRules;
import numa.agent.rules.ProcessRules;
import numa.agent.rules.ThreadRules;

/**
 * Installs what the rules need, hooks first (the bridge calls them), then the instrumentation that
 * calls the bridge. The bridge is called directly (the agent is compiled against it with
 * --patch-module; it exists in java.base at run time): a reflective call costs 10-100 ms of
 * method-handle spinning on JDK 25.
 * <ul>
 * <li>the Thread.start hook, always: thread rules, threads started in {@code bind: children} calls,
 * resets of threads started by bound threads, the spawn window;</li>
 * <li>the process hook, when a process can be bound: {@code process} rules, {@code bind: children}
 * calls, or a reset of processes started by bound threads;</li>
 * <li>the method hook and the class-load transformer, when there are {@code method} rules.</li>
 * </ul>
 */
public final class Hooks {
    private static final Logger LOG = AgentLog.logger("instrument");

    private Hooks() {
    }

    /**
     * What was installed, for the start-up's debug line; {@code bound} for an attach, which binds
     * threads already running and must have their children reset too.
     */
    public record Installed(boolean processes, boolean methods, BoundThreads bound, ThreadStartHook threadHook) {
    }

    public static Installed install(Instrumentation inst, ThreadRules threadRules, MethodRules methodRules,
                                    ProcessRules processRules, CompletableFuture<BindingContext> ready,
                                    BindingConfig binding, boolean dryRun) throws Exception {
        return install(inst, threadRules, methodRules, processRules, ready, binding, dryRun, false);
    }

    /**
     * Only the rewrite of {@code Thread}, for a start-up that reads its config in the background: the
     * hook already in the bridge waits for it ({@link PendingThreadStartHook}), and
     * {@link #install} with {@code threadRewritten} adds the rest there.
     */
    public static void rewriteThread(Instrumentation inst) throws Exception {
        ThreadStartTransformer threads = new ThreadStartTransformer();
        inst.addTransformer(threads, true);
        try {
            retransform(inst, List.of(Thread.class));
            checkRewritten(threads);
        } catch (Exception | LinkageError e) {
            inst.removeTransformer(threads); // see install: nothing half-started
            throw e;
        }
    }

    /** @param threadRewritten true when {@link #rewriteThread} already did that part */
    public static Installed install(Instrumentation inst, ThreadRules threadRules, MethodRules methodRules,
                                    ProcessRules processRules, CompletableFuture<BindingContext> ready,
                                    BindingConfig binding, boolean dryRun, boolean threadRewritten) throws Exception {
        boolean reset = binding.children() == BindingConfig.Children.RESET;
        boolean processes = !processRules.isEmpty() || methodRules.anyChildren()
                || (reset && (!threadRules.isEmpty() || !methodRules.isEmpty()));
        boolean methods = !methodRules.isEmpty();
        BoundThreads bound = new BoundThreads();
        QuietRules.watch(ready);
        BindingLog.boundThreads(bound);

        // hooks first: the rewritten code calls them from the moment it exists
        ThreadStartHook threadHook = new ThreadStartHook(threadRules, ready, binding.children(), dryRun, bound,
                processes || methods);
        Privileged.StartHooks<Thread> threadHooks = new Privileged.StartHooks<>(threadHook, threadHook);
        NumaAgentBridge.installThreadStartHooks(threadHooks, threadHooks);
        if (processes) {
            ProcessStartHook processHook = new ProcessStartHook(processRules, ready, bound, binding.children(), dryRun);
            Privileged.StartHooks<String[]> processHooks = new Privileged.StartHooks<>(processHook, processHook);
            NumaAgentBridge.installProcessStartHooks(processHooks, processHooks);
        }
        MethodSites sites = methods ? new MethodSites() : null;
        if (methods) {
            warnAboutMethodRules(methodRules);
            MethodHook methodHook = new MethodHook(sites, ready, bound, dryRun);
            Privileged.MethodHooks methodHooks = new Privileged.MethodHooks(methodHook, methodHook);
            NumaAgentBridge.installMethodHooks(methodHooks, methodHooks);
        }

        // then the transformers, and one retransformation of everything already loaded they name:
        // one VM operation at premain instead of one per class.
        // The Thread transformer stays registered for good, though Thread is loaded once: a
        // retransformation of Thread by anyone else (Mockito's inline mock maker retransforms every
        // superclass of a class it mocks, so mocking a Thread subclass retransforms Thread; another
        // agent may too) rebuilds Thread from its original class file through the registered
        // retransformation-capable transformers only, and would silently drop the start0 rewrite:
        // threads started after it would no longer be bound. It costs one name comparison per class.
        ThreadStartTransformer threads = threadRewritten ? null : new ThreadStartTransformer();
        List<Class<?>> loaded = new ArrayList<>();
        if (threads != null) {
            inst.addTransformer(threads, true);
            loaded.add(Thread.class);
        }
        boolean done = false;
        try {
            if (processes || methods) {
                Class<?>[] all = inst.getAllLoadedClasses();
                if (processes) {
                    // usually not loaded yet: rewritten when the application first loads it
                    inst.addTransformer(new ProcessStartTransformer(), true);
                    for (Class<?> c : all) {
                        // by name: ProcessBuilder.class would load it, and its rewrite, at premain
                        if (c.getClassLoader() == null && c.getName().equals("java.lang.ProcessBuilder")) {
                            loaded.add(c);
                        }
                    }
                }
                if (methods) {
                    MethodTransformer methodTransformer = MethodTransformer.create(methodRules, sites);
                    inst.addTransformer(methodTransformer, true);
                    List<Class<?>> named = methodTransformer.alreadyLoaded(inst, all);
                    loaded.addAll(named);
                    LOG.debug("{} already loaded class(es) a method rule names were instrumented", named.size());
                }
            }
            if (!loaded.isEmpty()) {
                retransform(inst, loaded);
            }
            if (threads != null) {
                checkRewritten(threads);
            }
            done = true;
        } finally {
            if (!done && threads != null) {
                // the agent does not start: a later retransformation by someone else must not half-start it
                inst.removeTransformer(threads);
            }
        }
        return new Installed(processes, methods, bound, threadHook);
    }

    private static void checkRewritten(ThreadStartTransformer threads) {
        if (threads.rewrittenCalls() == 0) {
            throw new IllegalStateException("java.lang.Thread of this JDK (" + Runtime.version()
                    + ") has no start0() call to intercept: threads cannot be bound");
        }
    }

    /** All at once; where that fails, one by one, so that one class the JVM refuses costs only itself. */
    private static void retransform(Instrumentation inst, List<Class<?>> classes) throws Exception {
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            return;
        } catch (Exception | LinkageError all) {
            if (classes.size() == 1) {
                throw all;
            }
        }
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (Exception | LinkageError e) {
                if (c == Thread.class) {
                    throw e;
                }
                AgentLog.warnOnce(LOG, "retransform:" + c.getName(), "class {} was loaded before the agent and cannot be"
                        + " instrumented now ({}); the calls or processes it makes are not bound", c.getName(), e.toString());
            }
        }
    }

    private static void warnAboutMethodRules(MethodRules methodRules) {
        if (methodRules.ignored() > 0) {
            LOG.warn("only the first {} method rules are used; {} more are ignored", MethodRules.MAX, methodRules.ignored());
        }
        for (int i = 0; i < methodRules.size(); i++) {
            String glob = methodRules.pattern(i).classGlob().replace('.', '/');
            if (MethodTransformer.isNeverInstrumented(glob.endsWith("*") ? glob : glob + "/")) {
                // not "names nothing": overrides in subclasses elsewhere (ForkJoinWorkerThread.run for
                // java.lang.Thread#run) are matched through the hierarchy like any other
                LOG.warn("rule {}: classes of java.lang, jdk.internal and sun are never instrumented (the agent runs"
                        + " on them); '{}' names only overrides and implementations in other packages",
                        methodRules.rule(i).name(), methodRules.pattern(i).text());
            } else if (glob.startsWith(MethodTransformer.AGENT_PACKAGE)) {
                // the transformer skips every class of the agent's loader (it would call its hooks
                // from its hooks); the application's classes of that name, if any, are still named
                LOG.warn("rule {}: '{}' names the agent's own classes, which are never instrumented (nor the"
                        + " agent's copies of ByteBuddy, JNA, SLF4J and snakeyaml; the application's own copies are)",
                        methodRules.rule(i).name(), methodRules.pattern(i).text());
            }
        }
    }
}
