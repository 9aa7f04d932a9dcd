package numa.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.openmbean.CompositeData;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import numa.agent.bind.Binding;
import numa.agent.bind.MemPolicy;
import numa.agent.topology.CpuSet;

/**
 * The MBean as a JMX client sees it: open types only (CompositeData, String[]), read through an
 * MBean server, after bindings recorded the way the hooks record them.
 */
class BindingsMBeanTest {
    private static final Binding NODE1 = new Binding(1, 2, CpuSet.parse("8-15"), MemPolicy.onNode(MemPolicy.Mode.PREFERRED, 1));

    private MBeanServer server;
    private ObjectName name;

    @BeforeEach
    void register() throws Exception {
        BindingLog.clear();
        server = MBeanServerFactory.newMBeanServer();
        name = new ObjectName(JmxRegistration.OBJECT_NAME);
        server.registerMBean(new StandardMBean(new Bindings(ManagementFactory.getPlatformMBeanServer(), "9.9.9"),
                BindingsMXBean.class, true), name);
    }

    @AfterEach
    void clear() {
        BindingLog.clear();
    }

    @Test
    void shows_the_agent_its_rules_and_per_rule_counts() throws Exception {
        BindingLog.info(AgentInfo.started(false, 0, "/etc/numa.yaml", false).withState("binding")
                .withRules(List.of("gpu-workers: thread \"gpu-worker-(\\d+)\" -> device $1 (numa.yaml:3:5)", "idle: ..."),
                        List.of("gpu-workers", "idle"))
                .withMachine(List.of("node 0: cpus 0-7, memory 16384 MiB"), List.of("device 0: node 0 (static)")));
        Thread t = new Thread(() -> { }, "gpu-worker-2");
        Observations.threadStarted(t, "gpu-workers", NODE1, false, false, true, 7400);
        Observations.threadStarted(new Thread(() -> { }, "helper"), "gpu-workers", NODE1, true, false, true, 900);
        Observations.threadFailed(new Thread(() -> { }, "gpu-worker-9"), BindingRecord.TRIGGER_THREAD_START, -1,
                "gpu-workers", null, "device 9 does not exist");
        Observations.noDevice("gpu-workers");
        Observations.noDevice("gpu-workers");

        assertThat(server.getAttribute(name, "Version")).isEqualTo("9.9.9");
        assertThat(server.getAttribute(name, "Mode")).isEqualTo("premain");
        assertThat(server.getAttribute(name, "Config")).isEqualTo("/etc/numa.yaml");
        assertThat(server.getAttribute(name, "State")).isEqualTo("binding");
        assertThat((String[]) server.getAttribute(name, "Topology")).containsExactly("node 0: cpus 0-7, memory 16384 MiB");
        assertThat((String[]) server.getAttribute(name, "Rules")).hasSize(2);
        CompositeData[] counts = (CompositeData[]) server.getAttribute(name, "RuleCounts");
        assertThat(counts).hasSize(2);
        assertThat(counts[0].get("rule")).isEqualTo("gpu-workers");
        assertThat(counts[0].get("bound")).isEqualTo(1L);
        assertThat(counts[0].get("failed")).isEqualTo(1L);
        assertThat(counts[0].get("reset")).isEqualTo(1L);
        assertThat(counts[0].get("noDevice")).as("device -1: left alone, not failed").isEqualTo(2L);
        assertThat(counts[1].get("rule")).isEqualTo("idle");
        assertThat(counts[1].get("noDevice")).isEqualTo(0L);
        assertThat(counts[1].get("bound")).isEqualTo(0L);
        assertThat(server.getAttribute(name, "BoundCount")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "FailedCount")).isEqualTo(1L);

        CompositeData[] failures = (CompositeData[]) server.getAttribute(name, "Failures");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.get("thread")).isEqualTo("gpu-worker-9");
            assertThat(f.get("outcome")).isEqualTo("failed");
            assertThat(f.get("detail")).isEqualTo("device 9 does not exist");
        });
    }

    @Test
    @SuppressWarnings("deprecation")
    void bound_threads_that_live_carry_their_kernel_thread_id_from_the_thread_dump() throws Exception {
        Thread me = Thread.currentThread();
        Observations.threadStarted(me, "gpu-workers", NODE1, false, false, false, 12_000);
        Thread ended = new Thread(() -> { }, "gone");
        Observations.threadStarted(ended, "gpu-workers", NODE1, false, false, true, 1);

        CompositeData[] bound = (CompositeData[]) server.getAttribute(name, "BoundThreads");
        assertThat(bound).as("threads not alive are not listed").singleElement().satisfies(b -> {
            assertThat(b.get("thread")).isEqualTo(me.getName());
            assertThat(b.get("javaThreadId")).isEqualTo(me.getId());
            assertThat(b.get("rule")).isEqualTo("gpu-workers");
            assertThat(b.get("device")).isEqualTo(2);
            assertThat(b.get("node")).isEqualTo(1);
            assertThat(b.get("cpus")).isEqualTo("8-15");
            assertThat(b.get("outcome")).isEqualTo("cpus-only");
            assertThat(b.get("memory")).isEqualTo("not set");
            assertThat(b.get("costNanos")).isEqualTo(12_000L);
            assertThat(b.get("trigger")).isEqualTo("thread-start");
            int tid = (Integer) b.get("tid");
            try {
                assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/status")))
                        .contains("\nPid:\t" + tid + "\n");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void attach_results_keep_their_order_and_tids() throws Exception {
        Observations.runningThreadBound(new Thread(() -> { }, "gpu-worker-0"), 4242, "gpu-workers", NODE1, false, 1500);
        Observations.runningThreadBound(new Thread(() -> { }, "gpu-worker-1"), 4243, "gpu-workers",
                NODE1.withMemory(MemPolicy.DEFAULT), false, 1500);
        CompositeData[] results = (CompositeData[]) server.getAttribute(name, "AttachResults");
        assertThat(results).hasSize(2);
        assertThat(results[0].get("tid")).isEqualTo(4242);
        assertThat(results[0].get("outcome")).isEqualTo("cpus-only");
        assertThat((String) results[0].get("detail")).contains("only a thread set its own");
        assertThat(results[1].get("outcome")).as("memory: none asks for no policy: fully bound").isEqualTo("bound");
        assertThat(results[1].get("trigger")).isEqualTo("attach");
    }

    @Test
    void failures_are_kept_in_a_ring_of_the_last_hundred() throws Exception {
        for (int i = 0; i < 150; i++) {
            Observations.threadFailed(new Thread(() -> { }, "w-" + i), BindingRecord.TRIGGER_THREAD_START, -1, "r", null, "x");
        }
        CompositeData[] failures = (CompositeData[]) server.getAttribute(name, "Failures");
        assertThat(failures).hasSize(BindingLog.RECENT);
        assertThat(failures[0].get("thread")).isEqualTo("w-50");
        assertThat(server.getAttribute(name, "FailedCount")).isEqualTo(150L);
    }

    /**
     * Records of threads that ended but are still referenced (weak keys would keep them) are swept
     * as the records grow: ThreadRecords stays bounded by the live bound threads, not by all threads
     * ever bound.
     */
    @Test
    void records_of_ended_threads_are_dropped_even_when_the_application_keeps_them() throws Exception {
        java.util.List<Thread> keptByTheApplication = new java.util.ArrayList<>();
        for (int i = 0; i < 4 * BindingLog.SWEEP_MIN; i++) {
            Thread t = new Thread(() -> { }, "gpu-worker-" + i);
            t.start();
            t.join();
            keptByTheApplication.add(t);
            Observations.threadStarted(t, "gpu-workers", NODE1, false, false, true, 1000);
        }
        assertThat((Long) server.getAttribute(name, "ThreadRecords")).isLessThanOrEqualTo(BindingLog.SWEEP_MIN);
        assertThat((Long) server.getAttribute(name, "BoundCount")).isEqualTo(4L * BindingLog.SWEEP_MIN);
        assertThat(keptByTheApplication).hasSize(4 * BindingLog.SWEEP_MIN);
    }
}
