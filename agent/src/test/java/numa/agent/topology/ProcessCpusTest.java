package numa.agent.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpusTest {
    @TempDir
    Path dir;

    private Path status(String text) throws IOException {
        return Files.writeString(dir.resolve("status"), text);
    }

    @Test
    void readsCpusAllowedList() throws IOException {
        Path f = status("Name:\tjava\nCpus_allowed:\t0f0f\nCpus_allowed_list:\t0-3,8-11\nMems_allowed_list:\t0-1\n");

        assertThat(ProcessCpus.read(f)).hasToString("0-3,8-11");
    }

    @Test
    void fallsBackToTheMaskOnOldKernels() throws IOException {
        Path f = status("Name:\tjava\nCpus_allowed:\t00000001,00000003\n");

        assertThat(ProcessCpus.read(f)).hasToString("0-1,32");
    }

    @Test
    void malformedListNamesFileAndValue() throws IOException {
        Path f = status("Cpus_allowed_list:\t0-3,x\n");

        assertThatThrownBy(() -> ProcessCpus.read(f)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("'0-3,x'");
    }

    @Test
    void noCpuLineAtAllIsAnError() throws IOException {
        Path f = status("Name:\tjava\n");

        assertThatThrownBy(() -> ProcessCpus.read(f)).hasMessageContaining("no Cpus_allowed_list");
        assertThatThrownBy(() -> ProcessCpus.read(dir.resolve("missing"))).hasMessageContaining("missing");
    }

    @Test
    void thisProcessMayRunSomewhere() throws IOException {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "not Linux");

        CpuSet allowed = ProcessCpus.allowedAtStart();

        assertThat(allowed.isEmpty()).isFalse();
    }
}
