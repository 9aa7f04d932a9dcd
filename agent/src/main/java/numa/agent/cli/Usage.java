package numa.agent.cli;

/** The usage text: the whole of it for {@code help}, one verb's line for a usage error. */
final class Usage {
    static final String PROGRAM = "java -jar numa-agent.jar";

    static final String TOPOLOGY = PROGRAM + " topology [--sysfs DIR] [--json]";
    static final String CHECK = PROGRAM + " check CONFIG [--sysfs DIR] [--classpath PATH]";
    static final String STATUS = PROGRAM + " status PID [--json] [--sysfs DIR] [--timeout SECONDS] [--no-attach]";
    static final String ATTACH = PROGRAM + " attach PID [CONFIG] [--dry-run] [--sysfs DIR] [--log-level LEVEL] [--json]"
            + " [--timeout SECONDS]";

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
                "      validate a config, printing every error; for a valid one, what each rule would bind here;",
                "      --classpath: warn about method rules whose class is not on the application's class path",
                "  " + STATUS,
                "      every thread of a process: its CPUs and the nodes they fall on (* when they span nodes),",
                "      the process's resident memory per node; for a JVM, Java names and the rule that bound",
                "      each thread (through the Attach API's text commands, as jcmd: no JMX, no port opened in the",
                "      JVM; --no-attach: /proc only); nodes from the sysfs the agent there uses, unless --sysfs",
                "  " + ATTACH,
                "      load the agent into a running JVM: new threads are bound as they start, running",
                "      threads a rule names are bound now (CPUs only), and what it did is printed; --dry-run",
                "      decides and prints, and leaves nothing installed; --sysfs DIR: the agent's sysfs root",
                "  " + PROGRAM + " help | --help | --version",
                "",
                "options:",
                "  --sysfs DIR   read topology and devices under DIR instead of /sys (a copy of another",
                "                machine's /sys, or a test tree); check: wins over the config's topology.sysfs",
                "  --json        topology, status, attach: print JSON for scripts instead of tables",
                "  --timeout S   status, attach: give up on a JVM that does not answer within S seconds",
                "                (default " + TargetJvm.DEFAULT_TIMEOUT_SECONDS + "; a stopped JVM never answers); exit status 1",
                "  --no-jmx      accepted for old scripts; JMX is never used",
                "",
                "as an agent:",
                "  java -javaagent:numa-agent.jar=config.yaml ...",
                "",
                "exit status: 0 fine; 2 bad usage or invalid config; 1 anything else",
                "");
    }
}
