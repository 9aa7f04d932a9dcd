package numa.agent.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumaMapsTest {
    @TempDir
    Path tmp;

    @Test
    void sums_pages_per_node_times_the_mappings_page_size() {
        NumaMaps m = NumaMaps.parse("""
                561e0e80b000 default file=/usr/bin/cat mapped=2 N0=2 kernelpagesize_kB=4
                561e4abd6000 default heap anon=4 dirty=4 active=0 N0=3 N1=1 kernelpagesize_kB=4
                7f0000000000 bind:1 anon=512 dirty=512 N1=512 kernelpagesize_kB=4
                """);
        assertThat(m.bytesByNode()).containsExactly(
                org.assertj.core.api.Assertions.entry(0, 5L * 4096),
                org.assertj.core.api.Assertions.entry(1, 513L * 4096));
        assertThat(m.totalBytes()).isEqualTo(518L * 4096);
        assertThat(m.hugeBytesByNode()).isEmpty();
    }

    @Test
    void huge_page_mappings_count_in_their_own_page_size_and_separately() {
        NumaMaps m = NumaMaps.parse("""
                7f4000000000 default file=/dev/hugepages/x huge dirty=2 N0=1 N1=1 kernelpagesize_kB=2048
                7f5000000000 prefer:0 anon=1 N0=1 kernelpagesize_kB=1048576
                """);
        assertThat(m.bytesByNode()).containsEntry(0, (2048L + 1048576L) * 1024).containsEntry(1, 2048L * 1024);
        assertThat(m.hugeBytesByNode()).containsEntry(0, (2048L + 1048576L) * 1024).containsEntry(1, 2048L * 1024);
    }

    @Test
    void mappings_with_no_resident_pages_and_unknown_fields_count_nowhere() {
        NumaMaps m = NumaMaps.parse("""
                7ffd4b1f5000 default stack anon=3 dirty=3 N0=3 kernelpagesize_kB=4
                7f1111111000 default file=/lib/x.so
                7f2222222000 default Nfoo=7 N=3 N2=x future_field=9 N3=2
                garbage line
                
                """);
        // N3=2 on a line without kernelpagesize_kB (old kernels) counts in 4 kB pages
        assertThat(m.bytesByNode()).containsOnlyKeys(0, 3).containsEntry(0, 3L * 4096).containsEntry(3, 2L * 4096);
    }

    @Test
    void an_empty_file_is_no_memory() {
        assertThat(NumaMaps.parse("").totalBytes()).isZero();
    }

    @Test
    void reads_a_file() throws Exception {
        Path file = Files.writeString(tmp.resolve("numa_maps"), "00400000 default N1=10 kernelpagesize_kB=4\n");
        assertThat(NumaMaps.read(file).bytesByNode()).containsEntry(1, 40960L);
    }

    @Test
    void reads_this_processs_own_numa_maps_where_the_kernel_has_them() throws Exception {
        Path self = Path.of("/proc/self/numa_maps");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(self), "no numa_maps on this kernel");
        NumaMaps m = NumaMaps.read(self);
        assertThat(m.totalBytes()).as("a running JVM has resident memory somewhere").isPositive();
    }
}
