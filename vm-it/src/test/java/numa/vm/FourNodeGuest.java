package numa.vm;

import java.util.List;

import numa.it.harness.Jdk;
import numa.vm.harness.GuestBatch;
import numa.vm.harness.GuestRun;
import numa.vm.harness.GuestStep;
import numa.vm.harness.GuestTopology;
import numa.vm.harness.Jdks;
import numa.vm.harness.Memo;

/**
 * The 4-node guest, in ONE boot: four full nodes (one CPU and 384 MiB each), plus the nodes real
 * accelerator boxes have and a fake tree can only pretend: node 4 with a CPU and no memory, node 5
 * with memory and no CPU (HBM/CXL-like). PCI functions on nodes 3 and 2.
 */
final class FourNodeGuest {
    static final GuestTopology TOPOLOGY = new GuestTopology(List.of(1, 1, 1, 1, 1, 0),
            List.of(384, 384, 384, 384, 0, 256), 1, List.of(3, 2));
    static final int MEMORYLESS = 4;
    static final int CPULESS = 5;
    static final int[] PCI_NODES = {3, 2};

    private static final String THREAD_RULE = """
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    /** One device per node, memory-less and CPU-less nodes included. */
    static final String EVERY_NODE = """
            devices:
              source: static
              nodes: [0, 1, 2, 3, 4, 5]
            binding:
              memory: bind
            """ + THREAD_RULE;

    static final String PCI = """
            devices:
              source: pci
              pci: ["%s", "%s"]
            binding:
              memory: preferred
            """.formatted(GuestTopology.pciBusId(0), GuestTopology.pciBusId(1)) + THREAD_RULE;

    static final String PROCESS_NODE_2 = """
            binding:
              memory: preferred
            process:
              node: 2
            """;

    private static final Memo<GuestRun> RUN = new Memo<>(FourNodeGuest::boot);

    private FourNodeGuest() {
    }

    static GuestRun run() {
        return RUN.get();
    }

    private static GuestRun boot() {
        GuestBatch batch = new GuestBatch("four-node", TOPOLOGY);
        for (Jdk jdk : Jdks.all()) {
            batch.add(GuestStep.jvm(Jdks.name("every-node", jdk), jdk).config(EVERY_NODE)
                    .app("--devices=6", "--pool=1", "--touch-mb=8", "--json"));
        }
        batch.add(GuestStep.jvm("pci", Jdks.oldest()).config(PCI).app("--devices=2", "--pool=1", "--touch-mb=8", "--json"));
        batch.add(GuestStep.jvm("process-node-2", Jdks.newest()).config(PROCESS_NODE_2)
                .app("--devices=2", "--pool=1", "--tasks", "--touch-mb=8", "--touch-others-mb=4", "--json"));
        // the agent jar's command line on the real kernel's sysfs (no agent attached)
        batch.add(GuestStep.jvm("cli-topology", Jdks.oldest()).withoutAgent().jar(GuestBatch.jar("numa.it.agentJar"))
                .app("topology", "--json"));
        return batch.boot();
    }
}
