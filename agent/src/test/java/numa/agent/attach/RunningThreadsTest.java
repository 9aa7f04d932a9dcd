package numa.agent.attach;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import numa.agent.bind.BindingPlanner;
import numa.agent.bind.LinuxBinder;
import numa.agent.config.AgentConfig;
import numa.agent.config.ConfigLoader;
import numa.agent.device.Device;
import numa.agent.observe.DiagnosticCommands;
import numa.agent.proc.ThreadDump;
import numa.agent.rules.RuleTargets;
import numa.agent.rules.ThreadRules;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.ProcessCpus;
import numa.agent.topology.Topology;

/**
 * Threads already running are bound by their kernel ids on the real kernel, as an attach does:
 * two fake nodes over the first two CPUs this JVM may use, checked in /proc/self/task.
 */
class RunningThreadsTest {
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private CpuSet allowed;
    private int cpu0;
    private int cpu1;

    @BeforeEach
    void cpus() throws Exception {
        allowed = ProcessCpus.allowedAtStart();
        int[] cpus = allowed.toArray();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpus.length >= 2, "needs two CPUs");
        cpu0 = cpus[0];
        cpu1 = cpus[1];
    }

    @AfterEach
    void end() throws InterruptedException {
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }

    private Thread running(String name) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        started.await();
        threads.add(t);
        return t;
    }

    private RunningThreads binder(boolean dryRun, Map<Thread, String> notices) throws Exception {
        AgentConfig config = ConfigLoader.parse("t.yaml", "binding:\n  memory: preferred\nrules:\n"
                + "  - name: gpu\n    thread: \"rt-gpu-(\\\\d+)\"\n    device: \"$1\"\n");
        Topology topology = new Topology(List.of(
                new NumaNode(0, CpuSet.of(cpu0), 1L << 30, 1L << 29, List.of()),
                new NumaNode(1, CpuSet.of(cpu1), 1L << 30, 1L << 29, List.of())), allowed, "test");
        List<Device> devices = List.of(new Device(0, 0, "static", null, 0, null), new Device(1, 1, "static", null, 1, null));
        RuleTargets targets = new RuleTargets(new BindingPlanner(topology, devices, config.binding(), allowed, CpuSet::of, null));
        return new RunningThreads(new ThreadRules(config.rules()), targets, LinuxBinder.load(), dryRun, notices::put);
    }

    private static ThreadDump dump() throws Exception {
        return ThreadDump.parse(DiagnosticCommands.threadPrint(ManagementFactory.getPlatformMBeanServer()));
    }

    @SuppressWarnings("deprecation")
    private static String cpusOf(Thread t, ThreadDump dump) throws Exception {
        int tid = dump.byJavaId(t.getId()).nativeId();
        for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring("Cpus_allowed_list:".length()).strip();
            }
        }
        throw new AssertionError("no Cpus_allowed_list for " + t.getName());
    }

    @Test
    void running_threads_a_rule_names_get_their_devices_node_and_others_are_left_alone() throws Exception {
        Thread w0 = running("rt-gpu-0");
        Thread w1 = running("rt-gpu-1");
        Thread other = running("rt-other");
        Map<Thread, String> notices = new HashMap<>();
        ThreadDump dump = dump();

        RunningThreads.Result r = binder(false, notices).bindAll(dump);

        assertThat(r).isEqualTo(new RunningThreads.Result(2, 2, 0));
        assertThat(cpusOf(w0, dump)).isEqualTo(Integer.toString(cpu0));
        assertThat(cpusOf(w1, dump)).isEqualTo(Integer.toString(cpu1));
        assertThat(cpusOf(other, dump)).isEqualTo(allowed.toString());
        assertThat(notices).as("bound threads are noted, so that their children are reset").containsOnlyKeys(w0, w1)
                .containsValue("gpu");
    }

    @Test
    void dry_run_changes_nothing() throws Exception {
        Thread w0 = running("rt-gpu-0");
        ThreadDump dump = dump();
        RunningThreads.Result r = binder(true, new HashMap<>()).bindAll(dump);
        assertThat(r.bound()).isEqualTo(1);
        assertThat(cpusOf(w0, dump)).isEqualTo(allowed.toString());
    }

    @Test
    void a_thread_missing_from_the_dump_is_a_failure_not_a_guess() throws Exception {
        running("rt-gpu-1");
        RunningThreads.Result r = binder(false, new HashMap<>()).bindAll(ThreadDump.parse(""));
        assertThat(r).isEqualTo(new RunningThreads.Result(1, 0, 1));
    }

    @Test
    void a_rule_without_a_binding_here_is_a_failure() throws Exception {
        running("rt-gpu-7"); // no device 7
        RunningThreads.Result r = binder(false, new HashMap<>()).bindAll(dump());
        assertThat(r).isEqualTo(new RunningThreads.Result(1, 0, 1));
    }
}
