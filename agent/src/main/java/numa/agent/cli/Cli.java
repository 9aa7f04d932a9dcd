package numa.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import numa.agent.config.AgentSettings;
import numa.agent.proc.ProcProcess;

/**
 * {@code java -jar numa-agent.jar VERB ...} (SPEC.md "Command line"): picks the verb, parses its
 * arguments and turns the outcome into the exit status. The launcher calls {@link #run(String[])}
 * in the agent's class loader and exits with its result.
 *
 * <p>Exit status: {@value #EXIT_OK} fine; {@value #EXIT_USAGE} bad usage or invalid config;
 * {@value #EXIT_FAILURE} anything else. Every error line on stderr starts with {@code numa-agent: }.
 */
public final class Cli {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private static final List<String> VERBS = List.of("topology", "check", "status", "attach", "help");
    private static final String JSON = "--json";
    private static final String SYSFS = "--sysfs";
    private static final String NO_ATTACH = "--no-attach";
    private static final String NO_JMX = "--no-jmx";
    private static final String DRY_RUN = "--dry-run";
    private static final String LOG_LEVEL = "--log-level";
    private static final String CLASSPATH = "--classpath";
    private static final String TIMEOUT = "--timeout";

    private Cli() {
    }

    /** Runs one command on this process's streams and environment; returns the exit status. */
    public static int run(String[] args) {
        return run(args, Host.system());
    }

    /** Same, writing to the given streams (for tests). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, Host.withStreams(out, err));
    }

    static int run(String[] args, Host host) {
        if (args == null || args.length == 0) {
            host.err().print(Usage.full());
            return EXIT_USAGE;
        }
        String verb = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (verb) {
                case "help", "--help", "-h" -> {
                    host.out().print(Usage.full());
                    return EXIT_OK;
                }
                case "--version", "version" -> {
                    host.out().println(Version.line());
                    return EXIT_OK;
                }
                case "topology" -> {
                    return topology(rest, host);
                }
                case "check" -> {
                    return check(rest, host);
                }
                case "status" -> {
                    return status(rest, host);
                }
                case "attach" -> {
                    return attach(rest, host);
                }
                default -> {
                    return unknownVerb(verb, host);
                }
            }
        } catch (UsageException e) {
            host.err().println("numa-agent: " + verb + ": " + e.getMessage());
            host.err().println("usage: " + usageLine(verb));
            host.err().println("(" + Usage.PROGRAM + " help shows every command)");
            return EXIT_USAGE;
        } catch (RuntimeException e) {
            host.err().println("numa-agent: " + verb + " failed unexpectedly (" + e + "); please report this"
                    + " with the command line and the trace below");
            e.printStackTrace(host.err());
            return EXIT_FAILURE;
        }
    }

    private static int topology(List<String> words, Host host) throws UsageException {
        Arguments args = Arguments.parse(words, Set.of(JSON), Map.of(SYSFS, "DIR"), 0);
        if (args.flag(Arguments.HELP)) {
            host.out().println("usage: " + Usage.TOPOLOGY);
            return EXIT_OK;
        }
        Path sysfs = path(args.value(SYSFS).orElse(AgentSettings.DEFAULT_SYSFS), SYSFS);
        Machine machine;
        try {
            machine = Machine.read(sysfs, host);
        } catch (IOException e) {
            host.err().println("numa-agent: topology: cannot read the topology: " + e.getMessage());
            return EXIT_FAILURE;
        }
        TopologyReport report = TopologyReport.of(machine, host);
        host.out().print(args.flag(JSON) ? report.json() : report.text());
        return EXIT_OK;
    }

    private static int check(List<String> words, Host host) throws UsageException {
        Arguments args = Arguments.parse(words, Set.of(), Map.of(SYSFS, "DIR", CLASSPATH, "PATH"), 1);
        if (args.flag(Arguments.HELP)) {
            host.out().println("usage: " + Usage.CHECK);
            return EXIT_OK;
        }
        Path config = path(args.operand(0, "CONFIG (the config file to check)"), "CONFIG");
        if (args.value(SYSFS).isPresent()) {
            path(args.value(SYSFS).get(), SYSFS);
        }
        return CheckReport.run(config, args.value(SYSFS), args.value(CLASSPATH), host);
    }

    private static int status(List<String> words, Host host) throws UsageException {
        Arguments args = Arguments.parse(words, Set.of(JSON, NO_ATTACH, NO_JMX), Map.of(SYSFS, "DIR", TIMEOUT, "SECONDS"), 1);
        if (args.flag(Arguments.HELP)) {
            host.out().println("usage: " + Usage.STATUS);
            return EXIT_OK;
        }
        long pid = pid(args.operand(0, "PID (the process to show)"));
        Optional<Path> sysfs = args.value(SYSFS).isPresent() ? Optional.of(path(args.value(SYSFS).get(), SYSFS)) : Optional.empty();
        long timeout = timeout(args);
        ProcProcess process = ProcProcess.find(host.proc(), pid);
        if (process == null) {
            host.err().println("numa-agent: status: no process " + pid
                    + (Files.isDirectory(host.proc()) ? "" : " (no " + host.proc() + " here: not Linux)"));
            return EXIT_FAILURE;
        }
        StatusReport report;
        try {
            report = StatusReport.of(process, sysfs, host, !args.flag(NO_ATTACH), timeout);
        } catch (IOException e) {
            host.err().println("numa-agent: status: " + PrintableText.escape(e.getMessage()));
            return EXIT_FAILURE;
        }
        host.out().print(args.flag(JSON) ? report.json() : report.text());
        return EXIT_OK;
    }

    private static int attach(List<String> words, Host host) throws UsageException {
        Arguments args = Arguments.parse(words, Set.of(JSON, DRY_RUN, NO_JMX),
                Map.of(LOG_LEVEL, "LEVEL", SYSFS, "DIR", TIMEOUT, "SECONDS"), 2);
        if (args.flag(Arguments.HELP)) {
            host.out().println("usage: " + Usage.ATTACH);
            return EXIT_OK;
        }
        long pid = pid(args.operand(0, "PID (the JVM to load the agent into)"));
        Optional<Path> config = args.operandCount() > 1 ? Optional.of(path(args.operand(1, "CONFIG"), "CONFIG")) : Optional.empty();
        Map<String, String> agentArgs = new LinkedHashMap<>();
        if (args.flag(DRY_RUN)) {
            agentArgs.put("dry-run", "true");
        }
        if (args.value(LOG_LEVEL).isPresent()) {
            String level = args.value(LOG_LEVEL).get().toLowerCase(java.util.Locale.ROOT);
            if (!AgentSettings.LOG_LEVELS.contains(level)) {
                throw new UsageException(LOG_LEVEL + ": '" + level + "' is not a log level (expected: "
                        + String.join(", ", AgentSettings.LOG_LEVELS) + ")");
            }
            agentArgs.put("log-level", level);
        }
        if (args.value(SYSFS).isPresent()) {
            Path sysfs = path(args.value(SYSFS).get(), SYSFS).toAbsolutePath().normalize();
            if (sysfs.toString().contains(",")) {
                throw new UsageException(SYSFS + ": a path with a comma cannot be passed to the agent");
            }
            agentArgs.put("sysfs", sysfs.toString());
        }
        if (config.isPresent() && !agentArgs.isEmpty() && config.get().toAbsolutePath().toString().contains(",")) {
            throw new UsageException("CONFIG: a path with a comma can only be passed alone (without "
                    + DRY_RUN + ", " + LOG_LEVEL + " or " + SYSFS + ")");
        }
        return AttachCommand.run(pid, config, agentArgs, args.flag(JSON), timeout(args), host.proc(), host);
    }

    private static long timeout(Arguments args) throws UsageException {
        if (args.value(TIMEOUT).isEmpty()) {
            return TargetJvm.DEFAULT_TIMEOUT_SECONDS;
        }
        String text = args.value(TIMEOUT).get();
        try {
            long seconds = Long.parseLong(text);
            if (seconds > 0 && seconds <= 3600) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(TIMEOUT + ": '" + text + "' is not a number of seconds (1 to 3600)");
    }

    private static long pid(String text) throws UsageException {
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("PID: '" + text + "' is not a process id (a positive number)");
    }

    private static Path path(String text, String what) throws UsageException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException(what + ": '" + text + "' is not a path (" + e.getReason() + ")");
        }
    }

    private static int unknownVerb(String verb, Host host) {
        String suggestion = closestVerb(verb);
        host.err().println("numa-agent: unknown " + (verb.startsWith("-") ? "option" : "command") + " '" + verb + "'"
                + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
        host.err().print(Usage.full());
        return EXIT_USAGE;
    }

    private static String usageLine(String verb) {
        return switch (verb) {
            case "topology" -> Usage.TOPOLOGY;
            case "check" -> Usage.CHECK;
            case "status" -> Usage.STATUS;
            case "attach" -> Usage.ATTACH;
            default -> Usage.PROGRAM + " help";
        };
    }

    /** A verb one or two typos away, or that the word starts ({@code topo} -> topology); else null. */
    private static String closestVerb(String word) {
        String w = word.replaceFirst("^-+", "");
        for (String verb : VERBS) {
            if (w.length() >= 3 && verb.startsWith(w) || editDistance(w, verb) <= Math.min(2, verb.length() / 3)) {
                return verb;
            }
        }
        return null;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(replace, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
