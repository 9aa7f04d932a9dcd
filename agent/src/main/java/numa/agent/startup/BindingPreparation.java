package numa.agent.startup;

import java.nio.file.Path;

import org.slf4j.Logger;

import numa.agent.bind.BindException;
import numa.agent.bind.Binder;
import numa.agent.bind.Binding;
import numa.agent.bind.BindingPlanner;
import numa.agent.bind.CallerBinder;
import numa.agent.bind.InheritedBinding;
import numa.agent.jna.JnaModule;
import numa.agent.bind.LinuxBinder;
import numa.agent.bind.NoopBinder;
import numa.agent.bind.ProcessBinder;
import numa.agent.config.AgentConfig;
import numa.agent.config.Expr;
import numa.agent.config.LiteralExpr;
import numa.agent.config.ProcessSection;
import numa.agent.config.Rule;
import numa.agent.device.DeviceDiscovery;
import numa.agent.instrument.BindingContext;
import numa.agent.log.AgentLog;
import numa.agent.observe.Observations;
import numa.agent.rules.RuleTargets;
import numa.agent.topology.CpuCores;
import numa.agent.topology.CpuSet;
import numa.agent.topology.ProcessCpus;
import numa.agent.topology.Topology;

/**
 * What binding needs, once: JNA and the binder, the devices, the plans, and the process section
 * bound when there is one. Under {@code on-error: fail} it also proves, before main, that the
 * kernel lets threads be bound and that every rule can be bound here ({@link FatalBindingError}).
 */
final class BindingPreparation {
    private final StartContext context;
    private final AgentConfig config;
    private final boolean failOnError;
    private final Path sysfs;
    private final Topology topology;
    private final CpuSet allowed;
    private final InheritedBinding inherited;
    private final Logger log;

    BindingPreparation(StartContext context, AgentConfig config, boolean failOnError, Path sysfs, Topology topology,
                       CpuSet allowed, InheritedBinding inherited) {
        this.context = context;
        this.config = config;
        this.failOnError = failOnError;
        this.sysfs = sysfs;
        this.topology = topology;
        this.allowed = allowed;
        this.inherited = inherited;
        this.log = context.log;
    }

    /** The binder, devices and plans; null (reported) when nothing can be bound here. */
    BindingContext prepare(boolean bindProcess) throws Exception {
        boolean dryRun = context.settings.dryRun();
        JnaModule.prepare(context.inst());
        Binder binder = loadBinder();
        if (!binder.isReal() && !dryRun) {
            log.warn("cannot bind threads here: {}; the application runs unbound", ((NoopBinder) binder).reason());
            AgentObservability.state("cannot bind here: " + ((NoopBinder) binder).reason());
            return null;
        }
        if (failOnError && binder.isReal() && !dryRun) {
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
        AgentObservability.state(dryRun ? "dry-run: deciding and logging every binding, applying none" : "binding");
        return new BindingContext(new RuleTargets(planner), caller);
    }

    /**
     * Under {@code on-error: fail}, a kernel that refuses sched_setaffinity (a seccomp profile,
     * a locked-down host) makes every binding impossible: asked at start with the thread's own
     * CPUs (no change), it stops the JVM before main instead of running it unbound. A refused
     * memory policy does not: the CPUs are still bound (see CallerBinder).
     */
    private static void kernelLetsThreadsBeBound(Binder binder) {
        try {
            binder.setAffinity(0, binder.getAffinity(0));
        } catch (BindException e) {
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
        for (Rule rule : config.rules()) {
            Expr expr = rule.device() != null ? rule.device() : rule.node();
            if (expr instanceof LiteralExpr literal) {
                failIfImpossible(rule, rule.device() != null ? planner.forDevice(literal.value())
                        : planner.forNode(literal.value()));
            } else if (rule.device() != null) {
                for (int device = 0; device < planner.devices().size(); device++) {
                    failIfImpossible(rule, planner.forDevice(device));
                }
            }
        }
    }

    private static void failIfImpossible(Rule rule, BindingPlanner.Plan plan) {
        if (plan.problem() != null) {
            throw new FatalBindingError("rule " + rule.name() + " (" + rule.position() + ") cannot be bound: " + plan.problem());
        }
    }

    private boolean needsDevices() {
        if (config.process().isPresent() && config.process().get().device() != null) {
            return true;
        }
        for (Rule r : config.rules()) {
            if (r.device() != null) {
                return true;
            }
        }
        return false;
    }

    private Binder loadBinder() {
        try {
            return LinuxBinder.load();
        } catch (Throwable t) {
            if (t instanceof UnsupportedOperationException) {
                return new NoopBinder(t.getMessage());
            }
            String stub = context.request.jnaStubProblem();
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
        if (context.settings.dryRun()) {
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
