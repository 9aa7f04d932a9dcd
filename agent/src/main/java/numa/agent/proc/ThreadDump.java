package numa.agent.proc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * A name may itself contain quotes or {@code #}: the name ends at the last quote that is followed
 * by a valid rest of the header. Virtual threads are not in the dump (they have no kernel thread).
 */
public final class ThreadDump {
    private static final Pattern HEADER = Pattern.compile(
            "^\"(.*)\"\\s+(?:#(\\d+)\\s+)?(?:\\[(\\d+)\\]\\s+)?(daemon\\s+)?(?:prio=-?\\d+\\s+)?os_prio=-?\\d+\\b.*?\\bnid=(0x[0-9a-fA-F]+|\\d+)\\b.*$");

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
    private final Map<Long, Entry> byJavaId = new HashMap<>();
    private final Map<Integer, Entry> byNativeId = new HashMap<>();

    private ThreadDump(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        for (Entry e : entries) {
            if (e.isJavaThread()) {
                byJavaId.put(e.javaId(), e);
            }
            byNativeId.put(e.nativeId(), e);
        }
    }

    /** Parses a dump; lines that are not thread headers (stack frames, lock info, SMR info) are skipped. */
    public static ThreadDump parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.startsWith("\"")) {
                continue;
            }
            Matcher m = HEADER.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String nid = m.group(5);
            int nativeId;
            try {
                nativeId = nid.startsWith("0x") ? Integer.parseInt(nid.substring(2), 16) : Integer.parseInt(nid);
            } catch (NumberFormatException e) {
                continue;
            }
            long javaId = m.group(2) == null ? -1 : Long.parseLong(m.group(2));
            entries.add(new Entry(m.group(1), javaId, nativeId, m.group(4) != null));
        }
        return new ThreadDump(entries);
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
