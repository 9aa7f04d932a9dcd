package numa.agent.observe;

import java.lang.management.ManagementFactory;
import java.util.List;

import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.slf4j.Logger;

import numa.agent.log.AgentLog;

/**
 * Registers {@code numa.agent:type=Bindings} in the platform MBean server without creating it.
 *
 * <p>Creating the platform MBean server costs a JVM ~0.2-0.3 s of CPU and ~13-26 MiB (measured
 * on JDK 17 and 25, see docs/operations.md): far too much for an agent whose promise is to cost
 * nothing at start. So at premain the agent only has a sleeping daemon thread,
 * {@value #AGENT_THREAD}, that looks once a second whether the platform MBean server exists
 * (someone — the application, a JMX tool, {@code numa-agent status} — created it) and then
 * registers the MBean (for JMX clients the user runs: jconsole, exporters). The command line never
 * uses JMX: it reads the agent's {@link AgentReport}. When loaded by {@code attach}, the MBean is
 * registered at once.
 */
public final class JmxRegistration {
    public static final String OBJECT_NAME = "numa.agent:type=Bindings";
    /**
     * The agent's own thread in every JVM it runs in: registers the MBean once the platform MBean
     * server exists and keeps the {@link AgentReport} current. Its name is no proof of the agent
     * (an application may name a thread so): the report is.
     */
    public static final String AGENT_THREAD = "numa-agent";
    static final long POLL_MILLIS = 1000;
    private static final Logger LOG = AgentLog.logger("jmx");

    private static volatile boolean registered;

    private JmxRegistration() {
    }

    /** Registers now, creating the platform MBean server if need be. Never throws. */
    public static void registerNow() {
        registerNow(AgentVersion.get());
    }

    /** Same, with the version the MBean reports. */
    static synchronized void registerNow(String version) {
        if (registered) {
            return;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            server.registerMBean(new Bindings(server, version), new ObjectName(OBJECT_NAME));
        } catch (InstanceAlreadyExistsException e) {
            // another copy of the agent registered first: it shows the same bindings
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "jmx", "cannot register the MBean {} ({}): status shows no rules for this JVM",
                    OBJECT_NAME, t.toString());
        }
        registered = true;
    }

    /**
     * One look of the agent's thread: registers when the platform MBean server exists (and nothing
     * registered yet). Never throws; cheap once registered.
     */
    public static void registerIfServerExists() {
        if (registered) {
            return;
        }
        try {
            if (platformServerExists()) {
                registerNow();
            }
        } catch (Throwable t) {
            AgentLog.warnOnce(LOG, "jmx-wait", "cannot watch for the platform MBean server ({}): the MBean {} is not registered",
                    t.toString(), OBJECT_NAME);
            registered = true;
        }
    }

    /**
     * True once {@link ManagementFactory#getPlatformMBeanServer()} has run: it creates its server
     * through {@link MBeanServerFactory}, which lists it, and registers {@code java.lang:type=Runtime}
     * in it. Asks without creating anything.
     */
    private static boolean platformServerExists() throws Exception {
        List<MBeanServer> servers = MBeanServerFactory.findMBeanServer(null);
        if (servers.isEmpty()) {
            return false;
        }
        ObjectName runtime = new ObjectName(ManagementFactory.RUNTIME_MXBEAN_NAME);
        for (MBeanServer s : servers) {
            if (s.isRegistered(runtime)) {
                return true;
            }
        }
        return false;
    }

    /** True once registered (tests). */
    static boolean isRegistered() {
        return registered;
    }
}
