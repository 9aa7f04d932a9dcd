package numa.agent.startup;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;

import numa.agent.attach.RunningThreads;
import numa.agent.bind.InheritedBinding;
import numa.agent.config.AgentConfig;
import numa.agent.config.BindingConfig;
import numa.agent.config.ProcessSection;
import numa.agent.instrument.BindingContext;
import numa.agent.instrument.Hooks;
import numa.agent.instrument.ThreadStartHook;
import numa.agent.rules.MethodRules;
import numa.agent.rules.ProcessRules;
import numa.agent.rules.ThreadRules;
import numa.agent.topology.CpuSet;
import numa.agent.topology.ProcessCpus;
import numa.agent.topology.SysfsTopologyReader;
import numa.agent.topology.Topology;

/**
 * The steps after the config is read: the rules, the topology, the inherited binding; then the
 * hooks and the binding they need ({@link BindingPreparation}), in the order the
 * {@link StartupPlan.Binding} says; and, for an attach, the threads already running.
 */
final class BindingStartup {
    private final StartContext context;
    private final AgentConfig config;
    private final StartupPlan plan;
    private final PhaseTimer timer;
    private final Logger log;
    private final boolean failOnError;
    /** The waiting Thread.start hook's hand-over ({@link StartupPlan#DEFERRED} only), else null. */
    private final CompletableFuture<ThreadStartHook> pending;
    /** The Thread.start hook once installed. */
    private ThreadStartHook threadHook;

    BindingStartup(StartContext context, AgentConfig config, StartupPlan plan, PhaseTimer timer,
                   CompletableFuture<ThreadStartHook> pending) {
        this.context = context;
        this.config = config;
        this.plan = plan;
        this.timer = timer;
        this.pending = pending;
        this.log = context.log;
        boolean fail = context.settings.onError(config) == BindingConfig.OnError.FAIL;
        if (fail && plan == StartupPlan.DEFERRED) {
            FailurePolicy.tooLateToFail(log);
        }
        this.failOnError = fail && plan != StartupPlan.DEFERRED;
    }

    ThreadStartHook threadHook() {
        return threadHook;
    }

    void run() throws Exception {
        ThreadRules threadRules = new ThreadRules(config.rules());
        MethodRules methodRules = new MethodRules(config.rules());
        ProcessRules processRules = new ProcessRules(config.rules());
        boolean anyRules = !threadRules.isEmpty() || !methodRules.isEmpty() || !processRules.isEmpty();
        Optional<ProcessSection> process = config.process();
        AgentObservability.rules(config);
        if (!anyRules && process.isEmpty()) {
            log.info("no rules and no process section in {}: nothing to bind", config.source());
            AgentObservability.state("nothing to bind: no rules and no process section in " + config.source());
            return;
        }
        Path sysfs = Path.of(context.settings.sysfs(config));
        Topology topology = new SysfsTopologyReader(sysfs).read();
        if (topology.nodes().isEmpty()) {
            log.info("no NUMA nodes under {}: nothing to bind (not a NUMA machine, or a kernel without NUMA)",
                    sysfs.resolve("devices/system/node"));
            AgentObservability.state("nothing to bind: no NUMA nodes under " + sysfs.resolve("devices/system/node"));
            return;
        }
        CpuSet allowed = ProcessCpus.allowedAtStart();
        InheritedBinding inherited = InheritedBindings.fromParent(log, allowed);
        if (inherited != null && process.isPresent()) {
            log.info("the process section is not applied: the parent process bound this JVM (see above)");
            process = Optional.empty();
        }
        timer.mark("topology");
        boolean bindProcess = process.isPresent();
        BindingPreparation preparation = new BindingPreparation(context, config, failOnError, sysfs, topology, allowed,
                inherited);
        boolean dryRunAttach = plan == StartupPlan.ATTACH && context.settings.dryRun();
        switch (plan.binding(bindProcess, anyRules, failOnError, methodRules.mayMatchJdk())) {
            case BEFORE_HOOKS -> {
                BindingContext ready = preparation.prepare(bindProcess);
                if (ready == null || !anyRules) {
                    return;
                }
                if (dryRunAttach) {
                    // attach --dry-run: decides for the running threads and installs nothing, so
                    // that the JVM is left as found and a later attach binds
                    bindRunningThreads(threadRules, ready, null);
                    return;
                }
                Hooks.Installed installed = installHooks(threadRules, methodRules, processRules,
                        CompletableFuture.completedFuture(ready));
                if (plan == StartupPlan.ATTACH) {
                    bindRunningThreads(threadRules, ready, installed);
                }
            }
            case AFTER_HOOKS_RIGHT_HERE -> {
                // already the agent's own thread: the rules decide from now on, JNA and devices follow here
                CompletableFuture<BindingContext> ready = new CompletableFuture<>();
                installHooks(threadRules, methodRules, processRules, ready);
                timer.mark("hooks");
                pending.complete(threadHook);
                new PrepareInBackground(preparation, ready, log, timer).run();
            }
            case AFTER_HOOKS_ON_ITS_OWN_THREAD -> {
                // JNA (~70 ms) and device discovery (NVML: up to seconds) go to a thread of the agent's,
                // off the application's start-up; the first thread, call or process a rule matches
                // waits for them (within Readiness's budget), the others never do
                CompletableFuture<BindingContext> ready = new CompletableFuture<>();
                installHooks(threadRules, methodRules, processRules, ready);
                timer.mark("hooks");
                AgentObservability.beaconOnStartupThread();
                // no timer there: a timer is one thread's, and premain summarises it meanwhile
                ThreadStartHook.startInternal("numa-agent-init", new PrepareInBackground(preparation, ready, log, null));
            }
        }
    }

    private Hooks.Installed installHooks(ThreadRules threadRules, MethodRules methodRules, ProcessRules processRules,
                                         CompletableFuture<BindingContext> ready) throws Exception {
        Hooks.Installed installed = Hooks.install(context.inst(), threadRules, methodRules, processRules, ready,
                config.binding(), context.settings.dryRun(), plan == StartupPlan.DEFERRED);
        threadHook = installed.threadHook();
        log.debug("hooks installed: threads, processes {}, methods {}", installed.processes(), installed.methods());
        return installed;
    }

    /**
     * attach: the threads a rule names that already run are bound now, by their kernel ids
     * (CPUs only: a running thread's memory policy can only be set by itself); {@code installed}
     * null: a dry run, which installs nothing.
     */
    private void bindRunningThreads(ThreadRules rules, BindingContext ready, Hooks.Installed installed) {
        RunningThreads.Result r = new RunningThreads(rules, ready.targets(), ready.binder().binder(),
                context.settings.dryRun(), installed == null ? (thread, rule) -> { } : installed.bound()::put)
                .bindAll(AgentObservability.threadDump());
        if (installed == null) {
            log.info("attached (dry-run): {} running thread{} matched a rule, {} would be bound, {} not; nothing was"
                    + " applied or installed: attach without dry-run to bind", r.matched(), r.matched() == 1 ? "" : "s",
                    r.bound(), r.failed());
            return;
        }
        log.info("attached: {} running thread{} matched a rule: {} bound, {} not; threads started from now on are bound"
                + " as they start", r.matched(), r.matched() == 1 ? "" : "s", r.bound(), r.failed());
    }

    /** JNA, the binder and the devices, off the application's way; completes what the hooks wait for. */
    private static final class PrepareInBackground implements Runnable {
        private final BindingPreparation preparation;
        private final CompletableFuture<BindingContext> ready;
        private final Logger log;
        /** Null on a thread of its own (see above). */
        private final PhaseTimer timer;

        PrepareInBackground(BindingPreparation preparation, CompletableFuture<BindingContext> ready, Logger log,
                            PhaseTimer timer) {
            this.preparation = preparation;
            this.ready = ready;
            this.log = log;
            this.timer = timer;
        }

        @Override
        public void run() {
            try {
                ready.complete(preparation.prepare(false));
                if (timer != null) {
                    timer.mark("binder and devices");
                }
            } catch (FatalBindingError e) {
                // failOnError keeps the binding before the hooks: not reached, but the policy is one place
                FailurePolicy.stop(log, e);
            } catch (Throwable t) {
                FailurePolicy.couldNotStart(log, t);
            } finally {
                ready.complete(null); // no-op when completed above
            }
            if (timer == null) {
                AgentObservability.becomeBeacon(); // the deferred start-up's thread becomes it after this
            }
        }
    }
}
