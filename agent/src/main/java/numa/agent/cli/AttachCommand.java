package numa.agent.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;

import numa.agent.config.AgentSettings;
import numa.agent.config.ConfigException;
import numa.agent.config.ConfigLoader;
import numa.agent.observe.AgentReport;
import numa.agent.proc.ProcProcess;

/**
 * {@code attach PID [CONFIG]}: loads the agent into a running JVM, which then binds what its rules
 * name as if it had been started with {@code -javaagent}: threads that start from now on, and the
 * matching threads that already run (CPUs only: Linux lets a thread set only its own memory policy).
 * What it did to each running thread comes back in the agent's {@link AgentReport} (a system
 * property read as text through the attach socket; no JMX) and is printed here.
 *
 * <p>Before touching the JVM: the config is validated here (errors exit 2, as {@code check}), and
 * the process must be a JVM (the attach handshake's SIGQUIT would end most other programs). An
 * agent already running there is reported, never loaded twice.
 */
final class AttachCommand {
    private final Host host;
    private final boolean json;
    private final long timeout;
    private final List<String> notes = new ArrayList<>();

    private AttachCommand(Host host, boolean json, long timeout) {
        this.host = host;
        this.json = json;
        this.timeout = timeout;
    }

    /**
     * @param agentArgs extra agent keys ({@code dry-run}, {@code log-level}, {@code sysfs}) given on the command line
     * @param timeout   seconds each call to the target may take (loading the agent gets longer)
     * @return the exit status
     */
    static int run(long pid, Optional<Path> config, Map<String, String> agentArgs, boolean json, long timeout, Path procRoot,
                   Host host) {
        return new AttachCommand(host, json, timeout).attach(pid, config, agentArgs, procRoot);
    }

    private int attach(long pid, Optional<Path> configFile, Map<String, String> agentArgs, Path procRoot) {
        ProcProcess process = ProcProcess.find(procRoot, pid);
        if (process == null) {
            return fail("no process " + pid);
        }
        switch (process.state()) {
            case ZOMBIE, GONE -> {
                return fail("process " + pid + " has exited" + (process.state() == ProcProcess.State.ZOMBIE
                        ? " (a zombie, state Z: its parent has not collected it yet)" : "") + "; nothing to attach to");
            }
            default -> {
                // alive, or stopped: a stopped JVM is reported by the call that times out
            }
        }
        Map<String, String> args = new LinkedHashMap<>();
        if (configFile.isPresent()) {
            Path config = configFile.get().toAbsolutePath().normalize();
            try {
                ConfigLoader.load(config, w -> host.err().println("numa-agent: " + w.getMessage()));
            } catch (ConfigException e) {
                e.all().forEach(error -> host.err().println("numa-agent: " + error.getMessage()));
                host.err().println("numa-agent: attach: " + config + " is invalid; nothing was loaded into " + pid);
                return Cli.EXIT_USAGE;
            }
            args.put("config", config.toString());
        }
        args.putAll(agentArgs);
        try {
            if (!process.isJvm()) {
                return fail("process " + pid + " (" + PrintableText.escape(process.name())
                        + ") is not a Java VM: attach loads a Java agent into a JVM");
            }
        } catch (IOException e) {
            return fail("cannot tell whether process " + pid + " is a JVM (" + e.getMessage()
                    + "); run attach as the JVM's user or root");
        }
        String jar;
        try {
            jar = agentJar();
        } catch (IOException e) {
            return fail(e.getMessage());
        }
        try (TargetJvm vm = TargetJvm.attach(process, timeout)) {
            Optional<AgentReport.Parsed> running = Optional.empty();
            try {
                running = vm.agentReport();
            } catch (TargetJvm.NoAnswer e) {
                throw e;
            } catch (IOException e) {
                notes.add(e.getMessage() + "; loading the agent all the same (it is loaded once per JVM)");
            }
            if (running.isPresent() && running.get().running()) {
                return alreadyRunning(pid, running.get(), args);
            }
            warnAboutOverrides(vm, process, args);
            int feature = vm.featureVersion();
            boolean silent = feature < 21 || vm.dynamicAgentLoadingExplicit();
            vm.loadAgent(jar, agentArgument(args));
            if (!silent) {
                notes.add("Java " + feature + " prints a warning on the JVM's stderr when an agent is loaded dynamically,"
                        + " unless it was started with -XX:+EnableDynamicAgentLoading, and a later Java may refuse without"
                        + " it: add that flag, or start the JVM with -javaagent:" + jar);
            }
            Optional<AgentReport.Parsed> agent = vm.agentReport();
            if (agent.isEmpty() || !agent.get().mode().equals("attach")
                    || running.isPresent() && agent.get().startTime() == running.get().startTime()) {
                return fail("the agent was loaded into " + pid + " but did not report back (its system property "
                        + AgentReport.PROPERTY + " is " + (agent.isEmpty() ? "missing" : "not the new agent's")
                        + "): see the JVM's stderr");
            }
            return report(pid, agent.get(), false);
        } catch (AgentLoadException | AgentInitializationException e) {
            return fail("the JVM " + pid + " refused the agent: " + e.getMessage()
                    + (String.valueOf(e.getMessage()).contains("EnableDynamicAgentLoading")
                    ? " (start it with -XX:+EnableDynamicAgentLoading, or with -javaagent)" : ""));
        } catch (IOException e) {
            return fail(e.getMessage());
        }
    }

    /** The agent already runs: say how, and what it has bound; nothing is loaded again. */
    private int alreadyRunning(long pid, AgentReport.Parsed a, Map<String, String> args) {
        String asked = args.get("config");
        if (asked != null && !asked.equals(a.config())) {
            notes.add("the running agent uses " + (a.config().isEmpty() ? "no config" : a.config()) + ", not " + asked
                    + ": an agent is loaded once per JVM; restart the JVM to change its config");
        }
        return report(pid, a, true);
    }

    /** Settings of the target that win over what the command line passes (SPEC precedence). */
    private void warnAboutOverrides(TargetJvm vm, ProcProcess process, Map<String, String> args) throws IOException {
        List<String> winners = new ArrayList<>();
        try {
            Properties props = vm.systemProperties();
            for (String key : AgentSettings.KEYS) {
                if (args.containsKey(key) && !props.getProperty(AgentSettings.propertyName(key), "").isBlank()) {
                    winners.add("system property " + AgentSettings.propertyName(key));
                }
            }
        } catch (TargetJvm.NoAnswer e) {
            throw e;
        } catch (IOException ignored) {
            // not worth failing the attach over
        }
        try {
            String environ = new String(Files.readAllBytes(process.dir().resolve("environ")), StandardCharsets.UTF_8);
            for (String entry : environ.split("\0")) {
                int eq = entry.indexOf('=');
                for (String key : AgentSettings.KEYS) {
                    if (eq > 0 && args.containsKey(key) && entry.substring(0, eq).equals(AgentSettings.environmentName(key))
                            && !entry.substring(eq + 1).isBlank()) {
                        winners.add("environment variable " + AgentSettings.environmentName(key));
                    }
                }
            }
        } catch (IOException ignored) {
            // unreadable: nothing to say
        }
        if (!winners.isEmpty()) {
            notes.add("the JVM sets " + String.join(", ", winners) + ", which win over what attach passes");
        }
    }

    private int report(long pid, AgentReport.Parsed a, boolean wasRunning) {
        List<AgentReport.Row> results = wasRunning ? List.of() : a.attachResults();
        boolean binding = a.state().equals("binding") || a.state().startsWith("dry-run");
        long failed = results.stream().filter(r -> r.outcome().equals("failed")).count();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("pid", pid);
            root.put("loaded", !wasRunning);
            root.put("already_running", wasRunning);
            root.put("mode", a.mode());
            root.put("version", a.version());
            root.put("config", a.config().isEmpty() ? null : a.config());
            root.put("dry_run", a.dryRun());
            root.put("state", a.state());
            root.put("rules", a.rules());
            List<Object> threads = new ArrayList<>();
            for (AgentReport.Row r : results) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("tid", r.tid() < 0 ? null : r.tid());
                t.put("name", r.thread());
                t.put("java_id", r.javaThreadId());
                t.put("rule", r.rule());
                t.put("device", r.device() < 0 ? null : r.device());
                t.put("node", r.node() < 0 ? null : r.node());
                t.put("cpus", r.cpus().isEmpty() ? null : r.cpus());
                t.put("memory_policy", r.memory());
                t.put("outcome", r.outcome());
                t.put("detail", r.detail().isEmpty() ? null : r.detail());
                threads.add(t);
            }
            root.put("running_threads", threads);
            root.put("problems", a.problems());
            root.put("notes", notes);
            host.out().print(JsonWriter.write(root) + "\n");
        } else {
            host.out().println(wasRunning ? "numa-agent already runs in " + pid + " (" + a.mode() + ", version " + a.version()
                    + (a.config().isEmpty() ? ", no config" : ", config " + a.config()) + "): nothing loaded again"
                    : "numa-agent loaded into " + pid + (a.config().isEmpty() ? "" : " with " + a.config())
                    + (a.running() ? "" : " for a dry run"));
            host.out().println("state: " + PrintableText.escape(a.state()));
            if (!wasRunning) {
                if (results.isEmpty()) {
                    host.out().println(a.running() ? "no running thread matched a thread rule; threads started from now on are bound as they start"
                            : "no running thread matched a thread rule (dry-run: nothing stays installed)");
                } else {
                    host.out().println("running threads a rule names:");
                    TextTable table = new TextTable("tid", "thread", "rule", "device", "node", "cpus", "memory", "outcome")
                            .alignRight(0);
                    for (AgentReport.Row r : results) {
                        table.row(r.tid() < 0 ? "-" : r.tid(), PrintableText.escape(r.thread()), PrintableText.escape(r.rule()), r.device() < 0 ? "-" : r.device(),
                                r.node() < 0 ? "-" : r.node(), r.cpus().isEmpty() ? "-" : r.cpus(), r.memory(), r.outcome());
                    }
                    host.out().print(table.render("  "));
                    results.stream().filter(r -> !r.detail().isEmpty()).map(r -> r.outcome() + ": " + r.detail()).distinct()
                            .forEach(d -> host.out().println("  " + d));
                    host.out().println(a.running() ? "threads started from now on are bound as they start (CPUs and memory policy)"
                            : "dry-run: nothing was applied, and nothing stays installed; attach without --dry-run to bind");
                }
            }
            a.problems().forEach(p -> host.out().println("agent: " + PrintableText.escape(p)));
            host.out().println("(" + Usage.PROGRAM + " status " + pid + " shows every thread)");
        }
        notes.forEach(n -> host.err().println("numa-agent: note: " + n));
        return binding && failed == 0 ? Cli.EXIT_OK : Cli.EXIT_FAILURE;
    }

    /** A bare path when it is the only key (paths may hold commas), else key=value pairs. */
    static String agentArgument(Map<String, String> args) {
        if (args.size() == 1 && args.containsKey("config") && !args.get("config").contains("=")) {
            return args.get("config");
        }
        List<String> pairs = new ArrayList<>();
        args.forEach((k, v) -> pairs.add(k + "=" + v));
        return String.join(",", pairs);
    }

    private int fail(String message) {
        host.err().println("numa-agent: attach: " + message);
        notes.forEach(n -> host.err().println("numa-agent: note: " + n));
        return Cli.EXIT_FAILURE;
    }

    /** numa-agent.jar: where this class was loaded from. */
    private static String agentJar() throws IOException {
        try {
            CodeSource cs = AttachCommand.class.getProtectionDomain().getCodeSource();
            File f = cs == null || cs.getLocation() == null ? null : new File(cs.getLocation().toURI());
            if (f == null || !f.isFile()) {
                throw new IOException("attach must be run from numa-agent.jar (java -jar numa-agent.jar attach ...)");
            }
            return f.getAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IOException("cannot tell where numa-agent.jar is: " + e.getMessage(), e);
        }
    }
}
