package numa.agent.launcher;

/** Placeholder for premain/agentmain/main. */
public final class AgentLauncher {
    public static void main(String[] args) {
    }
}
