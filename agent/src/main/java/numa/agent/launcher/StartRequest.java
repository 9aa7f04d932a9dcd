package numa.agent.launcher;

import java.lang.instrument.Instrumentation;
import java.util.function.Supplier;

/**
 * What the launcher hands to the agent, typed: the launcher (system class loader) and the agent
 * (its own loader) share this class and {@link AgentStarter}, and nothing else of each other.
 * A plain class, not a record: a record's first use at premain spins its object methods.
 */
public final class StartRequest {
    private final Instrumentation instrumentation;
    private final String agentArgs;
    private final boolean dynamic;
    private final long startNanos;
    private final Supplier<String> jnaStubProblem;

    StartRequest(Instrumentation instrumentation, String agentArgs, boolean dynamic, long startNanos,
                 Supplier<String> jnaStubProblem) {
        this.instrumentation = instrumentation;
        this.agentArgs = agentArgs;
        this.dynamic = dynamic;
        this.startNanos = startNanos;
        this.jnaStubProblem = jnaStubProblem;
    }

    public Instrumentation instrumentation() {
        return instrumentation;
    }

    /** The {@code -javaagent:numa-agent.jar=ARGS} argument, or an attach's; may be null. */
    public String agentArgs() {
        return agentArgs;
    }

    /** True when loaded into a running JVM (attach), false at premain. */
    public boolean dynamic() {
        return dynamic;
    }

    /** {@link System#nanoTime()} when the launcher was entered: the start-up's clock starts there. */
    public long startNanos() {
        return startNanos;
    }

    /**
     * Why JNA's native stub could not be given from a private folder though the temporary folder
     * is noexec, or null: a detail for the agent's line when JNA cannot load.
     */
    public String jnaStubProblem() {
        try {
            return jnaStubProblem == null ? null : jnaStubProblem.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
