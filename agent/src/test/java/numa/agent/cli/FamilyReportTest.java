package numa.agent.cli;

import static numa.agent.cli.CliHarness.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.cli.CliHarness.Outcome;
import numa.agent.testing.FakeSysfs;

/** {@code topology} and {@code check} say which family was found, how it is numbered, what hid a device and what was left out. */
class FamilyReportTest {
    @TempDir
    Path tmp;

    /** Two Ascend NPUs (c1 on node 1, 01 on node 0) and a Huawei NIC. */
    private Path ascendBox() {
        return FakeSysfs.create().node(0, "0-3", 4096).node(1, "4-7", 4096)
                .pciDevice("0000:c1:00.0", 0x19e5, FakeSysfs.CLASS_ACCELERATOR, 1)
                .pciDevice("0000:01:00.0", 0x19e5, FakeSysfs.CLASS_ACCELERATOR, 0)
                .pciDevice("0000:3d:00.0", 0x19e5, 0x020000, 0).write(tmp.resolve("sys"));
    }

    @Test
    void topologyShowsFamilyNumberingVisibilityAndWhatWasLeftOut() {
        Path sys = ascendBox();
        Outcome text = cli().env("ASCEND_RT_VISIBLE_DEVICES", "1").allowedCpus("0-7").run("topology", "--sysfs", sys.toString());

        assertThat(text.out()).contains("  family: ascend, numbered in PCI bus order, taken as the logical order")
                .contains("  visibility: ASCEND_RT_VISIBLE_DEVICES='1'")
                .contains("hidden by ASCEND_RT_VISIBLE_DEVICES='1'")
                .contains("  left out: 0000:3d:00.0 (vendor 0x19e5, class 0x020000): not an NPU");

        Map<String, Object> json = cli().env("ASCEND_RT_VISIBLE_DEVICES", "1").allowedCpus("0-7")
                .run("topology", "--sysfs", sys.toString(), "--json").json();
        assertThat(json.get("family")).isEqualTo("ascend");
        assertThat(json.get("visible_devices")).isEqualTo("1");
        assertThat(json.get("visibility")).isEqualTo("ASCEND_RT_VISIBLE_DEVICES='1'");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> leftOut = (List<Map<String, Object>>) json.get("left_out");
        assertThat(leftOut).extracting(m -> m.get("physical_index"), m -> m.get("why")).contains(
                org.assertj.core.groups.Tuple.tuple(0L, "hidden by ASCEND_RT_VISIBLE_DEVICES='1'"));
    }

    @Test
    void checkShowsTheFamilyAndWhatWasLeftOut() throws Exception {
        Path sys = ascendBox();
        Path config = tmp.resolve("c.yaml");
        Files.writeString(config, "devices:\n  source: ascend\nrules:\n  - name: npu\n    thread: \"npu-(\\\\d+)\"\n"
                + "    device: \"$1\"\n");

        Outcome o = cli().allowedCpus("0-7").run("check", config.toString(), "--sysfs", sys.toString());

        assertThat(o.status()).isZero();
        assertThat(o.out()).contains("devices (ascend): 2")
                .contains("  family ascend, numbered in PCI bus order, taken as the logical order")
                .contains("visibility: ASCEND_RT_VISIBLE_DEVICES (not set)")
                .contains("  left out: 0000:3d:00.0 (vendor 0x19e5, class 0x020000): not an NPU");
    }
}
