package numa.agent.config;

/**
 * The {@code binding} section.
 */
public record BindingConfig(Cpus cpus, Memory memory, Children children, OnError onError) {
    public enum Cpus { NODE, EXCLUSIVE, NONE }

    public enum Memory { PREFERRED, BIND, NONE }

    public enum Children { RESET, INHERIT }

    public enum OnError { WARN, FAIL }

    /** The exit status of a JVM stopped by {@code on-error: fail} (EX_CONFIG of sysexits.h). */
    public static final int FAIL_EXIT_STATUS = 78;

    public static BindingConfig defaults() {
        return new BindingConfig(Cpus.NODE, Memory.PREFERRED, Children.RESET, OnError.WARN);
    }
}
