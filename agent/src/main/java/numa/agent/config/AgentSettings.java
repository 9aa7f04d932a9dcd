package numa.agent.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The agent's own settings (SPEC.md "Attaching"): each key comes from, first found wins,
 * system property {@code numa.agent.KEY} &gt; environment variable {@code NUMA_AGENT_KEY} (upper
 * case, {@code -} and {@code .} become {@code _}) &gt; agent argument &gt; config file (only
 * {@code sysfs}, as {@code topology.sysfs}; see {@link #sysfs(AgentConfig)}, and {@code on-error}, as
 * {@code binding.on-error}; see {@link #onError(AgentConfig)}) &gt; default.
 * An empty value counts as not set, so that {@code NUMA_AGENT_CONFIG=} in a template is harmless.
 *
 * @param configPath {@code config}: path of the YAML config, when one is given
 * @param enabled    {@code enabled}: false makes the agent a no-op (default true)
 * @param dryRun     {@code dry-run}: decide and log every binding, apply none (default false)
 * @param logLevel   {@code log-level}: one of {@link #LOG_LEVELS}, lower case (default info)
 * @param sysfs      {@code sysfs} from the property, environment or argument; the config file's
 *                   value and the default are merged in by {@link #sysfs(AgentConfig)}
 * @param onError    {@code on-error} from the property, environment or argument: what a config file
 *                   that cannot be read at all (missing, unreadable) cannot say for itself
 */
public record AgentSettings(Optional<String> configPath, boolean enabled, boolean dryRun, String logLevel,
                            Optional<String> sysfs, Optional<BindingConfig.OnError> onError) {
    /** The keys, in the order messages list them. */
    public static final List<String> KEYS = List.of("config", "enabled", "dry-run", "log-level", "sysfs", "on-error");
    public static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    public static final String DEFAULT_SYSFS = "/sys";
    /** Variables of the agent that are not settings: the binding a parent's agent hands its child JVM. */
    private static final List<String> OTHER_VARIABLES = List.of("NUMA_AGENT_INHERITED_BINDING");

    /** Nothing given anywhere. */
    public static AgentSettings defaults() {
        return new AgentSettings(Optional.empty(), true, false, "info", Optional.empty(), Optional.empty());
    }

    /**
     * Resolves the settings of this JVM: {@link System#getenv()} and {@link System#getProperties()}.
     *
     * @param agentArgs the {@code -javaagent:...=ARG} argument, or null
     */
    public static AgentSettings fromSystem(String agentArgs) throws ConfigException {
        return resolve(agentArgs, System.getenv(), System.getProperties());
    }

    /**
     * Resolves the settings from explicit sources (testable; {@link #fromSystem} in production).
     *
     * @param agentArgs the {@code -javaagent:...=ARG} argument: empty or null, a bare config path,
     *                  or {@code key=value,key=value}
     * @throws ConfigException (no position) for an unknown key in the argument, or a value that is
     *                         not allowed; the message names where it came from, e.g.
     *                         {@code system property numa.agent.dry-run: 'yes' is not true or false}.
     *                         All errors are in {@link ConfigException#all()}.
     */
    public static AgentSettings resolve(String agentArgs, Map<String, String> env, Properties sysProps)
            throws ConfigException {
        Map<String, String> arguments = AgentArguments.parse(agentArgs, KEYS);
        Problems problems = new Problems();
        Given config = given("config", arguments, env, sysProps);
        Given enabled = given("enabled", arguments, env, sysProps);
        Given dryRun = given("dry-run", arguments, env, sysProps);
        Given logLevel = given("log-level", arguments, env, sysProps);
        Given sysfs = given("sysfs", arguments, env, sysProps);
        Given onError = given("on-error", arguments, env, sysProps);
        AgentSettings settings = new AgentSettings(
                Optional.ofNullable(config == null ? null : config.value),
                bool(enabled, true, problems),
                bool(dryRun, false, problems),
                logLevel(logLevel, problems),
                Optional.ofNullable(sysfs == null ? null : sysfs.value),
                onError(onError, problems));
        problems.throwIfAny();
        return settings;
    }

    /**
     * The sysfs root to read topology from: this setting when given, else the config file's
     * {@code topology.sysfs}, else {@value #DEFAULT_SYSFS}.
     *
     * @param config the loaded config, or null when there is none
     */
    public String sysfs(AgentConfig config) {
        return sysfs.orElseGet(() -> config != null && config.sysfs() != null ? config.sysfs() : DEFAULT_SYSFS);
    }

    /** What to do on a bad config or an impossible binding: this setting when given, else the config file's. */
    public BindingConfig.OnError onError(AgentConfig config) {
        if (onError.isPresent()) {
            return onError.get();
        }
        return config != null ? config.binding().onError() : BindingConfig.OnError.WARN;
    }

    /**
     * One warning for each {@code numa.agent.*} system property and {@code NUMA_AGENT_*} environment
     * variable that is not a setting: a misspelt one ({@code -Dnuma.agent.dryrun=true}) would be
     * ignored, and the user would believe it applied. Each names the key it most likely meant.
     */
    public static List<String> unknownNames(Map<String, String> env, Properties sysProps) {
        List<String> warnings = new java.util.ArrayList<>();
        for (String name : sysProps.stringPropertyNames()) {
            if (name.startsWith("numa.agent.") && !KEYS.contains(name.substring("numa.agent.".length()))) {
                String given = name.substring("numa.agent.".length());
                String near = Suggestions.closest(given, KEYS);
                warnings.add("system property " + name + " is not a setting of the agent and is ignored ("
                        + (near == null ? "" : "did you mean " + propertyName(near) + "?; ") + "settings: "
                        + String.join(", ", KEYS) + ")");
            }
        }
        List<String> variables = new java.util.ArrayList<>();
        for (String key : KEYS) {
            variables.add(environmentName(key).substring("NUMA_AGENT_".length()));
        }
        for (String name : env.keySet()) {
            if (name.startsWith("NUMA_AGENT_") && !OTHER_VARIABLES.contains(name)
                    && !variables.contains(name.substring("NUMA_AGENT_".length()))) {
                String near = Suggestions.closest(name.substring("NUMA_AGENT_".length()), variables);
                warnings.add("environment variable " + name + " is not a setting of the agent and is ignored ("
                        + (near == null ? "" : "did you mean NUMA_AGENT_" + near + "?; ") + "settings: NUMA_AGENT_"
                        + String.join(", NUMA_AGENT_", variables) + ")");
            }
        }
        java.util.Collections.sort(warnings);
        return warnings;
    }

    /**
     * The lines that say the settings cannot be used, as the agent prints them at start: each
     * error of {@code e} as an {@code error:} line, like every other error the agent logs, then
     * the last says what happens instead. Without the {@code numa-agent: } prefix.
     */
    public static List<String> refusal(ConfigException e) {
        List<String> lines = new java.util.ArrayList<>();
        for (ConfigException error : e.all()) {
            lines.add("error: " + error.getMessage());
        }
        lines.set(lines.size() - 1, lines.get(lines.size() - 1) + "; the application runs without NUMA binding");
        return lines;
    }

    /** {@code dry-run} -> {@code numa.agent.dry-run}. */
    public static String propertyName(String key) {
        return "numa.agent." + key;
    }

    /** {@code dry-run} -> {@code NUMA_AGENT_DRY_RUN}. */
    public static String environmentName(String key) {
        return "NUMA_AGENT_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** A value and where it came from, for messages. */
    private record Given(String value, String source) {
    }

    /** The value of the source that wins, or null when none gives one. */
    private static Given given(String key, Map<String, String> arguments, Map<String, String> env, Properties sysProps) {
        String property = sysProps.getProperty(propertyName(key));
        if (property != null && !property.isBlank()) {
            return new Given(property.strip(), "system property " + propertyName(key));
        }
        String variable = env.get(environmentName(key));
        if (variable != null && !variable.isBlank()) {
            return new Given(variable.strip(), "environment variable " + environmentName(key));
        }
        String argument = arguments.get(key);
        if (argument != null && !argument.isBlank()) {
            return new Given(argument, "agent argument " + key);
        }
        return null;
    }

    private static boolean bool(Given given, boolean otherwise, Problems problems) {
        if (given == null) {
            return otherwise;
        }
        if (given.value.equalsIgnoreCase("true")) {
            return true;
        }
        if (given.value.equalsIgnoreCase("false")) {
            return false;
        }
        problems.add(null, given.source + ": '" + given.value + "' is not true or false");
        return otherwise;
    }

    private static Optional<BindingConfig.OnError> onError(Given given, Problems problems) {
        if (given == null) {
            return Optional.empty();
        }
        if (given.value.equalsIgnoreCase("warn")) {
            return Optional.of(BindingConfig.OnError.WARN);
        }
        if (given.value.equalsIgnoreCase("fail")) {
            return Optional.of(BindingConfig.OnError.FAIL);
        }
        problems.add(null, given.source + ": '" + given.value + "' is not warn or fail");
        return Optional.empty();
    }

    private static String logLevel(Given given, Problems problems) {
        if (given == null) {
            return "info";
        }
        String level = given.value.toLowerCase(Locale.ROOT);
        if (LOG_LEVELS.contains(level)) {
            return level;
        }
        problems.add(null, given.source + ": '" + given.value + "' is not a log level (expected: "
                + String.join(", ", LOG_LEVELS) + ")" + Suggestions.didYouMean(level, LOG_LEVELS));
        return "info";
    }
}
