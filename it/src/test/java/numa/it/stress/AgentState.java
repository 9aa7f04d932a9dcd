package numa.it.stress;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.management.AttributeNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How much the agent keeps after the threads it bound have ended, read from inside the JVM:
 * <ul>
 * <li>the MBean's own counts of per-thread entries ({@code ThreadRecords}, {@code BoundThreadEntries},
 * ended threads not yet collected included) and of live bound threads;</li>
 * <li>a class histogram after a full GC ({@code GC.class_histogram}, what {@code jmap -histo:live}
 * shows): every instance of every class of the agent ({@code numa.agent.*}, whichever map or
 * list holds it, including ones no one thought of), and the {@code Thread} objects still around;</li>
 * <li>the heap in use right after that full GC: what the agent keeps in JDK classes (strings, maps
 * of failure keys) shows there.</li>
 * </ul>
 */
final class AgentState {
    static final String MBEAN = "numa.agent:type=Bindings";
    private static final String AGENT_PACKAGE = "numa.agent.";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName bindings;
    private final ObjectName diagnostics;

    /** One reading. -1 where the agent has no such attribute. */
    record Reading(long threadRecords, long boundEntries, long boundNow, long agentObjects, long agentBytes,
                   long threadObjects, int liveThreads, long heapUsed, Map<String, Long> agentClasses) {
    }

    AgentState() throws Exception {
        bindings = new ObjectName(MBEAN);
        diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
    }

    /** Waits for the agent to register its MBean (it looks for the platform server once a second). */
    boolean awaitMBean(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (server.isRegistered(bindings)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    Reading read() throws Exception {
        // A weak map drops an entry at its next use after the GC cleared the key and the reference
        // handler queued it: collect, give the handler a moment, use the maps (the MBean reads their
        // sizes), twice, so that what is counted is what the agent really keeps.
        long records = -1;
        long entries = -1;
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
            records = attribute("ThreadRecords");
            entries = attribute("BoundThreadEntries");
        }
        long boundNow = server.isRegistered(bindings) ? ((Object[]) server.getAttribute(bindings, "BoundThreads")).length : -1;
        String histogram = (String) server.invoke(diagnostics, "gcClassHistogram", new Object[] {null},
                new String[] {String[].class.getName()});
        long objects = 0;
        long bytes = 0;
        long threads = 0;
        Map<String, Long> classes = new TreeMap<>();
        for (String line : histogram.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) {
                continue;
            }
            long count = Long.parseLong(f[1]);
            String name = f[3];
            if (name.startsWith(AGENT_PACKAGE)) {
                objects += count;
                bytes += Long.parseLong(f[2]);
                classes.put(name.substring(AGENT_PACKAGE.length()), count);
            } else if (name.equals("java.lang.Thread")) {
                threads = count;
            }
        }
        // right after the histogram's full GC: the live heap, whatever classes the agent keeps it in
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Reading(records, entries, boundNow, objects, bytes, threads,
                ManagementFactory.getThreadMXBean().getThreadCount(), heap, classes);
    }

    private long attribute(String name) throws Exception {
        if (!server.isRegistered(bindings)) {
            return -1;
        }
        try {
            return ((Number) server.getAttribute(bindings, name)).longValue();
        } catch (AttributeNotFoundException e) {
            return -1;
        }
    }

    /** The agent's classes with the most instances, for the report. */
    static List<String> top(Map<String, Long> classes, int n) {
        List<String> out = new ArrayList<>();
        classes.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
                .forEach(e -> out.add(e.getKey() + "=" + e.getValue()));
        return out;
    }
}
