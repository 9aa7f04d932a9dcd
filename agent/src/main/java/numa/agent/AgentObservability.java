package numa.agent;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import numa.agent.config.AgentConfig;
import numa.agent.config.AgentSettings;
import numa.agent.config.Rule;
import numa.agent.device.Device;
import numa.agent.device.DeviceDiscovery;
import numa.agent.instrument.ThreadStartHook;
import numa.agent.observe.AgentInfo;
import numa.agent.observe.BindingLog;
import numa.agent.observe.DiagnosticCommands;
import numa.agent.observe.JmxRegistration;
import numa.agent.proc.ThreadDump;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/**
 * What start-up tells the MBean ({@code numa.agent:type=Bindings}) about the agent, and when the
 * MBean is registered: kept out of {@link Agent} so that start-up reads as binding only. Nothing
 * here touches JMX at premain; see {@link JmxRegistration}.
 */
final class AgentObservability {
    private AgentObservability() {
    }

    static void started(AgentSettings settings, boolean dynamic) {
        BindingLog.info(AgentInfo.started(dynamic, settings.configPath().orElse(""), settings.dryRun()));
    }

    static void state(String state) {
        BindingLog.info(BindingLog.info().withState(state));
    }

    static void rules(AgentConfig config) {
        List<String> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        config.process().ifPresent(p -> {
            names.add("process");
            lines.add("process: every thread -> " + (p.device() != null ? "device " + p.device().text() : "node " + p.node().text())
                    + " (" + p.position() + ")");
        });
        for (Rule r : config.rules()) {
            names.add(r.name());
            lines.add(r.name() + ": " + matchers(r) + " -> " + (r.device() != null ? "device " + r.device().text()
                    : "node " + r.node().text()) + " (" + r.position() + ")");
        }
        BindingLog.info(BindingLog.info().withRules(lines, names));
    }

    static void machine(Topology topology, DeviceDiscovery.Result devices) {
        List<String> nodes = new ArrayList<>();
        for (NumaNode n : topology.nodes()) {
            nodes.add("node " + n.id() + ": cpus " + (n.hasCpus() ? n.cpus().toString() : "none") + ", memory "
                    + (n.hasMemory() ? (n.memTotalBytes() >> 20) + " MiB" : "none"));
        }
        List<String> deviceLines = new ArrayList<>();
        for (Device d : devices.devices()) {
            deviceLines.add("device " + d.index() + ": node " + (d.nodeKnown() ? Integer.toString(d.node()) : "unknown")
                    + (d.busId() == null ? "" : ", bus " + d.busId()) + " (" + d.source() + ")");
        }
        BindingLog.info(BindingLog.info().withMachine(nodes, deviceLines));
    }

    /**
     * Makes the MBean reachable: at once when attached (the command line reads it next, and the
     * attach already created the platform MBean server), else once someone creates that server.
     */
    static void publish(boolean dynamic) {
        if (dynamic) {
            JmxRegistration.registerNow(version());
        } else {
            JmxRegistration.registerWhenPlatformServerExists(AgentObservability::version, ThreadStartHook::startInternal);
        }
    }

    /** This JVM's thread dump, for the kernel ids of running threads (attach). */
    static ThreadDump threadDump() {
        try {
            return ThreadDump.parse(DiagnosticCommands.threadPrint(ManagementFactory.getPlatformMBeanServer()));
        } catch (Exception e) {
            return ThreadDump.parse("");
        }
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

    private static String version() {
        try {
            java.security.CodeSource cs = Agent.class.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                java.io.File f = new java.io.File(cs.getLocation().toURI());
                if (f.isFile()) {
                    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(f, false)) {
                        String v = jar.getManifest() == null ? null
                                : jar.getManifest().getMainAttributes().getValue("Implementation-Version");
                        if (v != null) {
                            return v;
                        }
                    }
                }
            }
        } catch (Exception e) {
            // unknown below
        }
        return "unknown";
    }
}
