package numa.vm.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Many checks, one boot: the steps of one guest topology are written as scripts into a work folder
 * that the guest shares read-write, one {@code vm/numa-vm} call boots the guest, which first records
 * its own topology ({@code facts.txt}) and then runs the steps (several at a time, then the ones
 * that need the guest alone), and the results are read back from the folder. A JVM in the guest
 * starts ~30x slower than here, so a boot is cheap (seconds) and each step is what costs.
 */
public final class GuestBatch {
    /** Facts first: what the guest's kernel says of nodes, CPUs, PCI functions, cgroups. */
    private static final String FACTS = """
            {
              echo "kernel $(uname -r)"
              echo "settings numa_balancing=$(cat /proc/sys/kernel/numa_balancing 2>/dev/null) thp=$(grep -o '\\[[a-z]*\\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"
              for n in /sys/devices/system/node/node[0-9]*; do
                echo "node ${n##*node} cpus=$(cat $n/cpulist) memkb=$(awk '/MemTotal/{print $4}' $n/meminfo) distance=$(tr ' ' , < $n/distance)"
              done
              for d in /sys/bus/pci/devices/*; do
                echo "pci ${d##*/} vendor=$(cat $d/vendor) device=$(cat $d/device) class=$(cat $d/class) node=$(cat $d/numa_node)"
              done
              for c in /sys/devices/system/cpu/cpu[0-9]*; do
                echo "cpu ${c##*cpu} siblings=$(cat $c/topology/thread_siblings_list 2>/dev/null)"
              done
              echo "process cpus=$(awk '/^Cpus_allowed_list/{print $2}' /proc/self/status) mems=$(awk '/^Mems_allowed_list/{print $2}' /proc/self/status)"
              echo "cgroup controllers=$(tr ' ' , < /sys/fs/cgroup/cgroup.controllers 2>/dev/null)"
            } > facts.txt 2>&1
            """;

    private static boolean timingsStarted;

    private final String label;
    private final GuestTopology topology;
    private final List<GuestStep> steps = new ArrayList<>();
    private int timeoutSeconds = 2400;

    public GuestBatch(String label, GuestTopology topology) {
        this.label = label;
        this.topology = topology;
    }

    public GuestBatch add(GuestStep step) {
        if (steps.stream().anyMatch(s -> s.name().equals(step.name()))) {
            throw new IllegalArgumentException("two steps named " + step.name());
        }
        steps.add(step);
        return this;
    }

    public GuestBatch timeoutSeconds(int seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** How many steps share the guest at once: {@code numa.vm.parallel}, else this machine's CPUs (at most 3). */
    static int parallelism(GuestTopology topology) {
        String p = System.getProperty("numa.vm.parallel", System.getenv().getOrDefault("NUMA_VM_PARALLEL", ""));
        if (!p.isBlank()) {
            return Math.max(1, Integer.parseInt(p.trim()));
        }
        int guestCpus = topology.cpus().stream().mapToInt(Integer::intValue).sum();
        return Math.max(1, Math.min(Math.min(Runtime.getRuntime().availableProcessors(), guestCpus), 3));
    }

    /** Boots the guest, runs every step, and returns what happened; throws when the guest itself failed. */
    public GuestRun boot() {
        String why = VmScript.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("no QEMU guest can boot here (" + why + "), and the multi-node suite is required"
                    + " (numa.vm.required / NUMA_VM_REQUIRED): " + VmScript.howToGetOne());
        }
        try {
            return bootUnchecked();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while guest " + label + " ran", e);
        }
    }

    private GuestRun bootUnchecked() throws IOException, InterruptedException {
        Path dir = workDir().resolve(label);
        deleteTree(dir);
        Files.createDirectories(dir.resolve("steps"));
        Path agentJar = jar("numa.it.agentJar");
        Path testappJar = jar("numa.it.testappJar");
        for (GuestStep s : steps) {
            Path stepDir = Files.createDirectories(dir.resolve("steps").resolve(s.name()));
            if (s.configText() != null) {
                Files.writeString(stepDir.resolve("numa.yaml"), s.configText());
            }
            Files.writeString(stepDir.resolve("cmd.sh"), s.script(stepDir, agentJar, testappJar));
        }
        int parallel = parallelism(topology);
        Files.writeString(dir.resolve("batch.sh"), batchScript(dir, parallel));

        List<String> command = new ArrayList<>();
        command.add(VmScript.script().toString());
        command.addAll(topology.scriptArgs());
        // The guest mounts a fresh tmpfs on /tmp: a checkout under /tmp (as CI's may be) would be
        // invisible there, so the project itself is shared too, at the same path.
        Path projectRoot = agentJar.toAbsolutePath().getParent().getParent().getParent();
        command.addAll(List.of("-w", projectRoot.toString()));
        command.addAll(List.of("-w", dir.toString(), "-t", Integer.toString(timeoutSeconds), "--", "bash", dir.resolve("batch.sh").toString()));
        Files.writeString(dir.resolve("command.txt"), String.join(" ", command) + "\n");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("guest-stdout.txt").toFile())
                .redirectError(dir.resolve("guest-stderr.txt").toFile());
        pb.environment().put("NUMA_VM_INSTALL", "0"); // a test never installs packages; .ci/run does
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds + 120L, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        double took = (System.nanoTime() - start) / 1e9;
        String guestErr = read(dir.resolve("guest-stderr.txt"));
        Path facts = dir.resolve("facts.txt");
        if (!Files.isRegularFile(facts) || Files.size(facts) == 0) {
            throw new IllegalStateException("guest " + label + " (" + topology + ") did not run its batch: vm/numa-vm exit "
                    + (p.isAlive() ? "none (killed)" : p.exitValue()) + " after " + Math.round(took) + " s\n--- command: "
                    + String.join(" ", command) + "\n--- its stderr:\n" + guestErr);
        }
        String timeline = read(dir.resolve("timeline.txt"));
        Map<String, double[]> times = parseTimeline(timeline);
        Map<String, StepResult> results = new LinkedHashMap<>();
        for (GuestStep s : steps) {
            Path stepDir = dir.resolve("steps").resolve(s.name());
            String rcText = read(stepDir.resolve("rc")).trim();
            double[] t = times.getOrDefault(s.name(), new double[] {0, 0});
            results.put(s.name(), new StepResult(s, stepDir, rcText.isEmpty() ? -1 : Integer.parseInt(rcText),
                    read(stepDir.resolve("stdout.txt")), read(stepDir.resolve("stderr.txt")), t[1] - t[0],
                    read(stepDir.resolve("cpuset.txt"))));
        }
        GuestRun run = new GuestRun(label, topology, dir, GuestFacts.parse(read(facts)), results, took, timeline, guestErr);
        recordTimes(run, parallel);
        return run;
    }

    private String batchScript(Path dir, int parallel) {
        StringBuilder b = new StringBuilder("#!/bin/bash\n# guest ").append(label).append(": ").append(topology)
                .append("\n# generated by GuestBatch; runs inside the guest\n")
                .append("cd ").append(GuestStep.q(dir.toString())).append(" || exit 99\n")
                .append("unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS CUDA_VISIBLE_DEVICES\n")
                .append("for v in $(compgen -e); do case $v in NUMA_AGENT_*) unset \"$v\";; esac; done\n")
                .append("up() { cut -d' ' -f1 /proc/uptime; }\n")
                .append("echo \"booted $(up)\" > timeline.txt\n")
                .append(FACTS)
                .append("grep -qw cpuset /sys/fs/cgroup/cgroup.controllers 2>/dev/null && echo +cpuset > /sys/fs/cgroup/cgroup.subtree_control\n")
                .append("step() { local d=steps/$1 s; s=$(up); bash \"$d/cmd.sh\" > \"$d/stdout.txt\" 2> \"$d/stderr.txt\"; echo $? > \"$d/rc\";"
                        + " echo \"$1 $s $(up)\" >> timeline.txt; }\n");
        b.append("# steps that share the guest, ").append(parallel).append(" at a time\n");
        for (GuestStep s : steps) {
            if (!s.isAlone()) {
                b.append("while [ \"$(jobs -rp | wc -l)\" -ge ").append(parallel).append(" ]; do wait -n; done; step ")
                        .append(s.name()).append(" &\n");
            }
        }
        b.append("wait\n# steps that need the guest to themselves\n");
        for (GuestStep s : steps) {
            if (s.isAlone()) {
                b.append("step ").append(s.name()).append('\n');
            }
        }
        b.append("echo \"done $(up)\" >> timeline.txt\n");
        return b.toString();
    }

    private static Map<String, double[]> parseTimeline(String timeline) {
        Map<String, double[]> times = new LinkedHashMap<>();
        for (String line : timeline.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3) {
                times.put(w[0], new double[] {Double.parseDouble(w[1]), Double.parseDouble(w[2])});
            }
        }
        return times;
    }

    /** Appends this boot's times to {@code timings.txt} in the work folder and says them on stdout. */
    private static void recordTimes(GuestRun run, int parallel) throws IOException {
        StringBuilder s = new StringBuilder(String.format("guest %s: %.0f s on this machine, %d steps (%d at a time); %s%n",
                run.label(), run.hostSeconds(), run.steps().size(), parallel, run.topology()));
        for (StepResult r : run.steps().values()) {
            s.append(String.format("  %-28s %6.1f s in the guest, exit %d%n", r.name(), r.seconds(), r.rc()));
        }
        System.out.print(s);
        synchronized (GuestBatch.class) {
            if (!timingsStarted) { // one file per test run: the first boot starts it afresh
                Files.deleteIfExists(workDir().resolve("timings.txt"));
                timingsStarted = true;
            }
            Files.writeString(workDir().resolve("timings.txt"), s, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    static Path workDir() {
        String base = System.getProperty("numa.vm.workDir");
        if (base == null) {
            throw new IllegalStateException("system property numa.vm.workDir is not set (surefire sets it; see vm-it/pom.xml)");
        }
        try {
            return Files.createDirectories(Path.of(base).toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path jar(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (surefire sets it; see vm-it/pom.xml)");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " (" + property + ") does not exist: build it first (mvn -B package)");
        }
        return path;
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file) : "";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
