package numa.testapp;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * One Linux system call made through libc's {@code syscall(2)} with the FFM API (final in JDK 22),
 * reached by reflection because the engine is compiled for Java 17 and has no dependencies. Its
 * callers ({@link MemPolicyProbe}, {@link PageNodes}) report {@code unknown} where {@link #link}
 * gives null: JDK 17-21, another OS or CPU, native access refused.
 */
final class ForeignSyscall {
    /** The kind of each argument after the call number. */
    enum Arg { LONG, ADDRESS }

    private final long number;
    private final MethodHandle syscall;
    private final Method ofConfined;
    private final Method allocate;
    final Class<?> segmentClass;
    final Class<?> valueLayoutClass;
    final Object javaInt;
    final Object javaLong;
    /** {@code MemorySegment.NULL}, for a pointer argument that is NULL. */
    final Object nullAddress;

    private ForeignSyscall(long number, MethodHandle syscall, Method ofConfined, Method allocate, Class<?> segmentClass,
                           Class<?> valueLayoutClass, Object javaInt, Object javaLong, Object nullAddress) {
        this.number = number;
        this.syscall = syscall;
        this.ofConfined = ofConfined;
        this.allocate = allocate;
        this.segmentClass = segmentClass;
        this.valueLayoutClass = valueLayoutClass;
        this.javaInt = javaInt;
        this.javaLong = javaLong;
        this.nullAddress = nullAddress;
    }

    /**
     * {@code long syscall(long number, args...)} for the call numbered {@code amd64} on x86-64 and
     * {@code aarch64} on arm64; null where this JDK, OS or CPU cannot make it.
     */
    static ForeignSyscall link(long amd64, long aarch64, Arg... args) {
        long number = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> amd64;
            case "aarch64" -> aarch64;
            default -> -1;
        };
        if (number < 0 || Runtime.version().feature() < 22 || !System.getProperty("os.name").startsWith("Linux")) {
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
            Object javaLong = valueLayoutC.getField("JAVA_LONG").get(null);
            Object javaInt = valueLayoutC.getField("JAVA_INT").get(null);
            Object address = valueLayoutC.getField("ADDRESS").get(null);

            Object linker = linkerC.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerC.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol = (Optional<?>) lookupC.getMethod("find", String.class).invoke(lookup, "syscall");
            if (symbol.isEmpty()) {
                return null;
            }
            Object layouts = Array.newInstance(layoutC, args.length + 1);
            Array.set(layouts, 0, javaLong); // the call number
            for (int i = 0; i < args.length; i++) {
                Array.set(layouts, i + 1, args[i] == Arg.LONG ? javaLong : address);
            }
            Object descriptor = descriptorC.getMethod("of", layoutC, layouts.getClass()).invoke(null, javaLong, layouts);
            // syscall(2) is variadic after the number: the C calling convention may differ there
            Object options = Array.newInstance(optionC, 1);
            Array.set(options, 0, optionC.getMethod("firstVariadicArg", int.class).invoke(null, 1));
            MethodHandle handle = (MethodHandle) linkerC
                    .getMethod("downcallHandle", segmentC, descriptorC, options.getClass())
                    .invoke(linker, symbol.get(), descriptor, options);
            return new ForeignSyscall(number, handle, arenaC.getMethod("ofConfined"),
                    arenaC.getMethod("allocate", long.class, long.class), segmentC, valueLayoutC, javaInt, javaLong,
                    segmentC.getField("NULL").get(null));
        } catch (Throwable t) {
            return null;
        }
    }

    /** A confined arena: the segments {@link #allocate}d in it are freed when it closes. */
    AutoCloseable arena() throws ReflectiveOperationException {
        return (AutoCloseable) ofConfined.invoke(null);
    }

    /** A zeroed segment of {@code bytes}, aligned to {@code alignment}, in {@code arena}. */
    Object allocate(AutoCloseable arena, long bytes, long alignment) throws ReflectiveOperationException {
        return allocate.invoke(arena, bytes, alignment);
    }

    /** The call's return value (-1 with errno set on failure); {@code args} as {@link #link} declared them. */
    long call(Object... args) throws Throwable {
        Object[] all = new Object[args.length + 1];
        all[0] = number;
        System.arraycopy(args, 0, all, 1, args.length);
        return (long) syscall.invokeWithArguments(all);
    }
}
