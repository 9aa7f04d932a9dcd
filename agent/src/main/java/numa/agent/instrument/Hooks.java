package numa.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;

import org.slf4j.Logger;

import numa.agent.config.BindingConfig;
import numa.agent.log.AgentLog;
import numa.agent.rules.MethodRules;
import numa.agent.rules.ProcessRules;
import numa.agent.rules.ThreadRules;

/**
 * Installs what the rules need, hooks first (the bridge calls them), then the instrumentation that
 * calls the bridge:
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
    private static final String BRIDGE = "java.lang.NumaAgentBridge";

    private Hooks() {
    }

    /** What was installed, for the start-up's debug line. */
    public record Installed(boolean processes, boolean methods) {
    }

    public static Installed install(Instrumentation inst, ThreadRules threadRules, MethodRules methodRules,
                                    ProcessRules processRules, CompletableFuture<ThreadStartHook.Ready> ready,
                                    BindingConfig binding, boolean dryRun) throws Exception {
        boolean reset = binding.children() == BindingConfig.Children.RESET;
        boolean processes = !processRules.isEmpty() || methodRules.anyChildren()
                || (reset && (!threadRules.isEmpty() || !methodRules.isEmpty()));
        boolean methods = !methodRules.isEmpty();
        BoundThreads bound = new BoundThreads();
        Class<?> bridge = Class.forName(BRIDGE, false, null);

        ThreadStartHook threadHook = new ThreadStartHook(threadRules, ready, binding.children(), dryRun, bound,
                processes || methods);
        bridge.getMethod("installThreadStartHooks", Function.class, Consumer.class).invoke(null, threadHook, threadHook);
        ThreadStartTransformer.install(inst);

        if (processes) {
            ProcessStartHook processHook = new ProcessStartHook(processRules, ready, bound, binding.children(), dryRun);
            bridge.getMethod("installProcessStartHooks", Function.class, Consumer.class)
                    .invoke(null, processHook, processHook);
            try {
                ProcessStartTransformer.install(inst);
            } catch (Exception | LinkageError e) {
                processes = false;
                LOG.warn("spawned processes cannot be bound on this JDK ({}); threads still are", e.getMessage());
            }
        }

        if (methods) {
            if (methodRules.ignored() > 0) {
                LOG.warn("only the first {} method rules are used; {} more are ignored", MethodRules.MAX, methodRules.ignored());
            }
            for (int i = 0; i < methodRules.size(); i++) {
                String glob = methodRules.pattern(i).classGlob().replace('.', '/');
                if (MethodTransformer.isNeverInstrumented(glob.endsWith("*") ? glob : glob + "/")) {
                    LOG.warn("rule {}: classes of java.lang, jdk.internal and sun are never instrumented (the agent runs"
                            + " on them); '{}' names nothing", methodRules.rule(i).name(), methodRules.pattern(i).text());
                }
            }
            MethodSites sites = new MethodSites();
            MethodHook methodHook = new MethodHook(sites, ready, bound, dryRun);
            bridge.getMethod("installMethodHooks", ObjIntConsumer.class, Runnable.class).invoke(null, methodHook, methodHook);
            MethodTransformer.install(inst, methodRules, sites);
        }
        return new Installed(processes, methods);
    }
}
