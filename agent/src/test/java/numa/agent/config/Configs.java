package numa.agent.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Test shorthands: load YAML text as {@code config.yaml}. */
final class Configs {
    private Configs() {
    }

    static AgentConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("config.yaml", yaml);
    }

    /** The error loading this YAML gives (fails the test when it loads). */
    static ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("config.yaml", yaml));
        if (e == null) {
            throw new AssertionError("expected a config error for:\n" + yaml);
        }
        return e;
    }

    /** The message of the first error. */
    static String message(String yaml) {
        return error(yaml).getMessage();
    }
}
