package numa.agent.proc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads of a HotSpot thread dump ({@code jcmd PID Thread.print}, or the DiagnosticCommand
 * MBean's {@code threadPrint}): for each, its Java name, Java thread id and native id (the kernel's
 * tid, the directory under {@code /proc/PID/task}). The only way to tie a {@code java.lang.Thread}
 * to its kernel thread from outside, or from inside without running code on that thread.
 *
 * <p>Header lines as HotSpot writes them:
 * <pre>
 * JDK 17:  "gpu-worker-0" #23 daemon prio=5 os_prio=0 cpu=1.2ms elapsed=3s tid=0x00007f.. nid=0x6de8 waiting ...
 * JDK 21+: "gpu-worker-0" #23 [28160] daemon prio=5 os_prio=0 cpu=1.2ms elapsed=3s tid=0x00007f.. nid=28160 waiting ...
 * VM threads (no Java thread id): "GC Thread#0" os_prio=0 cpu=9.08ms elapsed=5.59s tid=0x00007f.. nid=22301 runnable
 * </pre>
 *
 * <p>Names are printed raw: a name may hold quotes, {@code #}, and line breaks, so an application
 * that names a thread from untrusted text can write lines that look like headers of other threads.
 * What HotSpot writes after the name holds no quote, so on one line the name ends at the last quote.
 * Against forged lines the dump is checked with what comes before any name: the
 * {@code Threads class SMR info} list of every Java thread's {@code tid=} address. A dump is
 * rejected as a whole ({@link #problem()}) when a Java header carries an address that is not in that
 * list or that another header carries too, when a header's rest of line stands on a line that does
 * not start with its name (a name with a line break), when a VM thread's header comes before a Java
 * thread's (VM threads are printed last: a forged one sits in a Java thread's name), or when the list
 * is missing. Virtual threads are not in the dump (they have no kernel thread).
 */
public final class ThreadDump {
    /** What HotSpot writes after a Java thread's name: no quote in it. */
    private static final Pattern JAVA_REST = Pattern.compile(
            "\"\\s+#(\\d+)\\s+(?:\\[(\\d+)\\]\\s+)?(daemon\\s+)?(?:prio=-?\\d+\\s+)?os_prio=-?\\d+\\s[^\"]*?"
                    + "\\btid=(0x[0-9a-fA-F]+)\\s[^\"]*?\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b[^\"]*$");
    /** What HotSpot writes after a VM thread's name (GC, JIT, VM Thread): no Java id. */
    private static final Pattern VM_REST = Pattern.compile(
            "\"\\s+os_prio=-?\\d+\\s[^\"]*?\\btid=(0x[0-9a-fA-F]+)\\s[^\"]*?\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b[^\"]*$");
    private static final Pattern SMR_LIST = Pattern.compile("_java_thread_list=0x[0-9a-fA-F]+, length=\\d+, elements=\\{");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]+");

    /**
     * One thread of the dump.
     *
     * @param name     its Java (or VM) name, in full
     * @param javaId   {@code Thread.getId()}, or -1 for a VM thread (GC, JIT, VM Thread)
     * @param nativeId the kernel thread id
     * @param daemon   true for a daemon Java thread
     */
    public record Entry(String name, long javaId, int nativeId, boolean daemon) {
        public boolean isJavaThread() {
            return javaId >= 0;
        }
    }

    private final List<Entry> entries;
    private final String problem;
    private final Map<Long, Entry> byJavaId = new HashMap<>();
    private final Map<Integer, Entry> byNativeId = new HashMap<>();

    private ThreadDump(List<Entry> entries, String problem) {
        this.entries = List.copyOf(entries);
        this.problem = problem;
        for (Entry e : entries) {
            if (e.isJavaThread()) {
                byJavaId.put(e.javaId(), e);
            }
            byNativeId.put(e.nativeId(), e);
        }
    }

    /** A dump that could not be read: no entries, and why. */
    public static ThreadDump unusable(String problem) {
        return new ThreadDump(List.of(), problem);
    }

    /**
     * Parses and checks a dump; lines that are not thread headers (stack frames, lock info) are
     * skipped. A dump that fails a check has no entries and says why in {@link #problem()}.
     */
    public static ThreadDump parse(String text) {
        String[] lines = text.split("\n", -1);
        Set<String> listed = javaThreadList(lines);
        if (listed == null) {
            return unusable("it has no list of Java threads (Threads class SMR info): not a HotSpot dump");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<Integer> nids = new HashSet<>();
        boolean vmThreadSeen = false;
        for (String raw : lines) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            Matcher java = JAVA_REST.matcher(line);
            if (java.find()) {
                if (!line.startsWith("\"")) {
                    return ambiguous("a thread's name holds a line break");
                }
                if (vmThreadSeen) {
                    return ambiguous("a VM thread's header stands before a Java thread's");
                }
                String address = java.group(4).toLowerCase(Locale.ROOT);
                if (!listed.contains(address) || !seen.add(address)) {
                    return ambiguous("a header names a thread that is not in the JVM's thread list, or one twice");
                }
                int nid = nativeId(java.group(5));
                if (nid < 0 || !nids.add(nid)) {
                    return ambiguous("two headers name kernel thread " + java.group(5));
                }
                entries.add(new Entry(line.substring(1, java.start()), Long.parseLong(java.group(1)), nid,
                        java.group(3) != null));
                continue;
            }
            Matcher vm = VM_REST.matcher(line);
            if (vm.find() && line.startsWith("\"")) {
                vmThreadSeen = true;
                int nid = nativeId(vm.group(2));
                if (nid < 0 || !nids.add(nid)) {
                    return ambiguous("two headers name kernel thread " + vm.group(2));
                }
                entries.add(new Entry(line.substring(1, vm.start()), -1, nid, false));
            }
        }
        return new ThreadDump(entries, null);
    }

    private static ThreadDump ambiguous(String why) {
        return unusable("it is ambiguous (" + why + "): a thread name imitates the dump's own lines");
    }

    /** The tid= addresses of the SMR info list, which HotSpot prints before any thread; null when absent. */
    private static Set<String> javaThreadList(String[] lines) {
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("\"")) {
                return null; // a thread header before the list: the list is not there
            }
            if (SMR_LIST.matcher(lines[i]).find()) {
                Set<String> addresses = new HashSet<>();
                for (int j = i + 1; j < lines.length && !lines[j].startsWith("}"); j++) {
                    Matcher m = ADDRESS.matcher(lines[j]);
                    while (m.find()) {
                        addresses.add(m.group().toLowerCase(Locale.ROOT));
                    }
                }
                return addresses;
            }
        }
        return null;
    }

    private static int nativeId(String nid) {
        try {
            return nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The same dump without the threads {@code isTask} refuses (a kernel id that is not a thread of
     * the process: ended since, or never one of it). Nothing is ever done to a tid it refuses.
     */
    public ThreadDump onlyTasks(IntPredicate isTask) {
        return new ThreadDump(entries.stream().filter(e -> isTask.test(e.nativeId())).toList(), problem);
    }

    /** Why the dump was rejected as a whole, or null when it was read. */
    public String problem() {
        return problem;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The thread with this Java id ({@code Thread.getId()}), or null. */
    public Entry byJavaId(long javaId) {
        return byJavaId.get(javaId);
    }

    /** The thread with this kernel id, or null. */
    public Entry byNativeId(int tid) {
        return byNativeId.get(tid);
    }
}
