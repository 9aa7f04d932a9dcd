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
 * The 2-node guest and everything it runs, in ONE boot: two nodes of 2 CPUs and 768 MiB, and two
 * PCI functions, the first on node 1 and the second on node 0 (so a device's index is not its
 * node). Every step is named here; the test classes only check results. A new kind of rule (method,
 * process) is one more step below and one more test method: the boot stays one.
 */
final class TwoNodeGuest {
    static final GuestTopology TOPOLOGY = GuestTopology.uniform(2, 2, 768).withPciOn(1).withPciOn(0);
    /** PCI function 0 sits on node 1, function 1 on node 0. */
    static final int[] PCI_NODES = {1, 0};

    static final String THREAD_RULE = """
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    /** Four devices, two per node, given by hand; MPOL_BIND. */
    static final String STATIC_BIND = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            binding:
              memory: bind
            """ + THREAD_RULE;

    /**
     * The guest's real PCI functions, the second in NVML's 8-digit-domain form: the agent must read
     * numa_node from the kernel's sysfs (0000:31:00.0). MPOL_PREFERRED.
     */
    static final String PCI_PREFERRED = """
            devices:
              source: pci
              pci: ["%s", "0000%s"]
            binding:
              memory: preferred
            """.formatted(GuestTopology.pciBusId(0), GuestTopology.pciBusId(1)) + THREAD_RULE;

    static final String THREAD_CLASS = """
            devices:
              source: static
              nodes: [0, 1]
            binding:
              memory: bind
            rules:
              - name: engine-workers
                thread-class: "numa.testapp.EngineWorker"
                node: 1
            """;

    static String process(String target) {
        return """
                devices:
                  source: static
                  nodes: [0, 1]
                binding:
                  memory: bind
                process:
                  %s
                """.formatted(target);
    }

    /** Node 0 has two devices, node 1 one: shares {0}, {1} and {2,3}. */
    static final String EXCLUSIVE = """
            devices:
              source: static
              nodes: [0, 0, 1]
            binding:
              cpus: exclusive
              memory: preferred
            """ + THREAD_RULE;

    static final String PREFERRED_NODE_1 = """
            devices:
              source: static
              nodes: [1]
            binding:
              memory: preferred
            """ + THREAD_RULE;

    static final String STATIC_PREFERRED = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            binding:
              memory: preferred
            """ + THREAD_RULE;

    /** Devices alternate between the nodes, so the two running workers and the two late ones each cover both. */
    static final String OPS_ATTACH = """
            devices:
              source: static
              nodes: [0, 1, 0, 1]
            binding:
              memory: bind
            """ + THREAD_RULE;

    /** More than node 1 holds: MiB its worker allocates in the spill step. */
    static final int SPILL_MB = 768 + 128;
    /** What the cgroup of the partial-cpuset step allows: node 0 whole, one of node 1's two CPUs. */
    static final String PARTIAL_CPUSET = "0-2";
    /** MiB of each triad array and of the chase buffer in the guest (emulation is slow; placement is the point). */
    static final int BENCH_MB = 16;

    private static final Memo<GuestRun> RUN = new Memo<>(TwoNodeGuest::boot);

    private TwoNodeGuest() {
    }

    static GuestRun run() {
        return RUN.get();
    }

    static List<Jdk> jdks() {
        return Jdks.all();
    }

    private static GuestRun boot() {
        GuestBatch batch = new GuestBatch("two-node", TOPOLOGY);
        for (Jdk jdk : Jdks.all()) {
            batch.add(GuestStep.jvm(Jdks.name("thread-bind", jdk), jdk).config(STATIC_BIND)
                    .app("--devices=4", "--pool=1", "--touch-mb=16", "--touch-others-mb=4", "--json"));
            batch.add(GuestStep.jvm(Jdks.name("pci-preferred", jdk), jdk).config(PCI_PREFERRED)
                    .app("--devices=2", "--pool=1", "--touch-mb=16", "--json"));
            batch.add(GuestStep.jvm(Jdks.name("process", jdk), jdk)
                    .config(process(jdk.feature() >= 22 ? "device: 1" : "node: 1"))
                    .app("--devices=2", "--pool=1", "--tasks", "--touch-mb=8", "--touch-others-mb=8", "--json"));
        }
        batch.add(GuestStep.jvm("thread-class", Jdks.newest()).config(THREAD_CLASS)
                .app("--worker-class", "--devices=2", "--pool=1", "--touch-mb=16", "--json"));
        batch.add(GuestStep.jvm("exclusive", Jdks.oldest()).config(EXCLUSIVE)
                .app("--devices=3", "--pool=1", "--touch-mb=8", "--json"));
        batch.add(GuestStep.jvm("cpuset-partial-node", Jdks.oldest()).config(STATIC_PREFERRED)
                .inCpuset(PARTIAL_CPUSET, "0-1").app("--devices=4", "--pool=1", "--touch-mb=8", "--json"));
        batch.add(GuestStep.jvm("cpuset-without-node-1-memory", Jdks.newest()).config(STATIC_PREFERRED)
                .inCpuset("0-3", "0").app("--devices=4", "--pool=1", "--touch-mb=8", "--json"));
        batch.add(GuestStep.shell("ops-status-attach", opsScript(Jdks.newest())).config(OPS_ATTACH));
        // alone: fills node 1
        batch.add(GuestStep.jvm("preferred-spills", Jdks.newest()).config(PREFERRED_NODE_1).alone()
                .jvmOption("-XX:MaxDirectMemorySize=4g")
                .app("--devices=1", "--pool=0", "--touch-mb=" + SPILL_MB, "--json"));
        batch.add(GuestStep.jvm("numa-benefit", Jdks.oldest()).config(benchConfig()).alone()
                .jvmOption("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
                .mainClass(GuestBatch.jar("numa.vm.benchJar") + ":" + GuestBatch.jar("numa.it.testappJar"), "numa.bench.NumaBenefit")
                .app("--devices=2", "--mb=" + BENCH_MB, "--chase-mb=" + BENCH_MB, "--reps=3"));
        return batch.boot();
    }

    /**
     * The command line as an operator runs it on a real 2-node kernel: {@code status} of an engine
     * started with the agent (static_bind.yaml, written as status-config.yaml), then {@code attach}
     * to an engine started without it, its tasks' CPUs read from outside right after, late workers
     * started, and {@code status} again. Every output stays in the step folder for the test.
     */
    static String opsScript(Jdk jdk) {
        String java = jdk.java() + " -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0";
        String agent = GuestBatch.jar("numa.it.agentJar").toString();
        String app = GuestBatch.jar("numa.it.testappJar").toString();
        String await = "until grep -q \"$2\" \"$1\"; do kill -0 $3 2>/dev/null || return 1; sleep 0.5; done";
        return String.join("\n",
                // the guest's init leaves the loopback interface down, and the JVM's local JMX connector
                // is RMI over it (where it is down, status and attach fall back to jcmd and /proc)
                "ip link set lo up 2>/dev/null || busybox ip link set lo up 2>/dev/null || true",
                "await() { " + await + "; }",
                "mkdir -p c1 c2",
                "printf '%s' '" + STATIC_BIND.replace("'", "'\\''") + "' > status-config.yaml",
                java + " -javaagent:" + agent + "=config=$PWD/status-config.yaml -jar " + app
                        + " --devices=4 --pool=1 --touch-mb=16 --hold-ms=900000 --control-dir=c1 --json > app1.json 2> app1.err &",
                "P1=$!",
                "await app1.err 'testapp: pid=' $P1",
                java + " -jar " + agent + " status $P1 --json > status.json 2> status.err; echo $? > status.rc",
                "touch c1/release; wait $P1; echo $? > app1.rc",
                java + " -jar " + app + " --devices=2 --pool=1 --touch-mb=16 --late-workers=2 --control-dir=c2"
                        + " --hold-ms=900000 --json > app2.json 2> app2.err &",
                "P2=$!",
                "await app2.err 'testapp: pid=' $P2",
                java + " -jar " + agent + " attach $P2 $PWD/numa.yaml --json > attach.json 2> attach.err; echo $? > attach.rc",
                "for d in /proc/$P2/task/*; do echo \"$(cat $d/comm) $(awk '/Cpus_allowed_list/ {print $2}' $d/status)\"; done"
                        + " > tasks-after-attach.txt",
                "touch c2/start-late",
                "await app2.err 'late workers reported' $P2",
                java + " -jar " + agent + " status $P2 --json > status2.json 2> status2.err; echo $? > status2.rc",
                "touch c2/release; wait $P2; echo $? > app2.rc",
                "");
    }

    /** The benchmark's shipped config, its devices made two given by hand: device 0 on node 0, device 1 on node 1. */
    static String benchConfig() {
        try {
            String shipped = java.nio.file.Files.readString(GuestBatch.jar("numa.vm.benchConfig"));
            String config = shipped.replaceFirst("(?m)^  source: auto.*$", "  source: static\n  nodes: [0, 1]");
            if (config.equals(shipped)) {
                throw new IllegalStateException("bench/numa-benefit.yaml no longer says 'source: auto'; update TwoNodeGuest");
            }
            return config;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
