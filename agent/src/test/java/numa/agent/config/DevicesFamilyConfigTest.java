package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The devices section's family sources, {@code vendor}, and {@code pci} as a family's order. */
class DevicesFamilyConfigTest {
    private static DevicesConfig devices(String yaml, List<ConfigException> warnings) throws ConfigException {
        return ConfigLoader.parse("config.yaml", yaml, warnings::add).devices();
    }

    @Test
    void familySourcesTakeAnOptionalPciOrderAndVisibleEnvDefaultsToTheFamilys() throws Exception {
        List<ConfigException> warnings = new ArrayList<>();
        DevicesConfig d = devices("devices:\n  source: ascend\n  pci: [\"c1:00.0\", \"01:00.0\"]\n", warnings);

        assertThat(d.source()).isEqualTo(DevicesConfig.Source.ASCEND);
        assertThat(d.pci()).containsExactly("c1:00.0", "01:00.0");
        assertThat(d.visibleEnv()).as("the family's own").isNull();
        assertThat(warnings).isEmpty();
        assertThat(devices("devices:\n  source: amd\n", warnings).pci()).isEmpty();
    }

    @Test
    void vendorSourceNeedsAHexVendorId() throws Exception {
        List<ConfigException> warnings = new ArrayList<>();
        assertThat(devices("devices:\n  source: vendor\n  vendor: 0x1ED5\n", warnings).vendor()).isEqualTo(0x1ed5);

        assertThatThrownBy(() -> devices("devices:\n  source: vendor\n", warnings)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.yaml:2:11: devices.source: vendor needs devices.vendor");
        assertThatThrownBy(() -> devices("devices:\n  source: vendor\n  vendor: 9999\n", warnings))
                .hasMessageContaining("config.yaml:3:11: devices.vendor: '9999' is not a PCI vendor id: expected 0x");
    }

    @Test
    void vendorWithAnotherSourceIsIgnoredWithAWarning() throws Exception {
        List<ConfigException> warnings = new ArrayList<>();
        DevicesConfig d = devices("devices:\n  source: amd\n  vendor: 0x1002\n", warnings);

        assertThat(d.vendor()).isNull();
        assertThat(warnings).extracting(Throwable::getMessage).containsExactly(
                "config.yaml:3:3: devices.vendor is ignored: it is only used with source: vendor (source is amd)");
    }
}
