package numa.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;

import numa.agent.config.BindingConfig;
import numa.agent.log.AgentLog;
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
    public record Installed(boolean processes, boolean methods, BoundThreads bound) {
    }

    public static Installed install(Instrumentation inst, ThreadRules threadRules, MethodRules methodRules,
                                    ProcessRules processRules, CompletableFuture<ThreadStartHook.Ready> ready,
                                    BindingConfig binding, boolean dryRun) throws Exception {
        boolean reset = binding.children() == BindingConfig.Children.RESET;
        boolean processes = !processRules.isEmpty() || methodRules.anyChildren()
                || (reset && (!threadRules.isEmpty() || !methodRules.isEmpty()));
        boolean methods = !methodRules.isEmpty();
        BoundThreads bound = new BoundThreads();

        // hooks first: the rewritten code calls them from the moment it exists
        ThreadStartHook threadHook = new ThreadStartHook(threadRules, ready, binding.children(), dryRun, bound,
                processes || methods);
        Privileged.ThreadHooks threadHooks = new Privileged.ThreadHooks(threadHook, threadHook);
        NumaAgentBridge.installThreadStartHooks(threadHooks, threadHooks);
        if (processes) {
            ProcessStartHook processHook = new ProcessStartHook(processRules, ready, bound, binding.children(), dryRun);
            Privileged.ProcessHooks processHooks = new Privileged.ProcessHooks(processHook, processHook);
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
        // one VM operation at premain instead of one per class
        ThreadStartTransformer threads = new ThreadStartTransformer();
        inst.addTransformer(threads, true);
        List<Class<?>> loaded = new ArrayList<>(List.of(Thread.class));
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
            retransform(inst, loaded);
        } finally {
            inst.removeTransformer(threads); // Thread is loaded for good: nothing else will come through it
        }
        if (threads.rewrittenCalls() == 0) {
            throw new IllegalStateException("java.lang.Thread of this JDK (" + Runtime.version()
                    + ") has no start0() call to intercept: threads cannot be bound");
        }
        return new Installed(processes, methods, bound);
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
