package numa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * Worker processes started inside {@code WorkerLauncher.launch(Device, command)}, with no
 * {@code process} rule: a {@code bind: children} rule binds them; a process started by a thread that
 * a {@code bind: call} rule bound gets the original binding under {@code children: reset} and the
 * call's under {@code inherit}; and the original set is the one the process was given, never more.
 */
class ProcessInMethodTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    private static String config(String children, String rule) {
        return """
                devices:
                  source: static
                  nodes: [0, 1]
                binding:
                  children: %s
                rules:
                %s""".formatted(children, rule.indent(2));
    }

    private static RunResult launch(String label, String config) {
        JvmRun run = JvmRun.on(Jdk.current(), Artifacts.newRunDir(label)).sysfs(TOPOLOGY).config(config);
        return run.app("--spawn-workers=2", "--spawn-with=launcher", "--json").run();
    }

    @Test
    void a_children_rule_binds_the_processes_started_in_the_call_and_not_the_caller() {
        RunResult run = launch("process-in-children-call", config("reset", """
                - name: launcher
                  method: numa.testapp.WorkerLauncher#launch
                  device: arg0.index
                  bind: children
                """));
        for (int device = 0; device < 2; device++) {
            assertThat(run.reports().row("spawn-worker-" + device, "start").cpus()).as("worker %d%s", device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(device));
        }
        assertThat(run.reports().ofKind("main")).as("the caller%s", run)
                .allSatisfy(m -> assertThat(m.cpus()).isEqualTo(Host.allowedCpuList()));
        assertThat(run.agentLines()).as("%s", run).anySatisfy(l -> assertThat(l).startsWith("numa-agent: process '")
                .contains("(rule launcher, device 1) bound to node 1")
                .endsWith("(bind: children, started by 'main' in numa.testapp.WorkerLauncher.launch(Device, List))"));
    }

    @Test
    void a_process_started_by_a_bound_thread_is_reset_to_the_original_binding() {
        RunResult run = launch("process-reset", config("reset", """
                - name: launcher
                  method: numa.testapp.WorkerLauncher#launch
                  node: 1
                  bind: call
                """));
        for (int device = 0; device < 2; device++) {
            assertThat(run.reports().row("spawn-worker-" + device, "start").cpus()).as("worker %d%s", device, run)
                    .isEqualTo(Host.allowedCpuList());
        }
    }

    @Test
    void under_children_inherit_it_keeps_the_binding_of_the_thread_that_started_it() {
        RunResult run = launch("process-inherit", config("inherit", """
                - name: launcher
                  method: numa.testapp.WorkerLauncher#launch
                  node: 1
                  bind: call
                """));
        for (int device = 0; device < 2; device++) {
            assertThat(run.reports().row("spawn-worker-" + device, "start").cpus()).as("worker %d%s", device, run)
                    .isEqualTo(TOPOLOGY.cpusOf(1));
        }
    }

    /**
     * Under {@code taskset -c <second CPU>} (as a cpuset would): node 0 is not allowed at all, and
     * the reset of a process started by a bound thread gives the one CPU the JVM was given, not
     * every CPU of the machine.
     */
    @Test
    void the_original_set_never_widens_beyond_what_the_process_was_given() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "taskset(1) is not installed");
        String cpu1 = TOPOLOGY.cpusOf(1);
        RunResult run = JvmRun.on(Jdk.current(), Artifacts.newRunDir("process-external-cpuset"))
                .wrappedIn("/usr/bin/taskset", "-c", cpu1).sysfs(TOPOLOGY).config(config("reset", """
                        - name: launcher
                          method: numa.testapp.WorkerLauncher#launch
                          node: 1
                          bind: call
                        - name: node-0-worker
                          process: '.*--device=0'
                          node: 0
                        """)).app("--spawn-workers=2", "--spawn-with=launcher", "--json").run();
        assertThat(run.reports().main("before").cpus()).as("precondition: the JVM runs on %s only%s", cpu1, run)
                .isEqualTo(cpu1);
        for (int device = 0; device < 2; device++) {
            assertThat(run.reports().row("spawn-worker-" + device, "start").cpus()).as("worker %d%s", device, run)
                    .isEqualTo(cpu1);
        }
        List<String> refused = run.agentWarnings().stream().filter(w -> w.contains("rule node-0-worker")).toList();
        assertThat(refused).as("%s", run).singleElement().satisfies(w -> assertThat(w)
                .contains("none of node 0's CPUs (" + TOPOLOGY.cpusOf(0) + ") are allowed to this process (allowed: " + cpu1));
    }
}
