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

    /**
     * A command line for a log line: a long one loses its middle (JVM options, class paths), keeping
     * the program and the arguments at the end, where the worker's device usually is.
     */
    static String command(String commandLine) {
        if (commandLine.length() <= 200) {
            return commandLine;
        }
        return commandLine.substring(0, 60) + " ... " + commandLine.substring(commandLine.length() - 120);
    }
}
