package numa.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.it.harness.Jdk;
import numa.vm.harness.CpuList;
import numa.vm.harness.GuestStep;
import numa.vm.harness.GuestTopology;
import numa.vm.harness.StepResult;
import numa.vm.harness.Verdict;
import numa.vm.harness.GuestFacts;

/**
 * The checker and the guest plumbing without a guest (runs everywhere): made-up output of a
 * 2-node guest, right and wrong. The same checks on real guest output are in HarnessCanFailTest.
 */
class CheckerTest {
    private static final String FACTS = """
            kernel 6.1.0-test
            node 0 cpus=0-1 memkb=700000 distance=10,20
            node 1 cpus=2-3 memkb=700000 distance=20,10
            pci 0000:21:00.0 vendor=0x1234 device=0x11e8 class=0x00ff00 node=1
            process cpus=0-3 mems=0-1
            cgroup controllers=cpuset,cpu,io,memory,pids
            """;

    private static StepResult step(String json) {
        Jdk jdk = new Jdk(Path.of(System.getProperty("java.home")), 25);
        return new StepResult(GuestStep.jvm("made-up", jdk), Path.of("/nowhere"), 0, json,
                "numa-agent: thread 'gpu-worker-1' (rule gpu-workers, device 1) bound to node 1 cpus=2-3 memory=bind\n", 1.0, "");
    }

    private static String worker(String cpus, String policy, String pages, String moved) {
        return "[{\"name\":\"gpu-worker-1\",\"kind\":\"worker\",\"device\":1,\"tid\":7,\"cpus\":\"" + cpus
                + "\",\"mems\":\"0-1\",\"policy\":\"" + policy + "\",\"phase\":\"start\",\"touchedMb\":16,\"pages\":\""
                + pages + "\",\"pagesVia\":\"pagemap\",\"pagemap\":\"" + pages + "\",\"movePages\":\"" + moved + "\"}]";
    }

    @Test
    void a_worker_bound_as_promised_passes() {
        Verdict v = Verdict.of(step(worker("2-3", "bind:1", "1:4095", "1:4095")), GuestFacts.parse(FACTS))
                .boundTo("gpu-worker-1", 1).policy("gpu-worker-1", "bind:1").logged("bound to node 1 cpus=2-3");
        assertThat(v.problems()).isEmpty();
    }

    @Test
    void pages_on_the_wrong_node_fail() {
        Verdict v = Verdict.of(step(worker("2-3", "bind:1", "0:10,1:4085", "0:10,1:4085")), GuestFacts.parse(FACTS))
                .boundTo("gpu-worker-1", 1);
        assertThat(v.problems()).singleElement().asString().contains("4085 of 4095 touched pages on node 1");
    }

    @Test
    void pages_of_unknown_node_and_disagreeing_readings_fail() {
        Verdict v = Verdict.of(step(worker("2-3", "bind:1", "1:4000,?:95", "0:5,1:4090")), GuestFacts.parse(FACTS))
                .pagesOn("gpu-worker-1", 1);
        assertThat(v.problems()).hasSize(2);
    }

    @Test
    void move_pages_not_knowing_a_page_is_no_disagreement() {
        Verdict v = Verdict.of(step(worker("2-3", "bind:1", "1:4095", "1:95,?:4000")), GuestFacts.parse(FACTS))
                .pagesOn("gpu-worker-1", 1);
        assertThat(v.problems()).isEmpty();
    }

    @Test
    void cpus_of_the_other_node_and_a_wrong_policy_fail() {
        Verdict v = Verdict.of(step(worker("0-1", "preferred:1", "1:4095", "1:4095")), GuestFacts.parse(FACTS))
                .cpusOfNode("gpu-worker-1", 1).policy("gpu-worker-1", "bind:1").logged("bound to node 0");
        assertThat(v.problems()).hasSize(3);
    }

    @Test
    void a_missing_thread_is_a_problem_not_a_pass() {
        Verdict v = Verdict.of(step(worker("2-3", "bind:1", "1:1", "1:1")), GuestFacts.parse(FACTS))
                .boundTo("gpu-worker-7", 1);
        assertThat(v.problems()).allSatisfy(p -> assertThat(p).contains("no such thread"));
    }

    @Test
    void cpu_lists_round_trip() {
        assertThat(CpuList.format(CpuList.parse("0-2,5,7-8"))).isEqualTo("0-2,5,7-8");
        assertThat(CpuList.intersect("2-3", "0-2")).isEqualTo("2");
        assertThat(CpuList.parse("")).isEmpty();
    }

    @Test
    void bus_ids_follow_the_expander_bridges_of_the_script() {
        assertThat(GuestTopology.pciBusId(0)).isEqualTo("0000:21:00.0");
        assertThat(GuestTopology.pciBusId(1)).isEqualTo("0000:31:00.0");
        assertThat(GuestTopology.uniform(2, 2, 768).withPciOn(1).scriptArgs())
                .containsSubsequence("-n", "2", "--cpus", "2,2", "--mem", "768,768", "-p", "1");
    }

    @Test
    void a_step_script_quotes_and_enters_its_cpuset(@TempDir Path dir) throws IOException {
        Jdk jdk = new Jdk(Path.of(System.getProperty("java.home")), 17);
        GuestStep s = GuestStep.jvm("x", jdk).config("rules: []\n").inCpuset("0-2", "0").app("--json", "it's");
        String script = s.script(dir, dir.resolve("a.jar"), dir.resolve("t.jar"));
        Files.writeString(dir.resolve("cmd.sh"), script);
        assertThat(script).contains("echo '0-2' > \"$CG/cpuset.cpus\"", "echo '0' > \"$CG/cpuset.mems\"",
                "-XX:ArchiveRelocationMode=0", "-javaagent:" + dir.resolve("a.jar") + "=config=" + dir.resolve("numa.yaml"),
                "'it'\\''s'");
        assertThat(List.of(script.split("\n"))).last().asString().startsWith("exec timeout");
    }
}
