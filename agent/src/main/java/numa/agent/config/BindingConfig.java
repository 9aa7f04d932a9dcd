package numa.agent.config;

/**
 * The {@code binding} section.
 */
public record BindingConfig(Cpus cpus, Memory memory, Children children, OnError onError) {
    public enum Cpus { NODE, EXCLUSIVE, NONE }

    public enum Memory { PREFERRED, BIND, NONE }

    public enum Children { RESET, INHERIT }

    public enum OnError { WARN, FAIL }

    public static BindingConfig defaults() {
        return new BindingConfig(Cpus.NODE, Memory.PREFERRED, Children.RESET, OnError.WARN);
    }
}
