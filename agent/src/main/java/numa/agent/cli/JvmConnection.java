package numa.agent.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import numa.agent.observe.DiagnosticCommands;
import numa.agent.observe.JmxRegistration;
import numa.agent.proc.ThreadDump;

/**
 * A connection from the command line to another JVM on this machine, through the Attach API (the
 * mechanism of {@code jcmd}): its system properties, loading the agent into it, and JMX through
 * its local management agent (what jconsole starts), for its thread dump and the agent's MBean.
 *
 * <p>Attaching needs the same user as the target (or root), a JVM not started with
 * {@code -XX:+DisableAttachMechanism}, and, across containers, a shared /tmp or PID namespace.
 * JMX stays on this machine: the local connector accepts local clients only.
 */
final class JvmConnection implements AutoCloseable {
    private final long pid;
    private final VirtualMachine vm;
    /** False with {@code --no-jmx}: no local management agent is started in the JVM. */
    private final boolean jmxAllowed;
    private JMXConnector connector;
    private MBeanServerConnection server;
    /** Why JMX could not be used, once it failed (not asked again: an RMI connect can take seconds). */
    private IOException jmxFailure;
    private String threadDumpSource = "none";

    private JvmConnection(long pid, VirtualMachine vm, boolean jmxAllowed) {
        this.pid = pid;
        this.vm = vm;
        this.jmxAllowed = jmxAllowed;
    }

    /**
     * Attaches to {@code pid}, which must be a JVM (the attach handshake sends SIGQUIT, which ends
     * most other programs: callers check {@code ProcProcess.isJvm()} first).
     *
     * @throws IOException saying why, with what to do
     */
    static JvmConnection attach(long pid, boolean jmxAllowed) throws IOException {
        try {
            return new JvmConnection(pid, VirtualMachine.attach(Long.toString(pid)), jmxAllowed);
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage() + " (attach needs the JVM's user"
                    + " or root, a JVM without -XX:+DisableAttachMechanism, and its /tmp reachable from here)", e);
        } catch (IOException e) {
            throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new IOException("this Java runtime has no Attach API (module jdk.attach): run the command with a full"
                    + " JDK (" + e + ")", e);
        }
    }

    Properties systemProperties() throws IOException {
        return vm.getSystemProperties();
    }

    /** The target's Java feature version (17, 21, 25...), or 0 when unknown. */
    int featureVersion() {
        try {
            String spec = systemProperties().getProperty("java.specification.version", "0");
            return Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Loads a Java agent; returns once its agentmain has returned. */
    void loadAgent(String jar, String args) throws IOException, AgentLoadException, AgentInitializationException {
        vm.loadAgent(jar, args);
    }

    /**
     * JMX to the target, starting its local management agent if it has none yet. The local
     * connector is RMI over the loopback interface: where that is down (a network namespace without
     * {@code lo} up) or the RMI stub names an unreachable host, this fails, and callers fall back
     * to what needs no JMX.
     */
    MBeanServerConnection jmx() throws IOException {
        if (!jmxAllowed) {
            throw new IOException("JMX not used (--no-jmx)");
        }
        if (jmxFailure != null) {
            throw jmxFailure;
        }
        if (server == null) {
            try {
                String address = vm.startLocalManagementAgent();
                connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
                server = connector.getMBeanServerConnection();
            } catch (IOException | RuntimeException e) {
                jmxFailure = new IOException("JMX to JVM " + pid + " failed (" + oneLine(e) + ")", e);
                throw jmxFailure;
            }
        }
        return server;
    }

    /** True once JMX was tried and failed, or is not to be used. */
    boolean jmxUnavailable() {
        return !jmxAllowed || jmxFailure != null;
    }

    /** Why JMX is not available, or null. */
    String jmxProblem() {
        return !jmxAllowed ? "not used (--no-jmx)" : jmxFailure == null ? null : jmxFailure.getMessage();
    }

    /**
     * The target's thread dump: Java names and kernel ids of its threads. Through JMX, else through
     * the {@code jcmd} of the JDK running this command (the attach socket, no network).
     */
    ThreadDump threadDump() throws IOException {
        try {
            ThreadDump dump = ThreadDump.parse(DiagnosticCommands.threadPrint(jmx()));
            threadDumpSource = "thread dump";
            return dump;
        } catch (Exception viaJmx) {
            ThreadDump dump = Jcmd.threadPrint(pid);
            threadDumpSource = "thread dump (jcmd)";
            return dump;
        }
    }

    /** Where the last thread dump came from: {@code thread dump}, {@code thread dump (jcmd)}. */
    String threadDumpSource() {
        return threadDumpSource;
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replaceAll("\\s*\\n\\s*", " ");
    }

    /**
     * True when the JVM was started with {@code -XX:+EnableDynamicAgentLoading}: Java 21+ then loads
     * an agent without its warning. The flag is true by default there, but only a value given on the
     * command line (origin other than DEFAULT) silences the warning.
     */
    boolean dynamicAgentLoadingExplicit() {
        try {
            CompositeData option = (CompositeData) jmx().invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                    "getVMOption", new Object[] {"EnableDynamicAgentLoading"}, new String[] {String.class.getName()});
            return "true".equals(String.valueOf(option.get("value"))) && !"DEFAULT".equals(String.valueOf(option.get("origin")));
        } catch (Exception e) {
            return false; // no such flag (before Java 21) or no HotSpot MBean
        }
    }

    /**
     * The agent's MBean, when the agent runs in the target. {@code waitMillis} &gt; 0 waits that long
     * for it to appear: an agent started with -javaagent registers it within a second of the
     * platform MBean server's creation, which connecting here may just have caused.
     */
    Optional<AgentView> agent(long waitMillis) throws IOException {
        ObjectName name;
        try {
            name = new ObjectName(JmxRegistration.OBJECT_NAME);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (!jmx().isRegistered(name)) {
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        try {
            return Optional.of(AgentView.read(jmx(), name));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read " + name + " in JVM " + pid + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (IOException ignored) {
            // the JVM may have ended
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // same
        }
    }

    /** What the agent's MBean says, in plain values. */
    record AgentView(String version, String mode, long startTime, String config, boolean dryRun, String state,
                     List<String> topology, List<String> devices, List<String> rules, List<RuleRow> ruleCounts,
                     List<ThreadRow> boundThreads, List<ThreadRow> attachResults, List<ThreadRow> failures,
                     List<String> problems) {
        static AgentView read(MBeanServerConnection server, ObjectName name) throws Exception {
            List<RuleRow> counts = new ArrayList<>();
            for (CompositeData c : composites(server.getAttribute(name, "RuleCounts"))) {
                // an agent older than the no-device count has no such item
                long noDevice = c.getCompositeType().containsKey("noDevice") ? (Long) c.get("noDevice") : 0;
                counts.add(new RuleRow((String) c.get("rule"), (Long) c.get("bound"), (Long) c.get("failed"),
                        (Long) c.get("reset"), noDevice));
            }
            return new AgentView((String) server.getAttribute(name, "Version"), (String) server.getAttribute(name, "Mode"),
                    (Long) server.getAttribute(name, "StartTime"), (String) server.getAttribute(name, "Config"),
                    (Boolean) server.getAttribute(name, "DryRun"), (String) server.getAttribute(name, "State"),
                    strings(server.getAttribute(name, "Topology")), strings(server.getAttribute(name, "Devices")),
                    strings(server.getAttribute(name, "Rules")), counts,
                    threads(server.getAttribute(name, "BoundThreads")), threads(server.getAttribute(name, "AttachResults")),
                    threads(server.getAttribute(name, "Failures")), strings(server.getAttribute(name, "Problems")));
        }

        private static List<String> strings(Object value) {
            return value == null ? List.of() : List.of((String[]) value);
        }

        private static CompositeData[] composites(Object value) {
            return value == null ? new CompositeData[0] : (CompositeData[]) value;
        }

        private static List<ThreadRow> threads(Object value) {
            List<ThreadRow> rows = new ArrayList<>();
            for (CompositeData c : composites(value)) {
                rows.add(new ThreadRow((Integer) c.get("tid"), (Long) c.get("javaThreadId"), (String) c.get("thread"),
                        (String) c.get("rule"), (Integer) c.get("device"), (Integer) c.get("node"), (String) c.get("cpus"),
                        (String) c.get("memory"), (String) c.get("outcome"), (String) c.get("detail"),
                        (String) c.get("trigger"), (Long) c.get("costNanos")));
            }
            return rows;
        }
    }

    /** One rule's counts. */
    record RuleRow(String rule, long bound, long failed, long reset, long noDevice) {
        RuleRow(String rule, long bound, long failed, long reset) {
            this(rule, bound, failed, reset, 0);
        }
    }

    /** One thread's binding as the agent reports it. */
    record ThreadRow(int tid, long javaThreadId, String thread, String rule, int device, int node, String cpus,
                     String memory, String outcome, String detail, String trigger, long costNanos) {
    }
}
