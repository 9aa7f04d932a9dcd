package numa.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import numa.agent.bind.Binding;
import numa.agent.bind.BindingPlanner;
import numa.agent.config.AgentConfig;
import numa.agent.config.AgentSettings;
import numa.agent.config.BindingConfig;
import numa.agent.config.ConfigException;
import numa.agent.config.ConfigLoader;
import numa.agent.config.Expr;
import numa.agent.config.Position;
import numa.agent.config.ProcessSection;
import numa.agent.config.Rule;
import numa.agent.device.Device;
import numa.agent.device.DeviceDiscovery;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * {@code check CONFIG}: is the config valid, and what would it bind on this machine? Every error
 * is printed, not just the first, so that one run fixes a file. A valid config gets its plan: for
 * the process section and each rule, the node, CPU set and memory policy of every binding it can
 * make here, and a warning for each one that cannot be made (a device without a node, CPUs the
 * process may not use, a node without CPUs or memory), using the same planner as the agent.
 */
final class CheckReport {
    private static final Comparator<Finding> FILE_ORDER = Comparator
            .comparingInt((Finding f) -> f.problem.position() == null ? 0 : f.problem.position().line())
            .thenComparingInt(f -> f.problem.position() == null ? 0 : f.problem.position().column());

    /** A config error or warning, for printing in file order. */
    private record Finding(ConfigException problem, boolean warning) {
    }

    private final Host host;
    private final PrintStream out;
    /** {@code --classpath}: the application's classes, read when first needed. */
    private final Optional<String> classpath;
    private ClassPathIndex classes;
    private int warnings;
    /** Problems that make the agent stop the JVM at start under on-error: fail (check then exits 2). */
    private int fatal;

    private CheckReport(Host host, Optional<String> classpath) {
        this.host = host;
        this.out = host.out();
        this.classpath = classpath;
    }

    /**
     * @param sysfsOption {@code --sysfs}, which wins over the config's {@code topology.sysfs}
     * @return the exit status: 0 valid, 2 invalid (or unreadable), 1 when the machine cannot be read
     */
    static int run(Path configFile, Optional<String> sysfsOption, Host host) {
        return run(configFile, sysfsOption, Optional.empty(), host);
    }

    /** @param classpath {@code --classpath}: warn about method rules that name no class on it */
    static int run(Path configFile, Optional<String> sysfsOption, Optional<String> classpath, Host host) {
        return new CheckReport(host, classpath).check(configFile, sysfsOption);
    }

    private int check(Path configFile, Optional<String> sysfsOption) {
        List<Finding> findings = new ArrayList<>();
        AgentConfig config;
        try {
            config = ConfigLoader.load(configFile, w -> findings.add(new Finding(w, true)));
        } catch (ConfigException e) {
            e.all().forEach(error -> findings.add(new Finding(error, false)));
            printFindings(findings);
            int errors = e.all().size();
            host.err().println("numa-agent: " + configFile + ": " + errors + (errors == 1 ? " error" : " errors")
                    + "; the agent would bind nothing with this config");
            return Cli.EXIT_USAGE;
        }
        printFindings(findings);
        out.println(configFile + ": valid; " + count(config.rules().size(), "rule")
                + (config.process().isPresent() ? " and a process section" : "")
                + (findings.isEmpty() ? "" : ", " + count(findings.size(), "warning") + " (on stderr)"));
        if (config.rules().isEmpty() && config.process().isEmpty()) {
            out.println("no rules and no process section: the agent binds nothing");
            return Cli.EXIT_OK;
        }
        String sysfsSource = sysfsOption.isPresent() ? "--sysfs" : config.sysfs() != null ? "topology.sysfs" : "default";
        Path sysfs = Path.of(sysfsOption.orElse(config.sysfs() != null ? config.sysfs() : AgentSettings.DEFAULT_SYSFS));
        if (sysfsSource.equals("default") && Machine.isMissingDefault(sysfs)) {
            out.println("no " + sysfs + " here (not Linux): the agent binds nothing on this machine;"
                    + " give --sysfs DIR to plan against a copy of another machine's /sys");
            return Cli.EXIT_OK;
        }
        Machine machine;
        try {
            machine = Machine.read(sysfs, host);
        } catch (IOException e) {
            host.err().println("numa-agent: cannot read the topology (sysfs " + sysfs + ", from " + sysfsSource + "): "
                    + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        plan(config, machine, sysfsSource);
        out.println();
        out.println(warnings == 0 ? "every binding can be made here"
                : count(warnings, "warning") + ": some bindings cannot be made here as configured (see above)");
        if (fatal > 0) {
            host.err().println("numa-agent: error: " + configFile + ": " + count(fatal, "problem") + " above would stop the"
                    + " JVM at start on this machine (binding.on-error: fail, exit status " + BindingConfig.FAIL_EXIT_STATUS + ")");
            return Cli.EXIT_USAGE;
        }
        return Cli.EXIT_OK;
    }

    private void printFindings(List<Finding> findings) {
        findings.sort(FILE_ORDER);
        for (Finding f : findings) {
            Position p = f.problem.position();
            host.err().println("numa-agent: " + (p == null ? "" : p + ": ") + (f.warning ? "warning: " : "")
                    + f.problem.problem());
        }
    }

    private void plan(AgentConfig config, Machine machine, String sysfsSource) {
        Topology topology = machine.topology();
        out.println("topology: " + machine.sysfs() + " (" + sysfsSource + "): "
                + (topology.isNuma() ? count(topology.nodes().size(), "node") + " " + nodeSummary(topology) : "no NUMA nodes"));
        out.println("this process may use cpus " + machine.allowedCpus().map(Object::toString).orElse("unknown"));
        machine.warnings().forEach(this::warn);
        if (!topology.isNuma()) {
            return;
        }
        boolean needDevices = config.process().map(p -> p.device() != null).orElse(false)
                || config.rules().stream().anyMatch(r -> r.device() != null);
        DeviceDiscovery.Result devices = machine.devices(config.devices(), needDevices);
        if (!devices.searched()) {
            out.println("devices: not looked for (no rule names a device)");
        } else {
            out.println("devices (" + devices.description() + "): " + (devices.devices().isEmpty() ? "none found"
                    : devices.devices().size()));
            if (devices.family() != null) {
                out.println("  family " + devices.family() + ", numbered in " + devices.numbering()
                        + "; visibility: " + devices.visibility());
            }
            devices.leftOut().forEach(l -> out.println("  left out: " + l));
            for (Device d : devices.devices()) {
                out.println("  device " + d.index() + (d.physicalIndex() != d.index() ? " (physical " + d.physicalIndex() + ")" : "")
                        + ": " + (d.busId() == null ? d.source() : d.source() + " " + d.busId())
                        + ", node " + (d.nodeKnown() ? Integer.toString(d.node()) : "unknown"));
            }
            devices.warnings().forEach(this::warn);
        }
        BindingConfig policy = config.binding();
        out.println("binding: cpus=" + lower(policy.cpus()) + " memory=" + lower(policy.memory()) + " children="
                + lower(policy.children()) + " on-error=" + lower(policy.onError()));

        BindingPlanner planner = new BindingPlanner(topology, devices.devices(), policy, machine.usableCpus(),
                machine.cores(), null);
        if (config.process().isPresent()) {
            Binding base = planProcess(config.process().get(), planner, policy.onError());
            if (base != null) {
                // as the agent does: a reset now restores the process's binding, which cpus: none keeps
                planner = new BindingPlanner(topology, devices.devices(), policy, machine.usableCpus(), machine.cores(), base);
            }
        }
        for (Rule rule : config.rules()) {
            out.println();
            out.println("rule " + rule.name() + " (" + rule.position() + "): " + matchers(rule) + " -> " + target(rule.device(), rule.node()));
            TargetPlans.Result plans = TargetPlans.of(planner, rule.device() != null ? rule.device() : rule.node(),
                    rule.device() != null, false);
            printPlans(plans);
            // as the agent decides at start (failOnImpossibleLiteralPlans): a plain number that cannot be bound here
            if (policy.onError() == BindingConfig.OnError.FAIL && plans.fixed() && plans.entries().size() == 1
                    && plans.entries().get(0).plan().problem() != null) {
                warn("with binding.on-error: fail, rule " + rule.name() + " stops the JVM at start here (exit status "
                        + BindingConfig.FAIL_EXIT_STATUS + ")");
                fatal++;
            }
            checkMethodClass(rule);
        }
    }

    /** {@code --classpath}: a method rule whose class pattern names no class there will never apply. */
    private void checkMethodClass(Rule rule) {
        if (classpath.isEmpty() || rule.method() == null) {
            return;
        }
        if (classes == null) {
            classes = ClassPathIndex.read(classpath.get());
            classes.problems().forEach(p -> host.err().println("numa-agent: warning: --classpath: " + p));
        }
        numa.agent.config.MethodPattern pattern = rule.methodPattern();
        if (!classes.anyMatches(pattern.classPattern())) {
            warn("method " + rule.method() + ": no class on --classpath (" + classes.size() + " classes) matches "
                    + pattern.classGlob() + ", so this rule never applies to that application");
        }
    }

    /** Prints the process section's plan; returns the binding it makes when it names one target, else null. */
    private Binding planProcess(ProcessSection section, BindingPlanner planner, BindingConfig.OnError onError) {
        out.println();
        out.println("process (" + section.position() + "): every thread of the JVM at start -> "
                + target(section.device(), section.node()));
        TargetPlans.Result plans = TargetPlans.of(planner, section.device() != null ? section.device() : section.node(),
                section.device() != null, true);
        printPlans(plans);
        Binding binding = plans.fixed() && plans.entries().size() == 1 ? plans.entries().get(0).plan().binding() : null;
        if (plans.fixed() && binding == null && onError == BindingConfig.OnError.FAIL) {
            warn("with binding.on-error: fail, the agent stops the JVM at start here (exit status " + BindingConfig.FAIL_EXIT_STATUS + ")");
            fatal++;
        }
        return binding;
    }

    private void printPlans(TargetPlans.Result plans) {
        if (plans.note() != null) {
            out.println("  (" + plans.note() + ")");
        }
        for (TargetPlans.Entry e : plans.entries()) {
            Binding b = e.plan().binding();
            if (b != null) {
                // a node target needs no "node N" again; a device target shows where it leads
                out.println("  " + e.target() + ": " + (e.byDevice() ? b.describe()
                        : "cpus=" + b.cpus() + " memory=" + b.memory().describe()));
            } else {
                out.println("  " + e.target() + ": not bound here");
                warn(e.plan().problem());
            }
            if (e.warning() != null) {
                warn(e.warning());
            }
        }
    }

    private void warn(String message) {
        warnings++;
        out.println("  warning: " + message);
    }

    private static String matchers(Rule rule) {
        List<String> parts = new ArrayList<>();
        if (rule.thread() != null) {
            parts.add("thread \"" + rule.thread().pattern() + "\"");
        }
        if (rule.threadClassGlob() != null) {
            parts.add("thread-class " + rule.threadClassGlob());
        }
        if (rule.method() != null) {
            parts.add("method " + rule.method() + " (bind: " + lower(rule.bind() == null ? Rule.BindMode.CALLER : rule.bind()) + ")");
        }
        if (rule.process() != null) {
            parts.add("process \"" + rule.process().pattern() + "\"");
        }
        return String.join(", ", parts);
    }

    private static String target(Expr device, Expr node) {
        return device != null ? "device " + device.text() : "node " + node.text();
    }

    private static String nodeSummary(Topology topology) {
        List<String> nodes = new ArrayList<>();
        for (NumaNode n : topology.nodes()) {
            nodes.add(n.id() + ": cpus " + (n.hasCpus() ? n.cpus().toString() : "none") + ", "
                    + (n.hasMemory() ? (n.memTotalBytes() >> 20) + " MiB" : "no memory"));
        }
        return "(" + String.join("; ", nodes) + ")";
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
