package numa.agent.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BusIdTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000:3b:00.0,      0000:3b:00.0",  // already sysfs form
            "0000:3B:00.0,      0000:3b:00.0",  // upper case, as users copy it
            "00000000:3B:00.0,  0000:3b:00.0",  // NVML's 8-digit domain
            "3b:00.0,           0000:3b:00.0",  // lspci without -D
            "0:3b:0.1,          0000:3b:00.1",  // short fields
            "0001:c1:1f.7,      0001:c1:1f.7",  // Azure-style 16-bit domain
            "00010000:E1:00.0,  10000:e1:00.0", // Intel VMD: NVML pads to 8, sysfs prints %04x
            "10000:e1:00.0,     10000:e1:00.0",
            "03F8CFDD:00:00.0,  3f8cfdd:00:00.0", // wide domain: every significant digit kept
            "FFFFFFFF:ff:1f.7,  ffffffff:ff:1f.7",
            "' 0000:3b:00.0\n', 0000:3b:00.0",  // as read from a file
    })
    void normalizesToTheSysfsForm(String written, String sysfs) {
        assertThat(BusId.normalize(written)).isEqualTo(sysfs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3b", "3b:00", "0000:3b:00", "0000:3b:00.8", "0000:3b:20.0", "100000000:3b:00.0",
            "0000:3b0:00.0", "gpu0", "0000-3b-00.0", "0000:3g:00.0"})
    void rejectsWhatIsNotAPciAddressAndSaysWhatIsExpected(String bad) {
        assertThatThrownBy(() -> BusId.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'")
                .hasMessageContaining("expected domain:bus:device.function");
    }

    @Test
    void nullIsRejectedToo() {
        assertThatThrownBy(() -> BusId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersNumericallyByDomainBusDeviceFunction() {
        List<BusId> ids = new ArrayList<>(List.of(
                BusId.parse("10000:01:00.0"), BusId.parse("0000:3b:00.0"), BusId.parse("0000:0a:00.1"),
                BusId.parse("0000:0a:00.0"), BusId.parse("0001:00:00.0"), BusId.parse("0000:0a:02.0"),
                BusId.parse("ffff:00:00.0")));
        Collections.sort(ids);

        assertThat(ids).map(BusId::toString).containsExactly(
                "0000:0a:00.0", "0000:0a:00.1", "0000:0a:02.0", "0000:3b:00.0", "0001:00:00.0", "ffff:00:00.0",
                "10000:01:00.0"); // numeric, not textual: ffff < 10000
    }
}
