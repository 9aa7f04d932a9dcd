package numa.agent.launcher;

/**
 * The agent's way in, implemented inside the agent's class loader ({@code numa.agent.startup.AgentEntry})
 * and called by the launcher through this interface, which both loaders see: a reflective call
 * would cost 10-100 ms of method-handle spinning on JDK 25, an untyped one hides mistakes.
 */
public interface AgentStarter {
    /** Starts the agent; never throws. */
    void start(StartRequest request);
}
