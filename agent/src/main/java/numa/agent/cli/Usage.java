package numa.agent.cli;

/** The usage text: the whole of it for {@code help}, one verb's line for a usage error. */
final class Usage {
    static final String PROGRAM = "java -jar numa-agent.jar";

    static final String TOPOLOGY = PROGRAM + " topology [--sysfs DIR] [--json]";
    static final String CHECK = PROGRAM + " check CONFIG [--sysfs DIR]";
    static final String STATUS = PROGRAM + " status PID [--json]";
    static final String ATTACH = PROGRAM + " attach PID [CONFIG]";

    private Usage() {
    }

    static String full() {
        return String.join("\n",
                "numa-agent: binds the threads of a Java serving stack to the NUMA node of the device they drive.",
                "",
                "usage:",
                "  " + TOPOLOGY,
                "      the NUMA nodes (CPUs, memory, distances), the devices as devices.source: auto finds them,",
                "      and the CPUs this process may use",
                "  " + CHECK,
                "      validate a config, printing every error; for a valid one, what each rule would bind here",
                "  " + STATUS,
                "      (not available in this version yet)",
                "  " + ATTACH,
                "      (not available in this version yet)",
                "  " + PROGRAM + " help | --help | --version",
                "",
                "options:",
                "  --sysfs DIR   read topology and devices under DIR instead of /sys (a copy of another",
                "                machine's /sys, or a test tree); check: wins over the config's topology.sysfs",
                "  --json        topology: print JSON for scripts instead of tables",
                "",
                "as an agent:",
                "  java -javaagent:numa-agent.jar=config.yaml ...",
                "",
                "exit status: 0 fine; 2 bad usage or invalid config; 1 anything else",
                "");
    }
}
