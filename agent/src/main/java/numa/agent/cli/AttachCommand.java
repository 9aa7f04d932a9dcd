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

import numa.agent.config.AgentConfig;
import numa.agent.config.AgentSettings;
import numa.agent.config.ConfigException;
import numa.agent.config.ConfigLoader;
import numa.agent.observe.JmxRegistration;
import numa.agent.proc.ProcProcess;

/**
 * {@code attach PID [CONFIG]}: loads the agent into a running JVM, which then binds what its rules
 * name as if it had been started with {@code -javaagent}: threads that start from now on, and the
 * matching threads that already run (CPUs only: Linux lets a thread set only its own memory policy).
 * What it did to each running thread comes back through the agent's MBean and is printed here.
 *
 * <p>Before touching the JVM: the config is validated here (errors exit 2, as {@code check}), and
 * the process must be a JVM (the attach handshake's SIGQUIT would end most other programs). An
 * agent already running there is reported, never loaded twice.
 */
final class AttachCommand {
    /** The agent registers its MBean before agentmain returns; a little slack for a slow JMX start. */
    private static final long MBEAN_WAIT_MILLIS = 10_000;

    private final Host host;
    private final boolean json;
    private final boolean jmx;
    private final List<String> notes = new ArrayList<>();
    /** The config passed, once loaded here: what the report from outside matches threads with. */
    private AgentConfig config = AgentConfig.empty();

    private AttachCommand(Host host, boolean json, boolean jmx) {
        this.host = host;
        this.json = json;
        this.jmx = jmx;
    }

    /**
     * @param agentArgs extra agent keys ({@code dry-run}, {@code log-level}) given on the command line
     * @return the exit status
     */
    static int run(long pid, Optional<Path> config, Map<String, String> agentArgs, boolean json, boolean jmx, Path procRoot,
                   Host host) {
        return new AttachCommand(host, json, jmx).attach(pid, config, agentArgs, procRoot);
    }

    private int attach(long pid, Optional<Path> configFile, Map<String, String> agentArgs, Path procRoot) {
        ProcProcess process = ProcProcess.find(procRoot, pid);
        if (process == null) {
            return fail("no process " + pid);
        }
        Map<String, String> args = new LinkedHashMap<>();
        if (configFile.isPresent()) {
            Path config = configFile.get().toAbsolutePath().normalize();
            try {
                this.config = ConfigLoader.load(config, w -> host.err().println("numa-agent: " + w.getMessage()));
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
                return fail("process " + pid + " (" + process.name() + ") is not a Java VM: attach loads a Java agent into a JVM");
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
        try (JvmConnection vm = JvmConnection.attach(pid, jmx)) {
            if (process.hasTaskNamed(JmxRegistration.AGENT_THREAD)) {
                Optional<JvmConnection.AgentView> running = Optional.empty();
                try {
                    running = vm.jmxUnavailable() ? running : vm.agent(MBEAN_WAIT_MILLIS);
                } catch (IOException noJmx) {
                    // said below
                }
                return alreadyRunning(pid, running, args);
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
            Optional<JvmConnection.AgentView> agent;
            try {
                agent = vm.jmxUnavailable() ? Optional.empty() : vm.agent(MBEAN_WAIT_MILLIS);
            } catch (IOException noJmx) {
                agent = Optional.empty();
            }
            if (agent.isPresent()) {
                return report(pid, agent.get(), false);
            }
            if (!vm.jmxUnavailable()) {
                return fail("the agent was loaded into " + pid + " but did not report back (its MBean "
                        + JmxRegistration.OBJECT_NAME + " is missing): see the JVM's stderr");
            }
            return OutsideReport.of(pid, process, vm, config, notes).print(host, json);
        } catch (AgentLoadException | AgentInitializationException e) {
            return fail("the JVM " + pid + " refused the agent: " + e.getMessage()
                    + (String.valueOf(e.getMessage()).contains("EnableDynamicAgentLoading")
                    ? " (start it with -XX:+EnableDynamicAgentLoading, or with -javaagent)" : ""));
        } catch (IOException e) {
            return fail(e.getMessage());
        }
    }

    /** The agent already runs: say how, and what it has bound; nothing is loaded again. */
    private int alreadyRunning(long pid, Optional<JvmConnection.AgentView> running, Map<String, String> args) {
        if (running.isEmpty()) {
            host.out().println("numa-agent already runs in " + pid + " (its thread " + JmxRegistration.AGENT_THREAD
                    + " is there): nothing loaded again; its MBean could not be read to show more");
            notes.forEach(n -> host.err().println("numa-agent: note: " + n));
            return Cli.EXIT_OK;
        }
        JvmConnection.AgentView a = running.get();
        String asked = args.get("config");
        if (asked != null && !asked.equals(a.config())) {
            notes.add("the running agent uses " + (a.config().isEmpty() ? "no config" : a.config()) + ", not " + asked
                    + ": an agent is loaded once per JVM; restart the JVM to change its config");
        }
        return report(pid, a, true);
    }

    /** Settings of the target that win over what the command line passes (SPEC precedence). */
    private void warnAboutOverrides(JvmConnection vm, ProcProcess process, Map<String, String> args) {
        List<String> winners = new ArrayList<>();
        try {
            Properties props = vm.systemProperties();
            for (String key : AgentSettings.KEYS) {
                if (args.containsKey(key) && !props.getProperty(AgentSettings.propertyName(key), "").isBlank()) {
                    winners.add("system property " + AgentSettings.propertyName(key));
                }
            }
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

    private int report(long pid, JvmConnection.AgentView a, boolean wasRunning) {
        List<JvmConnection.ThreadRow> results = wasRunning ? List.of() : a.attachResults();
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
            for (JvmConnection.ThreadRow r : results) {
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
                    : "numa-agent loaded into " + pid + (a.config().isEmpty() ? "" : " with " + a.config()));
            host.out().println("state: " + a.state());
            if (!wasRunning) {
                if (results.isEmpty()) {
                    host.out().println("no running thread matched a thread rule; threads started from now on are bound as they start");
                } else {
                    host.out().println("running threads a rule names:");
                    TextTable table = new TextTable("tid", "thread", "rule", "device", "node", "cpus", "memory", "outcome")
                            .alignRight(0);
                    for (JvmConnection.ThreadRow r : results) {
                        table.row(r.tid() < 0 ? "-" : r.tid(), r.thread(), r.rule(), r.device() < 0 ? "-" : r.device(),
                                r.node() < 0 ? "-" : r.node(), r.cpus().isEmpty() ? "-" : r.cpus(), r.memory(), r.outcome());
                    }
                    host.out().print(table.render("  "));
                    results.stream().filter(r -> !r.detail().isEmpty()).map(r -> r.outcome() + ": " + r.detail()).distinct()
                            .forEach(d -> host.out().println("  " + d));
                    host.out().println("threads started from now on are bound as they start (CPUs and memory policy)");
                }
            }
            a.problems().forEach(p -> host.out().println("agent: " + p));
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
