package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every config shipped under config/ at the repository root loads cleanly: no error, no warning. */
class ShippedConfigsTest {
    /** Tests run in the agent module; the shipped configs are next to it. */
    private static final Path CONFIG_DIR = Path.of("..", "config");

    private static List<Path> shippedConfigs() throws Exception {
        try (Stream<Path> files = Files.walk(CONFIG_DIR)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }

    @Test
    void everyShippedConfigLoads() throws Exception {
        List<Path> configs = shippedConfigs();
        assertThat(configs).extracting(p -> CONFIG_DIR.relativize(p).toString().replace('\\', '/')).contains(
                "numa-agent.yaml", "examples/threads-by-name.yaml", "examples/static-devices.yaml",
                "examples/process-wide.yaml");
        for (Path config : configs) {
            List<ConfigException> warnings = new ArrayList<>();
            ConfigLoader.load(config, warnings::add);
            assertThat(warnings).as("warnings for " + config).isEmpty();
        }
    }

    @Test
    void referenceConfigSetsEveryKeyToItsDefault() throws Exception {
        AgentConfig reference = ConfigLoader.load(CONFIG_DIR.resolve("numa-agent.yaml"));
        assertThat(reference.sysfs()).isEqualTo("/sys");
        assertThat(reference.devices()).isEqualTo(DevicesConfig.defaults());
        assertThat(reference.binding()).isEqualTo(BindingConfig.defaults());
    }
}
