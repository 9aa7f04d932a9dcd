package numa.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import numa.it.harness.Json;
import numa.vm.harness.GuestFacts;
import numa.vm.harness.GuestRun;
import numa.vm.harness.RequiresGuest;
import numa.vm.harness.StepResult;

/**
 * {@code status} and {@code attach} on a real 2-node kernel ({@link TwoNodeGuest#opsScript}): the
 * nodes status reports are the kernel's own, memory per node comes from real numa_maps (the workers
 * of node 1 touched their memory under MPOL_BIND there), and an attach binds running workers to
 * both nodes and later workers' memory too.
 */
@RequiresGuest
class OpsCommandsInGuestTest {
    private static final int[] STATUS_NODES = {0, 0, 1, 1};
    private static final int[] ATTACH_NODES = {0, 1, 0, 1};
    private static GuestRun guest;
    private static StepResult step;

    @BeforeAll
    static void boot() {
        guest = TwoNodeGuest.run();
        step = guest.step("ops-status-attach");
    }

    private static String file(String name) {
        try {
            Path p = step.dir().resolve(name);
            return Files.isRegularFile(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String story() {
        StringBuilder s = new StringBuilder(step.toString());
        for (String f : List.of("status.err", "app1.err", "attach.json", "attach.err", "app2.err", "tasks-after-attach.txt",
                "status2.err")) {
            s.append("\n--- ").append(f).append(":\n").append(file(f));
        }
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String name) {
        return (Map<String, Object>) Json.parse(file(name));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static Map<String, Object> thread(Map<String, Object> status, String name) {
        return list(status.get("threads")).stream().filter(t -> name.equals(t.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in status" + story()));
    }

    @Test
    void status_shows_each_worker_on_its_node_and_the_memory_the_kernel_placed_per_node() {
        GuestFacts f = guest.facts();
        assertThat(file("status.rc").strip()).as("status%s", story()).isEqualTo("0");
        Map<String, Object> status = json("status.json");
        for (int device = 0; device < STATUS_NODES.length; device++) {
            int node = STATUS_NODES[device];
            assertThat(thread(status, "gpu-worker-" + device)).as("gpu-worker-%d%s", device, story())
                    .containsEntry("cpus", f.cpusOf(node)).containsEntry("nodes", List.of((long) node))
                    .containsEntry("spans_nodes", false).containsEntry("rule", "gpu-workers")
                    .containsEntry("outcome", "bound").containsEntry("memory_policy", "bind");
        }
        assertThat(thread(status, "main")).containsEntry("nodes", List.of(0L, 1L)).containsEntry("spans_nodes", true);
        Map<Long, Long> bytes = new HashMap<>();
        for (Map<String, Object> n : list(((Map<String, Object>) (Map<?, ?>) status.get("memory")).get("nodes"))) {
            bytes.put((Long) n.get("node"), (Long) n.get("bytes"));
        }
        // workers 2 and 3 touched 16 MiB each under MPOL_BIND on node 1; workers 0 and 1 on node 0
        assertThat(bytes.getOrDefault(1L, 0L)).as("resident on node 1%s", story()).isGreaterThanOrEqualTo(32L << 20);
        assertThat(bytes.getOrDefault(0L, 0L)).as("resident on node 0%s", story()).isGreaterThanOrEqualTo(32L << 20);
    }

    @Test
    void attach_binds_running_workers_to_both_nodes_and_later_workers_with_their_memory() {
        GuestFacts f = guest.facts();
        assertThat(file("attach.rc").strip()).as("attach%s", story()).isEqualTo("0");
        List<Map<String, Object>> running = list(json("attach.json").get("running_threads"));
        assertThat(running).as("%s", story()).hasSize(2);
        String tasks = file("tasks-after-attach.txt");
        for (Map<String, Object> t : running) {
            int device = Integer.parseInt(((String) t.get("name")).substring("gpu-worker-".length()));
            int node = ATTACH_NODES[device];
            assertThat(t).as("%s", story()).containsEntry("node", (long) node).containsEntry("cpus", f.cpusOf(node))
                    .containsEntry("outcome", "cpus-only");
            assertThat(tasks.lines()).as("the kernel, read from outside after the attach%s", story())
                    .contains("gpu-worker-" + device + " " + f.cpusOf(node));
        }
        assertThat(file("status2.rc").strip()).as("status after the attach%s", story()).isEqualTo("0");
        Map<String, Object> status = json("status2.json");
        for (int device = 0; device < ATTACH_NODES.length; device++) {
            int node = ATTACH_NODES[device];
            Map<String, Object> w = thread(status, "gpu-worker-" + device);
            assertThat(w).as("gpu-worker-%d%s", device, story()).containsEntry("nodes", List.of((long) node))
                    .containsEntry("rule", "gpu-workers")
                    .containsEntry("outcome", device < 2 ? "cpus-only" : "bound")
                    .containsEntry("trigger", device < 2 ? "attach" : "thread-start");
        }
        assertThat(file("app2.rc").strip()).as("%s", story()).isEqualTo("0");
        List<Map<String, Object>> rows = list((Object) Json.parse(file("app2.json")));
        for (int device = 2; device < ATTACH_NODES.length; device++) {
            int node = ATTACH_NODES[device];
            String name = "gpu-worker-" + device;
            Map<String, Object> late = rows.stream().filter(r -> name.equals(r.get("name"))).findFirst().orElseThrow();
            assertThat(late).as("%s, started after the attach, at its first line%s", name, story())
                    .containsEntry("cpus", f.cpusOf(node)).containsEntry("policy", "bind:" + node);
        }
    }
}
