package numa.agent.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;

import numa.agent.log.AgentLog;
import numa.agent.proc.ThreadDump;

/** The MBean behind {@code numa.agent:type=Bindings}: a view of {@link BindingLog}, read when asked. */
final class Bindings implements BindingsMXBean {
    private final MBeanServer server;
    private final String version;

    Bindings(MBeanServer server, String version) {
        this.server = server;
        this.version = version;
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getMode() {
        return BindingLog.info().mode();
    }

    @Override
    public long getStartTime() {
        return BindingLog.info().startMillis();
    }

    @Override
    public String getConfig() {
        return BindingLog.info().config();
    }

    @Override
    public boolean isDryRun() {
        return BindingLog.info().dryRun();
    }

    @Override
    public String getState() {
        return BindingLog.info().state();
    }

    @Override
    public List<String> getTopology() {
        return BindingLog.info().nodes();
    }

    @Override
    public List<String> getDevices() {
        return BindingLog.info().devices();
    }

    @Override
    public List<String> getRules() {
        return BindingLog.info().rules();
    }

    @Override
    public List<RuleCount> getRuleCounts() {
        List<RuleCount> out = new ArrayList<>();
        BindingLog.counts().forEach((rule, c) -> out.add(new RuleCount(rule, c[0], c[1], c[2], c[3])));
        return out;
    }

    @Override
    public List<ThreadBinding> getBoundThreads() {
        Map<Thread, BindingRecord> live = BindingLog.liveThreads();
        ThreadDump dump = live.values().stream().anyMatch(r -> r.tid() < 0) ? DiagnosticCommands.threadDump(server) : null;
        List<ThreadBinding> out = new ArrayList<>();
        live.forEach((thread, r) -> out.add(new ThreadBinding(r, tidOf(thread, r, dump))));
        return out;
    }

    @Override
    public List<ThreadBinding> getAttachResults() {
        return BindingLog.attached().stream().map(r -> new ThreadBinding(r, r.tid())).toList();
    }

    @Override
    public List<ThreadBinding> getFailures() {
        return BindingLog.failures().stream().map(r -> new ThreadBinding(r, r.tid())).toList();
    }

    @Override
    public List<String> getProblems() {
        return AgentLog.recentProblems();
    }

    @Override
    public long getBoundCount() {
        return BindingLog.counts().values().stream().mapToLong(c -> c[0]).sum();
    }

    @Override
    public long getThreadRecords() {
        return BindingLog.threadRecords();
    }

    @Override
    public long getBoundThreadEntries() {
        return BindingLog.boundThreadEntries();
    }

    @Override
    public long getFailedCount() {
        return BindingLog.counts().values().stream().mapToLong(c -> c[1]).sum();
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static int tidOf(Thread thread, BindingRecord r, ThreadDump dump) {
        if (r.tid() >= 0) {
            return r.tid();
        }
        ThreadDump.Entry e = dump == null ? null : dump.byJavaId(thread.getId());
        return e == null || !e.name().equals(thread.getName()) ? -1 : e.nativeId();
    }
}
