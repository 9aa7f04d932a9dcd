package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentSettingsTest {
    private final Map<String, String> env = new HashMap<>();
    private final Properties props = new Properties();

    private AgentSettings resolve(String args) throws ConfigException {
        return AgentSettings.resolve(args, env, props);
    }

    private String failure(String args) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve(args));
        assertThat(e).as("an error for " + args).isNotNull();
        assertThat(e.position()).isNull();
        return e.getMessage();
    }

    @Test
    void defaults() throws Exception {
        for (String nothing : new String[] {null, "", "  "}) {
            AgentSettings s = resolve(nothing);
            assertThat(s).isEqualTo(AgentSettings.defaults());
            assertThat(s.configPath()).isEmpty();
            assertThat(s.enabled()).isTrue();
            assertThat(s.dryRun()).isFalse();
            assertThat(s.logLevel()).isEqualTo("info");
            assertThat(s.sysfs()).isEmpty();
            assertThat(s.sysfs((AgentConfig) null)).isEqualTo("/sys");
            assertThat(s.sysfs(AgentConfig.empty())).isEqualTo("/sys");
        }
    }

    @Test
    void bareArgumentIsTheConfigPath() throws Exception {
        assertThat(resolve("config.yaml").configPath()).contains("config.yaml");
        assertThat(resolve("/etc/numa agent/a,b.yaml").configPath()).contains("/etc/numa agent/a,b.yaml");
    }

    @Test
    void keyValuePairs() throws Exception {
        AgentSettings s = resolve("config=config.yaml,dry-run=true,log-level=debug,enabled=false,sysfs=/tmp/sys");
        assertThat(s).isEqualTo(new AgentSettings(Optional.of("config.yaml"), false, true, "debug", Optional.of("/tmp/sys"), Optional.empty()));
        assertThat(resolve(" config = a.yaml , dry-run=TRUE ,").dryRun()).isTrue();
        assertThat(resolve("log-level=WARN").logLevel()).isEqualTo("warn");
        assertThat(resolve("config=/x/a=b.yaml").configPath()).contains("/x/a=b.yaml");
    }

    @Test
    void namesOfPropertiesAndVariables() {
        assertThat(AgentSettings.propertyName("dry-run")).isEqualTo("numa.agent.dry-run");
        assertThat(AgentSettings.environmentName("dry-run")).isEqualTo("NUMA_AGENT_DRY_RUN");
        assertThat(AgentSettings.environmentName("log-level")).isEqualTo("NUMA_AGENT_LOG_LEVEL");
        assertThat(AgentSettings.environmentName("a.b")).isEqualTo("NUMA_AGENT_A_B");
    }

    /** Each key through each source, alone and stacked: property > environment > argument > default. */
    @ParameterizedTest(name = "{0}: property={1} env={2} arg={3} -> {4}")
    @CsvSource(nullValues = "-", value = {
            "config,    p.yaml, e.yaml, a.yaml, p.yaml",
            "config,    -,      e.yaml, a.yaml, e.yaml",
            "config,    -,      -,      a.yaml, a.yaml",
            "config,    p.yaml, -,      a.yaml, p.yaml",
            "config,    p.yaml, e.yaml, -,      p.yaml",
            "enabled,   false,  true,   true,   false",
            "enabled,   -,      false,  true,   false",
            "enabled,   -,      -,      false,  false",
            "enabled,   -,      -,      -,      true",
            "dry-run,   true,   false,  false,  true",
            "dry-run,   -,      true,   false,  true",
            "dry-run,   -,      -,      true,   true",
            "dry-run,   -,      -,      -,      false",
            "log-level, trace,  debug,  warn,   trace",
            "log-level, -,      debug,  warn,   debug",
            "log-level, -,      -,      warn,   warn",
            "log-level, -,      -,      -,      info",
            "sysfs,     /p,     /e,     /a,     /p",
            "sysfs,     -,      /e,     /a,     /e",
            "sysfs,     -,      -,      /a,     /a",
            "sysfs,     -,      -,      -,      /sys",
    })
    void precedence(String key, String property, String variable, String argument, String expected) throws Exception {
        if (property != null) {
            props.setProperty("numa.agent." + key, property);
        }
        if (variable != null) {
            env.put("NUMA_AGENT_" + key.toUpperCase().replace('-', '_'), variable);
        }
        AgentSettings s = resolve(argument == null ? null : key + "=" + argument);
        String actual = switch (key) {
            case "config" -> s.configPath().orElse(null);
            case "enabled" -> String.valueOf(s.enabled());
            case "dry-run" -> String.valueOf(s.dryRun());
            case "log-level" -> s.logLevel();
            case "sysfs" -> s.sysfs((AgentConfig) null);
            default -> throw new AssertionError(key);
        };
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void sysfsFromTheConfigFileIsBelowEveryOtherSource() throws Exception {
        AgentConfig withSysfs = ConfigLoader.parse("c.yaml", "topology:\n  sysfs: /file/sys\n");
        assertThat(resolve(null).sysfs(withSysfs)).isEqualTo("/file/sys");
        assertThat(resolve("sysfs=/arg/sys").sysfs(withSysfs)).isEqualTo("/arg/sys");
        env.put("NUMA_AGENT_SYSFS", "/env/sys");
        assertThat(resolve("sysfs=/arg/sys").sysfs(withSysfs)).isEqualTo("/env/sys");
        props.setProperty("numa.agent.sysfs", "/prop/sys");
        assertThat(resolve("sysfs=/arg/sys").sysfs(withSysfs)).isEqualTo("/prop/sys");
    }

    @Test
    void emptyValuesCountAsNotSet() throws Exception {
        props.setProperty("numa.agent.config", "");
        env.put("NUMA_AGENT_CONFIG", " ");
        env.put("NUMA_AGENT_DRY_RUN", "");
        AgentSettings s = resolve("config=a.yaml,dry-run=true");
        assertThat(s.configPath()).contains("a.yaml");
        assertThat(s.dryRun()).isTrue();
    }

    @Test
    void unknownKeyInTheArgument() {
        assertThat(failure("config=a.yaml,dryrun=true")).isEqualTo("agent argument: unknown key 'dryrun' (expected:"
                + " config, enabled, dry-run, log-level, sysfs, on-error); did you mean 'dry-run'?");
        assertThat(failure("memory=bind")).isEqualTo(
                "agent argument: unknown key 'memory' (expected: config, enabled, dry-run, log-level, sysfs, on-error)");
    }

    @Test
    void pairWithoutValueOrGivenTwice() {
        assertThat(failure("config=a.yaml,dry-run")).isEqualTo("agent argument: 'dry-run' has no value (write"
                + " key=value, e.g. dry-run=true; expected keys: config, enabled, dry-run, log-level, sysfs, on-error)");
        assertThat(failure("config=a.yaml,config=b.yaml")).isEqualTo("agent argument: config is given twice");
    }

    @Test
    void badValuesNameTheirSource() {
        props.setProperty("numa.agent.dry-run", "yes");
        assertThat(failure(null)).isEqualTo("system property numa.agent.dry-run: 'yes' is not true or false");
        props.clear();
        env.put("NUMA_AGENT_ENABLED", "0");
        assertThat(failure(null)).isEqualTo("environment variable NUMA_AGENT_ENABLED: '0' is not true or false");
        env.clear();
        assertThat(failure("log-level=verbose")).isEqualTo("agent argument log-level: 'verbose' is not a log level"
                + " (expected: error, warn, info, debug, trace)");
        assertThat(failure("log-level=warning")).isEqualTo("agent argument log-level: 'warning' is not a log level"
                + " (expected: error, warn, info, debug, trace); did you mean 'warn'?");
    }

    @Test
    void everyBadValueIsReported() {
        props.setProperty("numa.agent.enabled", "no");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve("dry-run=1,log-level=x"));
        assertThat(e.all()).extracting(ConfigException::getMessage).containsExactly(
                "system property numa.agent.enabled: 'no' is not true or false",
                "agent argument dry-run: '1' is not true or false",
                "agent argument log-level: 'x' is not a log level (expected: error, warn, info, debug, trace)");
    }

    @Test
    void aBadValueBelowAGoodOneIsNotLookedAt() throws Exception {
        props.setProperty("numa.agent.dry-run", "true");
        assertThat(resolve("dry-run=maybe").dryRun()).isTrue();
    }

    @Test
    void fromSystemReadsThisJvm() throws Exception {
        System.setProperty("numa.agent.log-level", "trace");
        try {
            assertThat(AgentSettings.fromSystem("config.yaml").logLevel()).isEqualTo("trace");
        } finally {
            System.clearProperty("numa.agent.log-level");
        }
    }

    @Test
    void onErrorGivenToTheAgentWinsOverTheConfigFile() throws Exception {
        AgentSettings s = AgentSettings.resolve("config=c.yaml,on-error=fail", Map.of(), new Properties());
        assertThat(s.onError()).contains(BindingConfig.OnError.FAIL);
        assertThat(s.onError(null)).isEqualTo(BindingConfig.OnError.FAIL);
        assertThat(AgentSettings.defaults().onError(null)).isEqualTo(BindingConfig.OnError.WARN);
        assertThatThrownBy(() -> AgentSettings.resolve("on-error=stop", Map.of(), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent argument on-error: 'stop' is not warn or fail");
    }

    @Test
    void theKeysAreExactlyTheSpecs() {
        assertThat(AgentSettings.KEYS).containsExactly("config", "enabled", "dry-run", "log-level", "sysfs", "on-error");
        assertThat(AgentSettings.LOG_LEVELS).isEqualTo(List.of("error", "warn", "info", "debug", "trace"));
    }

    /** A misspelt property or variable is named, with the key it most likely meant; the agent's own are not. */
    @Test
    void unknownPropertiesAndVariablesAreNamedWithTheNearestKey() {
        props.setProperty("numa.agent.dryrun", "true");
        props.setProperty("numa.agent.log-level", "debug");
        props.setProperty("numa.agents", "x"); // another prefix: not the agent's
        env.put("NUMA_AGENT_CONFG", "/etc/numa.yaml");
        env.put("NUMA_AGENT_SYSFS", "/sys");
        env.put("NUMA_AGENT_INHERITED_BINDING", "node=1"); // the parent's agent hands it down: no setting, not unknown

        assertThat(AgentSettings.unknownNames(env, props)).containsExactly(
                "environment variable NUMA_AGENT_CONFG is not a setting of the agent and is ignored (did you mean"
                        + " NUMA_AGENT_CONFIG?; settings: NUMA_AGENT_CONFIG, NUMA_AGENT_ENABLED, NUMA_AGENT_DRY_RUN,"
                        + " NUMA_AGENT_LOG_LEVEL, NUMA_AGENT_SYSFS, NUMA_AGENT_ON_ERROR)",
                "system property numa.agent.dryrun is not a setting of the agent and is ignored (did you mean"
                        + " numa.agent.dry-run?; settings: config, enabled, dry-run, log-level, sysfs, on-error)");
    }

    @Test
    void aNameFarFromEveryKeyIsNamedWithoutAGuess() {
        props.setProperty("numa.agent.colour", "blue");
        assertThat(AgentSettings.unknownNames(env, props)).containsExactly("system property numa.agent.colour is not a"
                + " setting of the agent and is ignored (settings: config, enabled, dry-run, log-level, sysfs, on-error)");
    }

    /** Every refused setting is an error line, like the agent's other errors; the last says what happens instead. */
    @Test
    void refusalLinesAreErrors() {
        props.setProperty("numa.agent.dry-run", "yes");
        props.setProperty("numa.agent.log-level", "loud");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> resolve(null));
        assertThat(AgentSettings.refusal(e)).containsExactly(
                "error: system property numa.agent.dry-run: 'yes' is not true or false",
                "error: system property numa.agent.log-level: 'loud' is not a log level (expected: error, warn, info, debug,"
                        + " trace); the application runs without NUMA binding");
    }
}
