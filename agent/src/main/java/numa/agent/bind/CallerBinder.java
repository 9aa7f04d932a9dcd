package numa.agent.bind;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;

import numa.agent.log.AgentLog;
import numa.agent.topology.CpuSet;

/**
 * Binds the calling thread and puts it back: the one place where bindings meet the kernel.
 *
 * <p>A refused memory policy (EPERM in a container without CAP_SYS_NICE, EINVAL for a node without
 * memory) is not a failure of the binding: the CPUs are still bound, one warning says why the
 * memory is not, and the policy is not asked for again (per node for EINVAL, for good for EPERM).
 */
public final class CallerBinder {
    private static final Logger LOG = AgentLog.logger("bind");

    private final Binder binder;
    private volatile boolean memPolicyRefused;
    private final Set<Integer> nodesRefusingMemory = ConcurrentHashMap.newKeySet();

    /** Nodes whose memory the cpuset allows (Mems_allowed_list at start), or null when unknown. */
    private final CpuSet memsAllowed;

    public CallerBinder(Binder binder) {
        this(binder, null);
    }

    public CallerBinder(Binder binder, CpuSet memsAllowed) {
        this.binder = binder;
        this.memsAllowed = memsAllowed;
    }

    public Binder binder() {
        return binder;
    }

    /** The calling thread's binding before a change: what {@link #restore(Saved)} puts back. */
    public record Saved(CpuSet cpus, MemPolicy memory, boolean cpusChanged, boolean memoryChanged, boolean memoryApplied) {
    }

    /**
     * Binds the calling thread to {@code target} (kernel calls only where it differs) and returns
     * what it was, or throws when even the CPU binding was refused. Where the node takes no memory
     * policy, the thread still gets the default policy: it must not keep the policy of the node it
     * was on (the reset every binding starts with).
     */
    public Saved bind(Binding target) throws BindException {
        CpuSet cpus = binder.getAffinity(0);
        boolean cpusChange = !cpus.equals(target.cpus());
        if (cpusChange) {
            binder.setAffinity(0, target.cpus());
        }
        try {
            return bindMemory(target, cpus, cpusChange);
        } catch (Throwable t) {
            // not a refusal (those are handled below) but a failure of the agent itself (out of
            // memory, a bug): the caller gets nothing to restore, so the thread is put back here
            if (cpusChange) {
                putBackCpus(cpus);
            }
            throw t;
        }
    }

    private Saved bindMemory(Binding target, CpuSet cpus, boolean cpusChange) {
        if (target.memory() == null || memPolicyRefused) {
            return new Saved(cpus, null, cpusChange, false, false);
        }
        MemPolicy memory = currentMemPolicy();
        if (memory == null) {
            return new Saved(cpus, null, cpusChange, false, false);
        }
        if (!nodeRefusesMemory(target)) {
            if (samePolicy(memory, target.memory())) {
                return new Saved(cpus, memory, cpusChange, false, true);
            }
            if (setMemory(target)) {
                return new Saved(cpus, memory, cpusChange, true, true);
            }
        }
        boolean reset = memory.mode() != MemPolicy.Mode.DEFAULT && setDefaultMemory();
        return new Saved(cpus, memory, cpusChange, reset, false);
    }

    /** Binds the calling thread for good (no restore), returning whether the memory policy was set too. */
    public boolean bindForGood(Binding target) throws BindException {
        CpuSet before = binder.getAffinity(0); // one call per worker: what a failure of the agent puts back
        binder.setAffinity(0, target.cpus());
        try {
            if (target.memory() == null || memPolicyRefused) {
                return false;
            }
            if (!nodeRefusesMemory(target) && setMemory(target)) {
                return true;
            }
            setDefaultMemory(); // at least not another node's policy
            return false;
        } catch (Throwable t) {
            putBackCpus(before); // the thread stays as it was, as for any other failure of the agent
            throw t;
        }
    }

    /** After a failure of the agent itself: the CPUs the thread had, as far as the kernel lets. */
    private void putBackCpus(CpuSet cpus) {
        try {
            binder.setAffinity(0, cpus);
        } catch (Throwable e) {
            AgentLog.warnOnce(LOG, "putback:" + e.getClass().getName(), "could not put a thread back on cpus {} after a"
                    + " failure ({}); it may keep a worker's CPUs", cpus, AgentLog.describe(e));
        }
    }

    private boolean nodeRefusesMemory(Binding target) {
        return target.node() >= 0 && nodesRefusingMemory.contains(target.node());
    }

    /** The default policy, where a node's could not be set; false when that is refused too. */
    private boolean setDefaultMemory() {
        if (memPolicyRefused) {
            return false;
        }
        try {
            binder.setMemPolicy(MemPolicy.DEFAULT);
            return true;
        } catch (BindException e) {
            return false;
        }
    }

    /** Puts the calling thread back as it was before {@link #bind(Binding)}. */
    public void restore(Saved saved) {
        // CPUs and memory each on their own: a failure of one must not leave the other bound
        Throwable unexpected = null;
        try {
            if (saved.cpusChanged()) {
                binder.setAffinity(0, saved.cpus());
            }
        } catch (BindException e) {
            refusedRestore(e);
        } catch (Throwable t) {
            unexpected = t;
        }
        try {
            if (saved.memoryChanged()) {
                binder.setMemPolicy(saved.memory());
            }
        } catch (BindException e) {
            refusedRestore(e);
        } catch (Throwable t) {
            unexpected = unexpected == null ? t : unexpected;
        }
        if (unexpected instanceof RuntimeException r) {
            throw r; // the hook reports it as an internal error
        }
        if (unexpected instanceof Error e) {
            throw e;
        }
    }

    private static void refusedRestore(BindException e) {
        AgentLog.warnOnce(LOG, "restore:" + e.errno(),
                "could not restore a thread that started a bound thread: {}; it may keep the worker's binding", e.getMessage());
    }

    /** The likely reason a node refuses a memory policy, and what to do, for the warning. */
    private String whyNoMemory(int node) {
        if (memsAllowed == null || memsAllowed.contains(node)) {
            return "A node without memory of its own cannot take a memory policy; use memory: none to silence this";
        }
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/devices/system/node/node" + node))) {
            return "This kernel has no node " + node + ": the topology the agent read describes nodes the kernel does not"
                    + " have (a test or demo sysfs tree?)";
        }
        return "This process's cpuset does not allow node " + node + "'s memory (Mems_allowed_list: " + memsAllowed
                + ", the cgroup's cpuset.mems): add node " + node + " to cpuset.mems, or set memory: none to silence this";
    }

    private MemPolicy currentMemPolicy() {
        try {
            return binder.getMemPolicy();
        } catch (BindException e) {
            memPolicyRefused = true;
            AgentLog.warnOnce(LOG, "get_mempolicy:" + e.errno(),
                    "cannot read memory policies here ({}): binding CPUs only", e.getMessage());
            return null;
        }
    }

    private static boolean samePolicy(MemPolicy a, MemPolicy b) {
        return a.mode() == b.mode() && (a.mode() == MemPolicy.Mode.DEFAULT || a.nodes().equals(b.nodes()));
    }

    /** Sets the memory policy, or records and reports the refusal; true when set. */
    private boolean setMemory(Binding target) {
        try {
            binder.setMemPolicy(target.memory());
            return true;
        } catch (BindException e) {
            if (e.errno() == Errno.EINVAL && target.node() >= 0) {
                nodesRefusingMemory.add(target.node());
                AgentLog.warnOnce(LOG, "mempolicy-node:" + target.node(),
                        "the kernel refused memory policy {} on node {} ({}): threads of node {} are bound to its CPUs only. {}",
                        target.memory().describe(), target.node(), e.getMessage(), target.node(), whyNoMemory(target.node()));
            } else {
                memPolicyRefused = true;
                AgentLog.warnOnce(LOG, "mempolicy:" + e.errno(),
                        "the kernel refused to set a memory policy ({}): binding CPUs only from now on."
                                + " In a container, grant CAP_SYS_NICE (docker --cap-add SYS_NICE; Kubernetes securityContext.capabilities.add)"
                                + " or set memory: none", e.getMessage());
            }
            return false;
        }
    }
}
