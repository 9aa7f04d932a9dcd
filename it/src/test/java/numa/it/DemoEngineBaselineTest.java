package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.ExpectedPolicy;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.ProcTasks;
import numa.it.harness.Reports;
import numa.it.harness.RunResult;
import numa.it.harness.RunningJvm;
import numa.it.harness.ThreadReport;

/**
 * The demo engine without the agent: the baseline every other test compares with, and a check of
 * the instrument itself (a test of binding is only as good as the engine's readings): every thread
 * it promises is there, named as documented, with a tid of its own and the process's CPUs.
 */
class DemoEngineBaselineTest {
    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void without_the_agent_every_thread_reports_the_whole_machine(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("baseline-jdk" + jdk.feature())).withoutAgent()
                .app("--devices=3", "--pool=2", "--tasks", "--json").run();
        Reports reports = run.reports();
        assertThat(reports.workers()).as("workers%s", run).extracting(ThreadReport::name, ThreadReport::device)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gpu-worker-0", 0),
                        org.assertj.core.groups.Tuple.tuple("gpu-worker-1", 1),
                        org.assertj.core.groups.Tuple.tuple("gpu-worker-2", 2));
        assertThat(reports.helpers()).as("helpers%s", run).extracting(ThreadReport::name)
                .containsExactly("gpu-worker-0-helper", "gpu-worker-1-helper", "gpu-worker-2-helper");
        assertThat(reports.pool()).as("pool%s", run).extracting(ThreadReport::name)
                .allMatch(n -> n.matches("pool-\\d+-thread-[12]")).doesNotHaveDuplicates().hasSize(2);
        assertThat(reports.main("before").tid()).as("main%s", run).isEqualTo(reports.main("after").tid());
        List<ThreadReport> threads = reports.all().stream().filter(t -> !t.kind().equals("task")).toList();
        assertThat(threads).as("every reported thread%s", run).allSatisfy(t -> {
            assertThat(t.cpus()).as(t.name()).isEqualTo(numa.it.harness.Host.allowedCpuList());
            assertThat(t.policy()).as(t.name()).isEqualTo(ExpectedPolicy.unbound(jdk));
        });
        // every thread the engine reports is one of the process's tasks, and has a tid of its own
        assertThat(threads.stream().filter(t -> !t.phase().equals("after")).map(ThreadReport::tid))
                .as("tids%s", run).doesNotHaveDuplicates()
                .isSubsetOf(reports.tasks().stream().map(ThreadReport::tid).toList());
        assertThat(run.linesNotFromApp()).as("stderr (JDK 24+ would warn without Enable-Native-Access)%s", run).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void worker_class_mode_names_thread_subclass_workers(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("baseline-class-jdk" + jdk.feature())).withoutAgent()
                .app("--worker-class", "--devices=2", "--pool=0", "--json").run();
        assertThat(run.reports().workers()).as("workers%s", run).extracting(ThreadReport::name)
                .containsExactly("engine-worker-0", "engine-worker-1");
        assertThat(run.reports().helpers()).as("helpers%s", run).extracting(ThreadReport::name)
                .containsExactly("engine-worker-0-helper", "engine-worker-1-helper");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void table_output_has_one_line_per_thread(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("baseline-table-jdk" + jdk.feature())).withoutAgent()
                .app("--devices=2", "--pool=1").run();
        assertThat(run.exitCode()).as("exit%s", run).isZero();
        // main before, 2 workers, 2 helpers, 1 pool thread, main after
        assertThat(run.stdout().lines().toList()).as("table%s", run).hasSize(7)
                .anySatisfy(l -> assertThat(l).matches(
                        "worker gpu-worker-1 device=1 tid=\\d+ cpus=\\S+ mems=\\S+ policy=\\S+ phase=start"))
                .anySatisfy(l -> assertThat(l).startsWith("helper gpu-worker-0-helper device=- "));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void unknown_argument_is_bad_usage(Jdk jdk) {
        RunResult run = JvmRun.on(jdk, Artifacts.newRunDir("baseline-usage-jdk" + jdk.feature())).withoutAgent()
                .app("--device=2").run();
        assertThat(run.exitCode()).as("exit%s", run).isEqualTo(2);
        assertThat(run.stderr()).as("stderr%s", run).contains("unknown argument '--device=2'");
    }

    /** What later tests of {@code numa-agent status} rely on: every engine thread alive while held. */
    @ParameterizedTest
    @MethodSource("jdks")
    void hold_keeps_every_thread_alive_and_visible_from_outside(Jdk jdk) {
        RunningJvm jvm = JvmRun.on(jdk, Artifacts.newRunDir("baseline-hold-jdk" + jdk.feature())).withoutAgent()
                .app("--devices=2", "--pool=1", "--hold-ms=300", "--json").start();
        jvm.awaitHolding();
        java.util.Map<String, String> tasks = ProcTasks.cpusByTask(jvm.pid());
        RunResult run = jvm.await();
        assertThat(tasks.keySet()).as("/proc/%d/task during the hold%s", jvm.pid(), run)
                .anyMatch(t -> t.startsWith("gpu-worker-0 ("))
                .anyMatch(t -> t.startsWith("gpu-worker-1 ("))
                .anyMatch(t -> t.startsWith("pool-1-thread-1 ("));
        assertThat(tasks.values()).as("cpus%s", run).containsOnly(numa.it.harness.Host.allowedCpuList());
        assertThat(run.reports().workers()).as("workers%s", run).hasSize(2);
    }
}
