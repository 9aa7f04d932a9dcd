package numa.agent.instrument;

import numa.agent.bind.Binding;

/** How bindings read in log lines. */
final class Described {
    private Described() {
    }

    /** {@code node 1 cpus=8-15 memory=preferred}; a refused policy is not claimed. */
    static String binding(Binding target, boolean memoryApplied) {
        String memory = target.memory() == null ? "unchanged"
                : memoryApplied ? target.memory().describe() : "not set (refused, see above)";
        return (target.node() >= 0 ? "node " + target.node() + " " : "") + "cpus=" + target.cpus() + " memory=" + memory;
    }

    /** A command line for a log line: long ones are cut. */
    static String command(String commandLine) {
        return commandLine.length() <= 200 ? commandLine : commandLine.substring(0, 197) + "...";
    }
}
