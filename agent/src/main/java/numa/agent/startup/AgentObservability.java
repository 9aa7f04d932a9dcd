package numa.agent.startup;

import java.util.ArrayList;
import java.util.List;

import numa.agent.config.AgentConfig;
import numa.agent.config.AgentSettings;
import numa.agent.config.ProcessSection;
import numa.agent.config.Rule;
import numa.agent.device.Device;
import numa.agent.device.DeviceDiscovery;
import numa.agent.instrument.ThreadStartHook;
import numa.agent.observe.AgentInfo;
import numa.agent.observe.AgentReport;
import numa.agent.observe.BindingLog;
import numa.agent.observe.DiagnosticCommands;
import numa.agent.observe.JmxRegistration;
import numa.agent.observe.Observations;
import numa.agent.observe.QuietRules;
import numa.agent.proc.ThreadDump;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * What start-up tells the MBean ({@code numa.agent:type=Bindings}) about the agent, and when the
 * MBean is registered: kept out of the start-up steps so that they read as binding only.
 *
 * <p>Start-up only stores facts in fields here: no other class is loaded, nothing is formatted and
 * nothing touches JMX on the premain path (measured: each class the agent's loader defines there
 * costs 0.2-1 ms while the preloader holds the jar). The description is built when the MBean is
 * read, and the MBean is registered by the beacon thread (see {@link JmxRegistration}), which is the
 * background start-up thread itself where there is one.
 */
final class AgentObservability implements Runnable {
    private static volatile boolean dynamic;
    private static volatile long startMillis;
    private static volatile AgentSettings settings;
    private static volatile AgentConfig config;
    private static volatile String state = "starting";
    private static volatile Topology topology;
    private static volatile DeviceDiscovery.Result devices;
    /** True when the background start-up thread will become the beacon: no thread of its own then. */
    private static volatile boolean beaconOnStartupThread;
    /** False once a dry-run attach has decided and installed nothing: no agent is active in the JVM. */
    private static volatile boolean active = true;
    /** How often the agent's thread looks for changes to publish. */
    private static final long REPORT_MILLIS = 250;
    /** Published at least this often even without a change (ended threads drop out of the report). */
    private static final int REPORT_REFRESH_TICKS = 120;

    private AgentObservability() {
    }

    static void started(AgentSettings s, boolean isDynamic) {
        settings = s;
        dynamic = isDynamic;
        active = true;
        startMillis = System.currentTimeMillis();
        warnAboutUnknownNames();
    }

    /**
     * A misspelt {@code -Dnuma.agent.*} or {@code NUMA_AGENT_*} is ignored: said once each, here,
     * the first point of the start after the log level is set. Costs a pass over the system
     * properties and the environment (tens of microseconds), no class of its own.
     */
    private static void warnAboutUnknownNames() {
        try {
            List<String> unknown = AgentSettings.unknownNames(System.getenv(), System.getProperties());
            if (!unknown.isEmpty()) {
                org.slf4j.Logger log = numa.agent.log.AgentLog.logger("agent");
                for (String w : unknown) {
                    log.warn("{}", w);
                }
            }
        } catch (RuntimeException e) {
            // a security manager that denies reading them: nothing to warn about then
        }
    }

    static void state(String s) {
        state = s;
    }

    static void rules(AgentConfig c) {
        config = c;
    }

    static void machine(Topology t, DeviceDiscovery.Result d) {
        topology = t;
        devices = d;
    }

    /** Called on the premain thread before the background start-up thread starts: it will be the beacon. */
    static void beaconOnStartupThread() {
        beaconOnStartupThread = true;
    }

    /**
     * Makes the agent visible: its {@link AgentReport} at once (the command line reads it next when
     * attached), the MBean at once when attached (else once someone creates the platform MBean
     * server), and the agent's thread that keeps both current. A dry-run attach leaves no thread and
     * no MBean: it installed nothing, so a later attach starts afresh.
     */
    static void publish(boolean isDynamic) {
        if (isDynamic) {
            publishReport();
        }
        if (isDynamic && !active) {
            return;
        }
        if (isDynamic) {
            JmxRegistration.registerNow();
            ThreadStartHook.startInternal(JmxRegistration.AGENT_THREAD, new AgentObservability());
        } else if (!beaconOnStartupThread) {
            ThreadStartHook.startInternal(JmxRegistration.AGENT_THREAD, new AgentObservability());
        }
    }

    /** A dry-run attach is done: it installed nothing, and says so in its report. */
    static void dryRunAttachDone() {
        active = false;
    }

    /**
     * The report as of now, into its system property (see {@link AgentReport}); never on the
     * premain path (it loads and formats): at attach, and on the agent's own threads.
     */
    static void publishReport() {
        BindingLog.infoSource(AgentObservability::info);
        AgentSettings s = settings;
        AgentConfig c = config;
        String sysfs = s == null ? null : s.sysfs(c != null ? c : AgentConfig.empty());
        AgentReport.publish(numa.agent.observe.AgentVersion.get(), active, sysfs);
    }

    /** The background start-up thread, its work done, becomes the agent's thread (renamed: its comm marks the agent). */
    static void becomeBeacon() {
        Thread.currentThread().setName(JmxRegistration.AGENT_THREAD);
        new AgentObservability().run();
    }

    /**
     * The agent's thread: four times a second, registers the MBean when the platform MBean server has
     * appeared, and publishes the report when something changed (a binding, the state).
     */
    @Override
    public void run() {
        Observations.warmUp();
        BindingLog.infoSource(AgentObservability::info);
        AgentConfig c = config;
        QuietRules.Window window = null;
        if (c != null && !c.rules().isEmpty()) {
            // the hooks are installed by now: the start-up window starts here
            window = new QuietRules.Window(c.rules());
            summarizeAtExit(c.rules());
        }
        long published = Long.MIN_VALUE;
        int ticks = 0;
        while (!Thread.currentThread().isInterrupted()) {
            JmxRegistration.registerIfServerExists();
            if (window != null) {
                window.tick(); // says which rules bound nothing once the start-up window has passed
            }
            long now = changeKey();
            if (now != published || ++ticks % REPORT_REFRESH_TICKS == 0) {
                publishReport();
                published = now;
            }
            try {
                Thread.sleep(REPORT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * At exit, the rules that bound nothing and the bindings not logged one by one: an agent thread
     * the JVM starts (never bound, never waiting on the start-up) that only reads what is in memory.
     */
    private static void summarizeAtExit(List<Rule> rules) {
        try {
            Thread hook = new Thread(new AgentCode(new QuietRules.AtExit(rules)), "numa-agent-exit-summary");
            hook.setDaemon(true);
            ThreadStartHook.agentThread(hook);
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (Throwable e) {
            // shutting down already, or not allowed: the counts stay in the MBean and status
        }
    }

    /** Runs its body as the agent's code: method rules do not apply to what it calls. */
    private static final class AgentCode implements Runnable {
        private final Runnable body;

        AgentCode(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            NumaAgentBridge.enterAgent();
            body.run();
        }
    }

    /** Changes whenever the report would: records made, and what start-up found. */
    private static long changeKey() {
        long key = BindingLog.recordsMade();
        key = key * 31 + state.hashCode();
        key = key * 31 + (config == null ? 0 : 1) + (topology == null ? 0 : 2) + (devices == null ? 0 : 4);
        return key * 31 + numa.agent.log.AgentLog.recentProblems().size();
    }

    /** This JVM's thread dump, for the kernel ids of running threads (attach). */
    static ThreadDump threadDump() {
        return DiagnosticCommands.localThreadDump();
    }

    /** The description as of now. */
    static AgentInfo info() {
        AgentSettings s = settings;
        if (s == null) {
            return AgentInfo.NONE;
        }
        AgentInfo info = AgentInfo.started(dynamic, startMillis, s.configPath().orElse(""), s.dryRun()).withState(state);
        AgentConfig c = config;
        if (c != null) {
            List<String> lines = new ArrayList<>();
            List<String> names = new ArrayList<>();
            if (c.process().isPresent()) {
                ProcessSection p = c.process().get();
                names.add("process");
                lines.add("process: every thread -> " + target(p.device(), p.node()) + " (" + p.position() + ")");
            }
            for (Rule r : c.rules()) {
                names.add(r.name());
                lines.add(r.name() + ": " + matchers(r) + " -> " + target(r.device(), r.node()) + " (" + r.position() + ")");
            }
            info = info.withRules(lines, names);
        }
        Topology t = topology;
        DeviceDiscovery.Result d = devices;
        if (t != null) {
            List<String> nodes = new ArrayList<>();
            for (NumaNode n : t.nodes()) {
                nodes.add("node " + n.id() + ": cpus " + (n.hasCpus() ? n.cpus().toString() : "none") + ", memory "
                        + (n.hasMemory() ? (n.memTotalBytes() >> 20) + " MiB" : "none"));
            }
            List<String> deviceLines = new ArrayList<>();
            for (Device dev : d == null ? List.<Device>of() : d.devices()) {
                deviceLines.add("device " + dev.index() + ": node " + (dev.nodeKnown() ? Integer.toString(dev.node()) : "unknown")
                        + (dev.busId() == null ? "" : ", bus " + dev.busId()) + " (" + dev.source() + ")");
            }
            info = info.withMachine(nodes, deviceLines);
        }
        return info;
    }

    private static String target(numa.agent.config.Expr device, numa.agent.config.Expr node) {
        return device != null ? "device " + device.text() : "node " + node.text();
    }

    private static String matchers(Rule r) {
        List<String> parts = new ArrayList<>();
        if (r.thread() != null) {
            parts.add("thread \"" + r.thread().pattern() + "\"");
        }
        if (r.threadClassGlob() != null) {
            parts.add("thread-class " + r.threadClassGlob());
        }
        if (r.method() != null) {
            parts.add("method " + r.method());
        }
        if (r.process() != null) {
            parts.add("process \"" + r.process().pattern() + "\"");
        }
        return String.join(", ", parts);
    }
}
