package numa.agent.observe;

import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import numa.agent.proc.ThreadDump;

/**
 * HotSpot's DiagnosticCommand MBean ({@code com.sun.management:type=DiagnosticCommand}), the JMX
 * face of {@code jcmd}: its {@code threadPrint} is the thread dump that ties Java threads to kernel
 * thread ids ({@code nid}). Used in-process by the agent and remotely by the command line.
 */
public final class DiagnosticCommands {
    public static final String OBJECT_NAME = "com.sun.management:type=DiagnosticCommand";

    private DiagnosticCommands() {
    }

    /** The thread dump text ({@code jcmd PID Thread.print}). */
    public static String threadPrint(MBeanServerConnection server) throws Exception {
        return (String) server.invoke(new ObjectName(OBJECT_NAME), "threadPrint", new Object[] {new String[0]},
                new String[] {String[].class.getName()});
    }

    /** This JVM's threads with their kernel ids, through the platform MBean server (creating it). */
    public static ThreadDump localThreadDump() {
        return threadDump(java.lang.management.ManagementFactory.getPlatformMBeanServer());
    }

    /** This JVM's threads with their kernel ids; an empty dump where the command is missing (not HotSpot). */
    static ThreadDump threadDump(MBeanServer server) {
        try {
            return ThreadDump.parse(threadPrint(server));
        } catch (Exception e) {
            return ThreadDump.parse("");
        }
    }
}
