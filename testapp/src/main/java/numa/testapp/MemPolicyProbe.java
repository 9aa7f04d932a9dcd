package numa.testapp;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.StringJoiner;

/**
 * Reads the calling thread's memory policy with {@code get_mempolicy(2)}. The policy is not in
 * /proc (Mems_allowed_list is the cpuset, not the policy), so it takes a system call; this engine
 * has no dependencies, so the call goes through the FFM API (final in JDK 22), reached by
 * reflection because the engine is compiled for Java 17. Where that is impossible (JDK 17-21,
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

    /** The linked {@code syscall(2)} and the reflective handles needed around it. */
    private static final class Native {
        private final long syscallNumber;
        private final MethodHandle syscall;
        private final Method ofConfined;
        private final Method allocate;
        private final Method getInt;
        private final Method getLong;
        private final Object javaInt;
        private final Object javaLong;
        private final Object nullAddress;

        private Native(long syscallNumber, MethodHandle syscall, Method ofConfined, Method allocate,
                       Method getInt, Method getLong, Object javaInt, Object javaLong, Object nullAddress) {
            this.syscallNumber = syscallNumber;
            this.syscall = syscall;
            this.ofConfined = ofConfined;
            this.allocate = allocate;
            this.getInt = getInt;
            this.getLong = getLong;
            this.javaInt = javaInt;
            this.javaLong = javaLong;
            this.nullAddress = nullAddress;
        }

        /** Null where this JDK, OS or CPU cannot make the call. */
        static Native link() {
            long number = switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64" -> 239;
                case "aarch64" -> 236;
                default -> -1;
            };
            if (number < 0 || Runtime.version().feature() < 22
                    || !System.getProperty("os.name").startsWith("Linux")) {
                return null;
            }
            try {
                Class<?> linkerC = Class.forName("java.lang.foreign.Linker");
                Class<?> optionC = Class.forName("java.lang.foreign.Linker$Option");
                Class<?> lookupC = Class.forName("java.lang.foreign.SymbolLookup");
                Class<?> segmentC = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> layoutC = Class.forName("java.lang.foreign.MemoryLayout");
                Class<?> valueLayoutC = Class.forName("java.lang.foreign.ValueLayout");
                Class<?> descriptorC = Class.forName("java.lang.foreign.FunctionDescriptor");
                Class<?> arenaC = Class.forName("java.lang.foreign.Arena");
                Class<?> ofIntC = Class.forName("java.lang.foreign.ValueLayout$OfInt");
                Class<?> ofLongC = Class.forName("java.lang.foreign.ValueLayout$OfLong");

                Object javaLong = valueLayoutC.getField("JAVA_LONG").get(null);
                Object javaInt = valueLayoutC.getField("JAVA_INT").get(null);
                Object address = valueLayoutC.getField("ADDRESS").get(null);
                Object nullAddress = segmentC.getField("NULL").get(null);

                Object linker = linkerC.getMethod("nativeLinker").invoke(null);
                Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
                java.util.Optional<?> symbol = (java.util.Optional<?>) lookupC.getMethod("find", String.class)
                        .invoke(lookup, "syscall");
                if (symbol.isEmpty()) {
                    return null;
                }
                // long syscall(long number, ...): mode*, nodemask*, maxnode, addr*, flags
                Object args = Array.newInstance(layoutC, 6);
                Array.set(args, 0, javaLong);
                Array.set(args, 1, address);
                Array.set(args, 2, address);
                Array.set(args, 3, javaLong);
                Array.set(args, 4, address);
                Array.set(args, 5, javaLong);
                Object descriptor = descriptorC.getMethod("of", layoutC, args.getClass()).invoke(null, javaLong, args);
                Object options = Array.newInstance(optionC, 1);
                Array.set(options, 0, optionC.getMethod("firstVariadicArg", int.class).invoke(null, 1));
                MethodHandle handle = (MethodHandle) linkerC
                        .getMethod("downcallHandle", segmentC, descriptorC, options.getClass())
                        .invoke(linker, symbol.get(), descriptor, options);
                return new Native(number, handle,
                        arenaC.getMethod("ofConfined"),
                        arenaC.getMethod("allocate", long.class, long.class),
                        segmentC.getMethod("get", ofIntC, long.class),
                        segmentC.getMethod("get", ofLongC, long.class),
                        javaInt, javaLong, nullAddress);
            } catch (Throwable t) {
                return null;
            }
        }

        String getMempolicy() throws Throwable {
            try (AutoCloseable arena = (AutoCloseable) ofConfined.invoke(null)) {
                Object mode = allocate.invoke(arena, (long) Integer.BYTES, (long) Integer.BYTES);
                Object mask = allocate.invoke(arena, (long) MASK_WORDS * Long.BYTES, (long) Long.BYTES);
                long rc = (long) syscall.invokeWithArguments(syscallNumber, mode, mask, MAX_NODE, nullAddress, 0L);
                if (rc != 0) {
                    return UNKNOWN;
                }
                long[] words = new long[MASK_WORDS];
                for (int i = 0; i < MASK_WORDS; i++) {
                    words[i] = (long) getLong.invoke(mask, javaLong, (long) i * Long.BYTES);
                }
                return describe((int) getInt.invoke(mode, javaInt, 0L), words);
            }
        }
    }
}
