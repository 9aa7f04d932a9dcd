package numa.agent;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.slf4j.Logger;

import numa.agent.attach.RunningThreads;
import numa.agent.bind.Binder;
import numa.agent.bind.Binding;
import numa.agent.bind.BindingPlanner;
import numa.agent.bind.CallerBinder;
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
import numa.agent.instrument.ThreadStartHook;
import numa.agent.instrument.ThreadStartTransformer;
import numa.agent.log.AgentLog;
import numa.agent.observe.Observations;
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
    private static final Pattern ON_ERROR_FAIL = Pattern.compile("(?m)^\\s*on-error\\s*:\\s*[\"']?fail\\b");

    private static volatile boolean started;

    private Agent() {
    }

    /** Called by the launcher through reflection. Never throws. */
    public static void start(Instrumentation inst, String args, boolean dynamic, long startNanos) {
        Logger log;
        AgentSettings settings;
        PhaseTimer timer = new PhaseTimer(startNanos);
        try {
            settings = AgentSettings.resolve(args, System.getenv(), System.getProperties());
        } catch (ConfigException e) {
            System.err.println("numa-agent: " + e.getMessage() + "; the application runs without NUMA binding");
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
            AgentObservability.publish(dynamic);
        }
    }

    /**
     * The bridge outlives any one copy of the agent: when it already has hooks, a copy of the agent
     * loaded from another jar (or class loader) instruments this JVM, and a second would bind twice.
     */
    private static boolean instrumentedByAnotherCopy(Logger log) {
        try {
            Object installed = Class.forName("java.lang.NumaAgentBridge", false, null)
                    .getMethod("threadStartHooksInstalled").invoke(null);
            if (Boolean.TRUE.equals(installed)) {
                log.info("another copy of the agent already instruments this JVM: nothing more to do");
                return true;
            }
        } catch (ReflectiveOperationException | LinkageError notDefinedYet) {
            // no bridge yet: nothing instruments this JVM
        }
        return false;
    }

    private static void startWithSettings(Instrumentation inst, AgentSettings settings, boolean dynamic, Logger log,
                                          PhaseTimer timer) {
        AgentConfig config;
        try {
            Logger configLog = log;
            config = settings.configPath().isPresent()
                    ? ConfigLoader.load(Path.of(settings.configPath().get()), w -> configLog.warn("{}", w.getMessage()))
                    : AgentConfig.empty();
            timer.mark("config");
        } catch (ConfigException e) {
            boolean fail = e.position() != null && failRequested(e);
            log.error("{}", e.getMessage());
            AgentObservability.state("not binding: the config is invalid (see problems)");
            if (fail) {
                log.error("stopping the JVM (binding.on-error: fail); exit status {}", EXIT_CONFIG);
                System.exit(EXIT_CONFIG);
            }
            log.warn("the application runs without NUMA binding (binding.on-error: warn)");
            return;
        }
        try {
            new Startup(inst, settings, config, log, timer, dynamic).run();
        } catch (FatalBindingError e) {
            log.error("{}; stopping the JVM (binding.on-error: fail); exit status {}", e.getMessage(), EXIT_CONFIG);
            System.exit(EXIT_CONFIG);
        } catch (Throwable t) {
            log.error("could not start ({}); the application runs without NUMA binding. Please report this", t.toString(), t);
        }
        if (log.isDebugEnabled()) {
            log.debug("premain took {}", timer.summary());
        }
    }

    /** on-error: fail applies even to a file that does not parse, so it is looked for in the raw text. */
    private static boolean failRequested(ConfigException e) {
        try {
            return ON_ERROR_FAIL.matcher(java.nio.file.Files.readString(Path.of(e.position().file()))).find();
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

        Startup(Instrumentation inst, AgentSettings settings, AgentConfig config, Logger log, PhaseTimer timer,
                boolean dynamic) {
            this.timer = timer;
            this.dynamic = dynamic;
            this.inst = inst;
            this.settings = settings;
            this.config = config;
            this.log = log;
            this.failOnError = config.binding().onError() == BindingConfig.OnError.FAIL;
        }

        void run() throws Exception {
            ThreadRules threadRules = new ThreadRules(config.rules());
            Optional<ProcessSection> process = config.process();
            AgentObservability.rules(config);
            if (threadRules.isEmpty() && process.isEmpty()) {
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
            timer.mark("topology");
            if (process.isPresent() || threadRules.isEmpty() || failOnError || dynamic) {
                // the whole JVM is bound before main, or an impossible binding must stop the JVM
                // before main, or (attach) the running threads are bound now: nothing can wait
                ThreadStartHook.Ready ready = prepareBinding(sysfs, topology, allowed);
                if (ready != null && !threadRules.isEmpty()) {
                    ThreadStartHook hook = installHook(threadRules, CompletableFuture.completedFuture(ready));
                    if (dynamic) {
                        bindRunningThreads(threadRules, ready, hook);
                    }
                }
                return;
            }
            // Thread rules only: JNA (~70 ms) and device discovery (NVML: up to seconds) go to a
            // background thread, off the application's start-up; the first thread a rule matches
            // waits for them, threads no rule matches never do.
            CompletableFuture<ThreadStartHook.Ready> ready = new CompletableFuture<>();
            installHook(threadRules, ready);
            timer.mark("thread hook");
            AgentObservability.beaconOnStartupThread();
            ThreadStartHook.startInternal("numa-agent-init", () -> {
                try {
                    ready.complete(prepareBinding(sysfs, topology, allowed));
                } catch (FatalBindingError e) {
                    log.error("{}; stopping the JVM (binding.on-error: fail); exit status {}", e.getMessage(), EXIT_CONFIG);
                    System.exit(EXIT_CONFIG);
                } catch (Throwable t) {
                    log.error("could not start ({}); the application runs without NUMA binding. Please report this", t.toString(), t);
                    AgentObservability.state("not binding: start-up failed (" + t + ")");
                    ready.complete(null);
                }
                AgentObservability.becomeBeacon();
            });
        }

        /** The binder, devices and plans; null (reported) when nothing can be bound here. */
        private ThreadStartHook.Ready prepareBinding(Path sysfs, Topology topology, CpuSet allowed) throws Exception {
            Binder binder = loadBinder();
            if (!binder.isReal() && !settings.dryRun()) {
                log.warn("cannot bind threads here: {}; the application runs unbound", ((NoopBinder) binder).reason());
                AgentObservability.state("cannot bind here: " + ((NoopBinder) binder).reason());
                return null;
            }
            DeviceDiscovery.Result devices = DeviceDiscovery.discover(config.devices(), sysfs, topology, needsDevices());
            StartupReport.log(log, topology, allowed, devices);
            AgentObservability.machine(topology, devices);
            BindingPlanner planner = new BindingPlanner(topology, devices.devices(), config.binding(), allowed,
                    new CpuCores(sysfs), null);
            CallerBinder caller = new CallerBinder(binder);
            if (config.process().isPresent()) {
                Binding base = bindProcess(config.process().get(), planner, caller);
                if (base != null) {
                    planner = new BindingPlanner(topology, devices.devices(), config.binding(), allowed, new CpuCores(sysfs), base);
                }
            }
            if (failOnError) {
                failOnImpossibleLiteralPlans(planner);
            }
            AgentObservability.state(settings.dryRun() ? "dry-run: deciding and logging every binding, applying none" : "binding");
            return new ThreadStartHook.Ready(new RuleTargets(planner), caller);
        }

        /**
         * Under {@code on-error: fail}, a rule whose device or node is a plain number and cannot be
         * bound here (device missing or without a node, node without usable CPUs) stops the JVM at
         * start. Rules whose target depends on the thread ($1, env:, round-robin) can only be judged
         * when a thread starts; there a failure is reported and the thread left as it is.
         */
        private void failOnImpossibleLiteralPlans(BindingPlanner planner) {
            for (numa.agent.config.Rule rule : config.rules()) {
                numa.agent.config.Expr expr = rule.device() != null ? rule.device() : rule.node();
                if (expr == null || !expr.text().matches("\\d+")) {
                    continue;
                }
                int value = Integer.parseInt(expr.text());
                BindingPlanner.Plan plan = rule.device() != null ? planner.forDevice(value) : planner.forNode(value);
                if (plan.problem() != null) {
                    throw new FatalBindingError("rule " + rule.name() + " (" + rule.position() + ") cannot be bound: " + plan.problem());
                }
            }
        }

        private ThreadStartHook installHook(ThreadRules rules, CompletableFuture<ThreadStartHook.Ready> ready) throws Exception {
            ThreadStartHook hook = new ThreadStartHook(rules, ready, config.binding().children(), settings.dryRun());
            Class.forName("java.lang.NumaAgentBridge", false, null)
                    .getMethod("installThreadStartHooks", Function.class, Consumer.class)
                    .invoke(null, hook, hook);
            ThreadStartTransformer.install(inst);
            return hook;
        }

        /**
         * attach: the threads a rule names that already run are bound now, by their kernel ids
         * (CPUs only: a running thread's memory policy can only be set by itself).
         */
        private void bindRunningThreads(ThreadRules rules, ThreadStartHook.Ready ready, ThreadStartHook hook) {
            RunningThreads.Result r = new RunningThreads(rules, ready.targets(), ready.binder().binder(), settings.dryRun(),
                    hook::boundWhileRunning).bindAll(AgentObservability.threadDump());
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
                return new NoopBinder(t instanceof UnsupportedOperationException ? t.getMessage()
                        : "the native stub of JNA cannot be loaded (" + t + "); if /tmp is mounted noexec,"
                        + " point -Djna.tmpdir at an executable directory");
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
