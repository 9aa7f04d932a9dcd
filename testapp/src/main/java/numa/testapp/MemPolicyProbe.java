package numa.testapp;

import java.lang.reflect.Method;
import java.util.StringJoiner;

/**
 * Reads the calling thread's memory policy with {@code get_mempolicy(2)}. The policy is not in
 * /proc (Mems_allowed_list is the cpuset, not the policy), so it takes a system call; this engine
 * has no dependencies, so the call goes through {@link ForeignSyscall}. Where that is impossible (JDK 17-21,
 * another architecture, native access refused) every answer is {@code unknown}.
 */
final class MemPolicyProbe {
    static final String UNKNOWN = "unknown";

    private static final int MPOL_DEFAULT = 0;
    private static final int MPOL_PREFERRED = 1;
    private static final int MPOL_BIND = 2;
    private static final int MPOL_INTERLEAVE = 3;
    private static final int MPOL_LOCAL = 4;
    private static final int MPOL_PREFERRED_MANY = 5;
    private static final int MPOL_WEIGHTED_INTERLEAVE = 6;
    /** MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES, MPOL_F_NUMA_BALANCING: reported with the mode. */
    private static final int MODE_FLAGS = (1 << 15) | (1 << 14) | (1 << 13);
    /** 1024 nodes, the kernel's largest MAX_NUMNODES; the mask is 16 unsigned longs. */
    private static final long MAX_NODE = 1024;
    private static final int MASK_WORDS = 16;

    private static final Native NATIVE = Native.link();

    private MemPolicyProbe() {
    }

    /** The calling thread's policy, or {@code unknown}. */
    static String currentThread() {
        if (NATIVE == null) {
            return UNKNOWN;
        }
        try {
            return NATIVE.getMempolicy();
        } catch (Throwable t) {
            return UNKNOWN;
        }
    }

    static String describe(int rawMode, long[] mask) {
        int mode = rawMode & ~MODE_FLAGS;
        String nodes = nodeList(mask);
        return switch (mode) {
            case MPOL_DEFAULT -> "default";
            // the kernel turns "preferred, no node" into local allocation
            case MPOL_PREFERRED -> nodes.isEmpty() ? "local" : "preferred:" + nodes;
            case MPOL_BIND -> "bind:" + nodes;
            case MPOL_INTERLEAVE -> "interleave:" + nodes;
            case MPOL_LOCAL -> "local";
            case MPOL_PREFERRED_MANY -> "preferred-many:" + nodes;
            case MPOL_WEIGHTED_INTERLEAVE -> "weighted-interleave:" + nodes;
            default -> "mode" + mode + ":" + nodes;
        };
    }

    private static String nodeList(long[] mask) {
        StringJoiner list = new StringJoiner(",");
        for (int word = 0; word < mask.length; word++) {
            for (int bit = 0; bit < Long.SIZE; bit++) {
                if ((mask[word] & (1L << bit)) != 0) {
                    list.add(Integer.toString(word * Long.SIZE + bit));
                }
            }
        }
        return list.toString();
    }

    /** The linked {@code get_mempolicy(2)} and the reflective reads of its results. */
    private static final class Native {
        private final ForeignSyscall syscall;
        private final Method getInt;
        private final Method getLong;

        private Native(ForeignSyscall syscall, Method getInt, Method getLong) {
            this.syscall = syscall;
            this.getInt = getInt;
            this.getLong = getLong;
        }

        /** Null where this JDK, OS or CPU cannot make the call. */
        static Native link() {
            // mode*, nodemask*, maxnode, addr*, flags
            ForeignSyscall call = ForeignSyscall.link(239, 236, ForeignSyscall.Arg.ADDRESS, ForeignSyscall.Arg.ADDRESS,
                    ForeignSyscall.Arg.LONG, ForeignSyscall.Arg.ADDRESS, ForeignSyscall.Arg.LONG);
            if (call == null) {
                return null;
            }
            try {
                return new Native(call,
                        call.segmentClass.getMethod("get", Class.forName("java.lang.foreign.ValueLayout$OfInt"), long.class),
                        call.segmentClass.getMethod("get", Class.forName("java.lang.foreign.ValueLayout$OfLong"), long.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }

        String getMempolicy() throws Throwable {
            try (AutoCloseable arena = syscall.arena()) {
                Object mode = syscall.allocate(arena, Integer.BYTES, Integer.BYTES);
                Object mask = syscall.allocate(arena, (long) MASK_WORDS * Long.BYTES, Long.BYTES);
                long rc = syscall.call(mode, mask, MAX_NODE, syscall.nullAddress, 0L);
                if (rc != 0) {
                    return UNKNOWN;
                }
                long[] words = new long[MASK_WORDS];
                for (int i = 0; i < MASK_WORDS; i++) {
                    words[i] = (long) getLong.invoke(mask, syscall.javaLong, (long) i * Long.BYTES);
                }
                return describe((int) getInt.invoke(mode, syscall.javaInt, 0L), words);
            }
        }
    }
}
