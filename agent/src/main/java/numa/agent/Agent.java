package numa.agent;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;

import numa.agent.attach.RunningThreads;
import numa.agent.bind.Binder;
import numa.agent.bind.Binding;
import numa.agent.bind.BindingPlanner;
import numa.agent.bind.CallerBinder;
import numa.agent.bind.InheritedBinding;
import numa.agent.bind.JnaModule;
import numa.agent.bind.LinuxBinder;
import numa.agent.bind.NoopBinder;
import numa.agent.bind.ProcessBinder;
import numa.agent.config.AgentConfig;
import numa.agent.config.AgentSettings;
import numa.agent.config.BindingConfig;
import numa.agent.config.ConfigException;
import numa.agent.config.ConfigLoader;
import numa.agent.config.ProcessSection;
import numa.agent.device.DeviceDiscovery;
import numa.agent.instrument.Hooks;
import numa.agent.instrument.PendingThreadStartHook;
import numa.agent.instrument.Readiness;
import numa.agent.instrument.ThreadStartHook;
import numa.agent.log.AgentLog;
import numa.agent.observe.Observations;
import numa.agent.rules.MethodRules;
import numa.agent.rules.ProcessRules;
import numa.agent.rules.RuleTargets;
import numa.agent.rules.ThreadRules;
import numa.agent.topology.CpuCores;
import numa.agent.topology.CpuSet;
import numa.agent.topology.ProcessCpus;
import numa.agent.topology.SysfsTopologyReader;
import numa.agent.topology.Topology;

/**
 * Start-up, in the agent's class loader: settings, config, topology, devices, the binder, the
 * process section, then the Thread.start hook. Whatever goes wrong, one line says what and the
 * application runs on unbound, unless the config asks for {@code on-error: fail}.
 */
public final class Agent {
    /** The exit status of a JVM stopped by {@code on-error: fail} (EX_CONFIG of sysexits.h). */
    public static final int EXIT_CONFIG = 78;
    /** How long a JVM that exits during a background start-up waits for its config to be read (and reported). */
    private static final long EXIT_WAIT_SECONDS = 5;

    private static volatile boolean started;
    /** The launcher's word on JNA's stub when its temporary folder is noexec (see launcher.JnaStub). */
    private static volatile Supplier<String> jnaStubProblem;

    private Agent() {
    }

    /**
     * The launcher's way in: it cannot link to this class (another loader), and a reflective call
     * costs 10-100 ms of method-handle spinning on JDK 25, so it instantiates this and calls it
     * through a JDK interface with {@code {Instrumentation, String args, Boolean dynamic, Long startNanos,
     * Supplier<String> jnaStubProblem}}.
     */
    public static final class Entry implements Consumer<Object[]> {
        @Override
        @SuppressWarnings("unchecked")
        public void accept(Object[] a) {
            if (a.length > 4 && a[4] instanceof Supplier<?> s) {
                jnaStubProblem = (Supplier<String>) s;
            }
            // premain's own calls into classes a method rule names (the JDK's, when a rule names
            // java.util.concurrent.*) must not run the hooks: see NumaAgentBridge.enterAgent
            boolean was = NumaAgentBridge.enterAgent();
            try {
                start((Instrumentation) a[0], (String) a[1], (Boolean) a[2], (Long) a[3]);
            } finally {
                NumaAgentBridge.exitAgent(was);
            }
        }
    }

    /** Never throws. */
    public static void start(Instrumentation inst, String args, boolean dynamic, long startNanos) {
        Logger log;
        AgentSettings settings;
        PhaseTimer timer = new PhaseTimer(startNanos);
        try {
            settings = AgentSettings.resolve(args, System.getenv(), System.getProperties());
        } catch (ConfigException e) {
            for (String line : AgentSettings.refusal(e)) {
                System.err.println("numa-agent: " + line);
            }
            return;
        }
        AgentLog.setLevel(settings.logLevel());
        log = AgentLog.logger("agent");
        timer.mark("settings");
        if (!settings.enabled()) {
            log.info("disabled (enabled=false): nothing is bound");
            return;
        }
        synchronized (Agent.class) {
            if (started) {
                log.info("already running in this JVM: nothing more to do");
                return;
            }
            if (dynamic && instrumentedByAnotherCopy(log)) {
                return;
            }
            started = true;
        }
        AgentObservability.started(settings, dynamic);
        try {
            startWithSettings(inst, settings, dynamic, log, timer);
        } finally {
            if (dynamic && settings.dryRun()) {
                // nothing was installed: the next attach must start for real, not find "already running"
                AgentObservability.state("dry-run (attach): decided for the running threads, applied and installed"
                        + " nothing; attach without --dry-run to bind");
                AgentObservability.dryRunAttachDone();
                synchronized (Agent.class) {
                    started = false;
                }
            }
            AgentObservability.publish(dynamic);
        }
    }

    /**
     * The bridge outlives any one copy of the agent: when it already has hooks, a copy of the agent
     * loaded from another jar (or class loader) instruments this JVM, and a second would bind twice.
     */
    private static boolean instrumentedByAnotherCopy(Logger log) {
        if (NumaAgentBridge.threadStartHooksInstalled()) {
            log.info("another copy of the agent already instruments this JVM: nothing more to do");
            return true;
        }
        return false;
    }

    private static void startWithSettings(Instrumentation inst, AgentSettings settings, boolean dynamic, Logger log,
                                          PhaseTimer timer) {
        // from here on, nothing the application does may wait on the agent's start-up for longer
        // than its one budget, counted from now (see Readiness)
        Readiness.startClock(timer.startNanos());
        if (!dynamic) {
            // the agent's log lines must not wait for a lock the application may hold on System.err
            AgentLog.writeAroundStderrLock();
        }
        if (!dynamic && settings.configPath().isPresent() && !settings.onError().isPresent()
                && DeferrableConfig.allows(Path.of(settings.configPath().get()))) {
            startDeferred(inst, settings, log, timer);
            return;
        }
        startNow(inst, settings, dynamic, log, timer, null, null);
    }

    /**
     * Premain only rewrites Thread, with a hook that makes a thread starting meanwhile wait; the
     * config, topology, JNA and devices follow on the agent's background thread, off the
     * application's start-up (reading YAML cold is the largest part of premain: 50-90 ms).
     * Only for configs whose effects cannot wait for main ({@link DeferrableConfig}).
     */
    private static void startDeferred(Instrumentation inst, AgentSettings settings, Logger log, PhaseTimer timer) {
        CompletableFuture<ThreadStartHook> installed = new CompletableFuture<>();
        PendingThreadStartHook pending = new PendingThreadStartHook(installed);
        try {
            NumaAgentBridge.installThreadStartHooks(pending, pending);
            Hooks.rewriteThread(inst);
        } catch (Throwable t) {
            NumaAgentBridge.installThreadStartHooks(null, null);
            log.error("could not start ({}); the application runs without NUMA binding. Please report this", t.toString(), t);
            return;
        }
        timer.mark("thread rewrite");
        if (log.isDebugEnabled()) {
            log.debug("premain took {}; the config is read in the background", timer.summary());
        }
        // A JVM that ends before the config is read would never print its errors: it waits for that
        // (not for JNA or devices) as it exits. It is an agent thread: its own start neither waits nor binds.
        CompletableFuture<Void> configRead = new CompletableFuture<>();
        Thread exitWait = new Thread(new ExitWait(configRead), "numa-agent-exit");
        ThreadStartHook.agentThread(exitWait);
        Runtime.getRuntime().addShutdownHook(exitWait);
        AgentObservability.beaconOnStartupThread();
        ThreadStartHook.startInternal("numa-agent-init",
                new BackgroundStart(inst, settings, log, installed, configRead, exitWait));
    }

    // The two bodies of the deferred start-up are classes, not lambdas: premain would pay ~1 ms of
    // method-handle spinning for each lambda, cold.

    /** At exit: waits (bounded) until the config is read, so its errors are printed. */
    private static final class ExitWait implements Runnable {
        private final CompletableFuture<Void> configRead;

        ExitWait(CompletableFuture<Void> configRead) {
            this.configRead = configRead;
        }

        @Override
        public void run() {
            try {
                configRead.get(EXIT_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // exiting anyway
            }
        }
    }

    /** The agent's background thread: config, topology, JNA, devices, the hooks; then it becomes the beacon. */
    private static final class BackgroundStart implements Runnable {
        private final Instrumentation inst;
        private final AgentSettings settings;
        private final Logger log;
        private final CompletableFuture<ThreadStartHook> installed;
        private final CompletableFuture<Void> configRead;
        private final Thread exitWait;

        BackgroundStart(Instrumentation inst, AgentSettings settings, Logger log,
                        CompletableFuture<ThreadStartHook> installed, CompletableFuture<Void> configRead, Thread exitWait) {
            this.exitWait = exitWait;
            this.inst = inst;
            this.settings = settings;
            this.log = log;
            this.installed = installed;
            this.configRead = configRead;
        }

        @Override
        public void run() {
            PhaseTimer background = new PhaseTimer(System.nanoTime());
            AgentObservability.publishReport(); // status sees the agent while it starts
            try {
                installed.complete(startNow(inst, settings, false, log, background, installed,
                        () -> configRead.complete(null)));
            } catch (Throwable t) {
                log.error("could not start ({}); the application runs without NUMA binding. Please report this", t.toString(), t);
            } finally {
                configRead.complete(null);
                installed.complete(null); // no-op when completed above
            }
            // its work is done: a JVM that exits from now on has nothing to wait for
            try {
                Runtime.getRuntime().removeShutdownHook(exitWait);
                ThreadStartHook.forgetAgentThread(exitWait);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) and returns at once; it stays an agent thread
            }
            AgentObservability.becomeBeacon();
        }
    }

    /**
     * Reads the config and starts. Returns the Thread.start hook it installed, or null.
     *
     * @param pending    null at premain or attach; on the background thread, what the waiting
     *                   Thread.start hook hands over to: completed as soon as the rules can decide,
     *                   before JNA and the devices, so that a start no rule names never waits for those
     * @param configRead run once the config is read, or found invalid
     */
    private static ThreadStartHook startNow(Instrumentation inst, AgentSettings settings, boolean dynamic, Logger log,
                                            PhaseTimer timer, CompletableFuture<ThreadStartHook> pending,
                                            Runnable configRead) {
        boolean background = pending != null;
        AgentConfig config;
        try {
            Logger configLog = log;
            config = settings.configPath().isPresent()
                    ? ConfigLoader.load(Path.of(settings.configPath().get()), w -> configLog.warn("{}", w.getMessage()))
                    : AgentConfig.empty();
            timer.mark("config");
        } catch (ConfigException e) {
            boolean fail = settings.onError().isPresent()
                    ? settings.onError().get() == BindingConfig.OnError.FAIL
                    : e.position() != null && failRequested(e);
            logAll(log, e);
            AgentObservability.state("not binding: the config is invalid (see problems)");
            if (fail && background) {
                log.error(FAIL_TOO_LATE);
            } else if (fail) {
                log.error("stopping the JVM (binding.on-error: fail); exit status {}", EXIT_CONFIG);
                System.exit(EXIT_CONFIG);
            }
            log.warn("the application runs without NUMA binding (binding.on-error: warn)");
            return null;
        } finally {
            if (configRead != null) {
                configRead.run();
            }
        }
        Startup startup = new Startup(inst, settings, config, log, timer, dynamic, pending);
        try {
            startup.run();
        } catch (FatalBindingError e) {
            log.error("{}; stopping the JVM (binding.on-error: fail); exit status {}", e.getMessage(), EXIT_CONFIG);
            System.exit(EXIT_CONFIG);
        } catch (Throwable t) {
            log.error("could not start ({}); the application runs without NUMA binding. Please report this", t.toString(), t);
        }
        if (log.isDebugEnabled()) {
            log.debug("{} took {}", background ? "the background start-up" : "premain", timer.summary());
        }
        return startup.threadHook;
    }

    /**
     * A config read in the background that asks for {@code on-error: fail} (which the raw-text
     * scan keeps at premain, so only a config that hides it can get here): main already runs, and
     * stopping the JVM now could cut the application's work in half.
     */
    private static final String FAIL_TOO_LATE = "binding.on-error: fail is not applied: the config was read after main"
            + " had started, and the agent never stops a running application; the problems above are warnings."
            + " Write on-error: fail plainly (no escapes, aliases or tags) so that it is seen before main";

    /** At most this many config errors are printed at start; {@code check} lists them all. */
    private static final int ERRORS_SHOWN = 100;

    /** Every error of the config (up to {@link #ERRORS_SHOWN}), as {@code check} shows them. */
    private static void logAll(Logger log, ConfigException e) {
        java.util.List<ConfigException> all = e.all();
        for (int i = 0; i < all.size() && i < ERRORS_SHOWN; i++) {
            log.error("{}", all.get(i).getMessage());
        }
        if (all.size() > ERRORS_SHOWN) {
            log.error("... and {} more errors (numa-agent check lists them all)", all.size() - ERRORS_SHOWN);
        }
    }

    /** on-error: fail applies even to a file that does not parse, so it is looked for in the raw text. */
    private static boolean failRequested(ConfigException e) {
        try {
            return DeferrableConfig.asksToFail(java.nio.file.Files.readString(Path.of(e.position().file())));
        } catch (Exception unreadable) {
            return false;
        }
    }

    /** An impossible binding under {@code on-error: fail}. */
    static final class FatalBindingError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalBindingError(String message) {
            super(message);
        }
    }

    /** The steps of one start, sharing what each found. */
    private static final class Startup {
        private final Instrumentation inst;
        private final AgentSettings settings;
        private final AgentConfig config;
        private final Logger log;
        private final boolean failOnError;
        private final PhaseTimer timer;
        /** Loaded into a running JVM (attach): threads already running are bound too. */
        private final boolean dynamic;
        /** On the agent's background thread, Thread already rewritten (see startNow). */
        private final boolean background;
        /** The waiting Thread.start hook's hand-over (background only), else null. */
        private final CompletableFuture<ThreadStartHook> pending;
        /** The Thread.start hook once installed. */
        ThreadStartHook threadHook;

        Startup(Instrumentation inst, AgentSettings settings, AgentConfig config, Logger log, PhaseTimer timer,
                boolean dynamic, CompletableFuture<ThreadStartHook> pending) {
            this.timer = timer;
            this.dynamic = dynamic;
            this.background = pending != null;
            this.pending = pending;
            this.inst = inst;
            this.settings = settings;
            this.config = config;
            this.log = log;
            boolean fail = settings.onError(config) == BindingConfig.OnError.FAIL;
            if (fail && background) {
                log.error(FAIL_TOO_LATE);
            }
            this.failOnError = fail && !background;
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
            Path sysfs = Path.of(settings.sysfs(config));
            Topology topology = new SysfsTopologyReader(sysfs).read();
            if (topology.nodes().isEmpty()) {
                log.info("no NUMA nodes under {}: nothing to bind (not a NUMA machine, or a kernel without NUMA)",
                        sysfs.resolve("devices/system/node"));
                AgentObservability.state("nothing to bind: no NUMA nodes under " + sysfs.resolve("devices/system/node"));
                return;
            }
            CpuSet allowed = ProcessCpus.allowedAtStart();
            InheritedBinding inherited = inheritedBinding(allowed);
            if (inherited != null && process.isPresent()) {
                log.info("the process section is not applied: the parent process bound this JVM (see above)");
                process = Optional.empty();
            }
            timer.mark("topology");
            boolean bindProcess = process.isPresent();
            // A method rule that names JDK classes (java.util.concurrent.*) names classes the
            // start-up itself runs on other threads: JNA's first load runs ldconfig, whose
            // "process reaper" completes a CompletableFuture. In the background, that thread would
            // wait for the start-up that waits for it (measured: every such call stuck for the 30 s
            // readiness timeout). Before main, no hook exists until the start-up is done.
            boolean namesJdkClasses = methodRules.mayMatchJdk();
            if (bindProcess || !anyRules || failOnError || dynamic || namesJdkClasses) {
                // the whole JVM is bound before main, or an impossible binding must stop the JVM
                // before main, or (attach) the running threads are bound now, or (JDK classes, above)
                // the start-up must not wait for hooks: nothing can wait
                ThreadStartHook.Ready ready = prepareBinding(sysfs, topology, allowed, bindProcess, inherited);
                if (dynamic && settings.dryRun()) {
                    // attach --dry-run: decides for the running threads and installs nothing, so
                    // that the JVM is left as found and a later attach binds
                    if (ready != null && anyRules) {
                        bindRunningThreads(threadRules, ready, null);
                    }
                    return;
                }
                if (ready != null && anyRules) {
                    Hooks.Installed installed = installHooks(threadRules, methodRules, processRules,
                            CompletableFuture.completedFuture(ready));
                    if (dynamic) {
                        bindRunningThreads(threadRules, ready, installed);
                    }
                }
                return;
            }
            // Rules only: JNA (~70 ms) and device discovery (NVML: up to seconds) go to a background
            // thread, off the application's start-up; the first thread, call or process a rule
            // matches waits for them (within Readiness's budget), the others never do.
            CompletableFuture<ThreadStartHook.Ready> ready = new CompletableFuture<>();
            installHooks(threadRules, methodRules, processRules, ready);
            timer.mark("hooks");
            if (background) {
                // already the agent's own thread: the rules decide from now on, JNA and devices follow here
                pending.complete(threadHook);
                new PrepareBinding(this, sysfs, topology, allowed, inherited, ready).run();
                return;
            }
            AgentObservability.beaconOnStartupThread();
            ThreadStartHook.startInternal("numa-agent-init",
                    new PrepareBinding(this, sysfs, topology, allowed, inherited, ready));
        }

        /** JNA, the binder and the devices, off the application's way; completes what the hooks wait for. */
        private static final class PrepareBinding implements Runnable {
            private final Startup startup;
            private final Path sysfs;
            private final Topology topology;
            private final CpuSet allowed;
            private final InheritedBinding inherited;
            private final CompletableFuture<ThreadStartHook.Ready> ready;

            PrepareBinding(Startup startup, Path sysfs, Topology topology, CpuSet allowed, InheritedBinding inherited,
                           CompletableFuture<ThreadStartHook.Ready> ready) {
                this.startup = startup;
                this.sysfs = sysfs;
                this.topology = topology;
                this.allowed = allowed;
                this.inherited = inherited;
                this.ready = ready;
            }

            @Override
            public void run() {
                try {
                    ready.complete(startup.prepareBinding(sysfs, topology, allowed, false, inherited));
                    if (startup.background) {
                        // a timer is one thread's: at premain the premain thread summarises it meanwhile
                        startup.timer.mark("binder and devices");
                    }
                } catch (FatalBindingError e) {
                    // only outside the background: there failOnError is off (see Startup)
                    startup.log.error("{}; stopping the JVM (binding.on-error: fail); exit status {}", e.getMessage(), EXIT_CONFIG);
                    System.exit(EXIT_CONFIG);
                } catch (Throwable t) {
                    startup.log.error("could not start ({}); the application runs without NUMA binding. Please report this",
                            t.toString(), t);
                    AgentObservability.state("not binding: start-up failed (" + t + ")");
                } finally {
                    ready.complete(null); // no-op when completed above
                }
                if (!startup.background) {
                    AgentObservability.becomeBeacon(); // the background start-up becomes it after this
                }
            }
        }

        /**
         * The binding the parent's agent gave this JVM ({@value InheritedBinding#VARIABLE}), or null
         * when there is none, or it is stale or unreadable (reported).
         */
        private InheritedBinding inheritedBinding(CpuSet allowed) {
            String value = System.getenv(InheritedBinding.VARIABLE);
            if (value == null || value.isBlank()) {
                return null;
            }
            InheritedBinding inherited;
            try {
                inherited = InheritedBinding.parse(value);
            } catch (RuntimeException e) {
                log.warn("{}='{}' cannot be read ({}); it is ignored", InheritedBinding.VARIABLE, value, e.getMessage());
                return null;
            }
            if (!inherited.cpus().equals(allowed)) {
                log.info("{} says cpus={} but this process may use {} (re-bound since its parent started it): ignored",
                        InheritedBinding.VARIABLE, inherited.cpus(), allowed);
                return null;
            }
            log.info("this JVM was bound by its parent's agent: {}; threads reset under children: reset get this binding",
                    inherited.describe());
            return inherited;
        }

        /** The binder, devices and plans; null (reported) when nothing can be bound here. */
        private ThreadStartHook.Ready prepareBinding(Path sysfs, Topology topology, CpuSet allowed, boolean bindProcess,
                                                     InheritedBinding inherited) throws Exception {
            JnaModule.prepare(inst);
            Binder binder = loadBinder();
            if (!binder.isReal() && !settings.dryRun()) {
                log.warn("cannot bind threads here: {}; the application runs unbound", ((NoopBinder) binder).reason());
                AgentObservability.state("cannot bind here: " + ((NoopBinder) binder).reason());
                return null;
            }
            if (failOnError && binder.isReal() && !settings.dryRun()) {
                kernelLetsThreadsBeBound(binder);
            }
            DeviceDiscovery.Result devices = DeviceDiscovery.discover(config.devices(), sysfs, topology, needsDevices());
            StartupReport.log(log, topology, allowed, devices);
            AgentObservability.machine(topology, devices);
            BindingPlanner planner = new BindingPlanner(topology, devices.devices(), config.binding(), allowed,
                    new CpuCores(sysfs), null);
            CallerBinder caller = new CallerBinder(binder, ProcessCpus.memsAllowedAtStart());
            Binding base = null;
            if (bindProcess) {
                base = bindProcess(config.process().get(), planner, caller);
            } else if (inherited != null) {
                base = inherited.binding();
            }
            if (base != null) {
                planner = new BindingPlanner(topology, devices.devices(), config.binding(), allowed, new CpuCores(sysfs), base);
            }
            if (failOnError) {
                failOnImpossiblePlans(planner);
            }
            AgentObservability.state(settings.dryRun() ? "dry-run: deciding and logging every binding, applying none" : "binding");
            return new ThreadStartHook.Ready(new RuleTargets(planner), caller);
        }

        /**
         * Under {@code on-error: fail}, a kernel that refuses sched_setaffinity (a seccomp profile,
         * a locked-down host) makes every binding impossible: asked at start with the thread's own
         * CPUs (no change), it stops the JVM before main instead of running it unbound. A refused
         * memory policy does not: the CPUs are still bound (see CallerBinder).
         */
        private void kernelLetsThreadsBeBound(Binder binder) {
            try {
                binder.setAffinity(0, binder.getAffinity(0));
            } catch (numa.agent.bind.BindException e) {
                throw new FatalBindingError("the kernel refuses to bind threads here: " + e.getMessage());
            }
        }

        /**
         * Under {@code on-error: fail}, a rule that cannot be bound here stops the JVM at start:
         * a plain number names one device or node; a device taken from the thread or call
         * ({@code $1}, {@code arg0.index}, {@code env:}, {@code round-robin}) may be any device
         * found, so every one must be bindable (a device without a node, a node without usable
         * CPUs, too few cores for {@code cpus: exclusive}). A node taken from the thread can only be
         * judged when a thread starts; there a failure is reported and the thread left as it is.
         */
        private void failOnImpossiblePlans(BindingPlanner planner) {
            for (numa.agent.config.Rule rule : config.rules()) {
                numa.agent.config.Expr expr = rule.device() != null ? rule.device() : rule.node();
                if (expr instanceof numa.agent.config.LiteralExpr literal) {
                    failIfImpossible(rule, rule.device() != null ? planner.forDevice(literal.value())
                            : planner.forNode(literal.value()));
                } else if (rule.device() != null) {
                    for (int device = 0; device < planner.devices().size(); device++) {
                        failIfImpossible(rule, planner.forDevice(device));
                    }
                }
            }
        }

        private static void failIfImpossible(numa.agent.config.Rule rule, BindingPlanner.Plan plan) {
            if (plan.problem() != null) {
                throw new FatalBindingError("rule " + rule.name() + " (" + rule.position() + ") cannot be bound: " + plan.problem());
            }
        }

        private Hooks.Installed installHooks(ThreadRules threadRules, MethodRules methodRules, ProcessRules processRules,
                                             CompletableFuture<ThreadStartHook.Ready> ready) throws Exception {
            Hooks.Installed installed = Hooks.install(inst, threadRules, methodRules, processRules, ready, config.binding(),
                    settings.dryRun(), background);
            threadHook = installed.threadHook();
            log.debug("hooks installed: threads, processes {}, methods {}", installed.processes(), installed.methods());
            return installed;
        }

        /**
         * attach: the threads a rule names that already run are bound now, by their kernel ids
         * (CPUs only: a running thread's memory policy can only be set by itself).
         */
        private void bindRunningThreads(ThreadRules rules, ThreadStartHook.Ready ready, Hooks.Installed installed) {
            RunningThreads.Result r = new RunningThreads(rules, ready.targets(), ready.binder().binder(), settings.dryRun(),
                    installed == null ? (thread, rule) -> { } : installed.bound()::put).bindAll(AgentObservability.threadDump());
            if (installed == null) {
                log.info("attached (dry-run): {} running thread{} matched a rule, {} would be bound, {} not; nothing was"
                        + " applied or installed: attach without dry-run to bind", r.matched(), r.matched() == 1 ? "" : "s",
                        r.bound(), r.failed());
                return;
            }
            log.info("attached: {} running thread{} matched a rule: {} bound, {} not; threads started from now on are bound"
                    + " as they start", r.matched(), r.matched() == 1 ? "" : "s", r.bound(), r.failed());
        }

        private boolean needsDevices() {
            if (config.process().map(p -> p.device() != null).orElse(false)) {
                return true;
            }
            return config.rules().stream().anyMatch(r -> r.device() != null);
        }

        private Binder loadBinder() {
            try {
                return LinuxBinder.load();
            } catch (Throwable t) {
                if (t instanceof UnsupportedOperationException) {
                    return new NoopBinder(t.getMessage());
                }
                String stub = null;
                try {
                    stub = jnaStubProblem == null ? null : jnaStubProblem.get();
                } catch (Throwable ignored) {
                    // the launcher's word is a detail of the message
                }
                return new NoopBinder("the native stub of JNA cannot be loaded (" + AgentLog.describe(t) + "); "
                        + (stub != null ? stub + "; point -Djna.tmpdir at a directory where files may be executed"
                        : "if /tmp is mounted noexec, point -Djna.tmpdir at an executable directory"));
            }
        }

        /** Binds the whole JVM; returns the binding that resets now give, or null if none was made. */
        private Binding bindProcess(ProcessSection section, BindingPlanner planner, CallerBinder caller) throws Exception {
            RuleTargets targets = new RuleTargets(planner);
            Binding b = targets.resolveProcess(section);
            if (b == null) {
                if (failOnError) {
                    throw new FatalBindingError("the process section cannot be bound (see above)");
                }
                return null;
            }
            if (settings.dryRun()) {
                log.info("process (dry-run): every thread of this JVM would be bound to {}", b.describe());
                return b;
            }
            long t0 = System.nanoTime();
            ProcessBinder.Result r = new ProcessBinder(caller, Path.of("/proc/self/task")).bindAll(b);
            Observations.processBound("process", b, r.threads(), r.failed(), r.memorySet(), System.nanoTime() - t0);
            log.info("process: {} threads of this JVM bound to {}{}", r.threads(), b.describe(),
                    r.failed() == 0 ? "" : " (" + r.failed() + " refused: " + r.firstFailure() + ")");
            return b;
        }
    }
}
