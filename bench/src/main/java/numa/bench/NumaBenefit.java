package numa.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;

import numa.testapp.PageNodes;

/**
 * What binding buys: per worker, memory bandwidth (a STREAM-like triad, {@code a = b + s * c}) and
 * memory latency (a pointer chase through a random cycle of 64-byte lines), with the workers
 * <ul>
 * <li><b>bound</b> by the agent to their device's node (threads {@code numa-bench-bound-D}, bound by
 * a rule on that name: see {@code bench/numa-benefit.yaml}),</li>
 * <li><b>unbound</b> (threads no rule names: the scheduler and first touch decide), and</li>
 * <li><b>wrong</b>: bound on purpose to another node than the one the bound worker of the same device
 * ran on (threads {@code numa-bench-wrong-D-node-N}, bound by a rule that takes N from the name).</li>
 * </ul>
 * Each worker allocates and touches its own buffers after it starts, so they land under its own
 * memory policy; the benchmark then asks the kernel where the pages are (move_pages on JDK 22+,
 * /proc/self/pagemap as root) and prints it next to the figures: the placement proves the setup
 * measured what it claims, the ratios are the benefit. Workers of one mode run together, as an
 * engine's workers do.
 *
 * <p>Run by {@code bench/numa-benefit.sh}. In an emulated guest the figures mean nothing (guest
 * "nodes" are one host memory), only the placement does; on a multi-socket host both do.
 */
public final class NumaBenefit {
    private static final int LINE = 64;

    private final int devices;
    private final long triadBytes;
    private final long chaseBytes;
    private final int reps;
    private final Map<Integer, String> nodeCpus = nodeCpus();
    private final TreeSet<Integer> memoryNodes = memoryNodes();

    private NumaBenefit(int devices, long triadBytes, long chaseBytes, int reps) {
        this.devices = devices;
        this.triadBytes = triadBytes;
        this.chaseBytes = chaseBytes;
        this.reps = reps;
    }

    /** One worker's figures. {@code node}: the node its CPUs are on, -1 when they span several. */
    record Result(String mode, int device, String thread, String cpus, int node, String pages, int pagesNode,
                  double pagesShare, double triadGBs, double chaseNs) {
    }

    public static void main(String[] args) throws Exception {
        int devices = 2;
        long mb = 64;
        long chaseMb = 64;
        int reps = 5;
        for (String a : args) {
            if (a.startsWith("--devices=")) {
                devices = Integer.parseInt(a.substring(10));
            } else if (a.startsWith("--mb=")) {
                mb = Long.parseLong(a.substring(5));
            } else if (a.startsWith("--chase-mb=")) {
                chaseMb = Long.parseLong(a.substring(11));
            } else if (a.startsWith("--reps=")) {
                reps = Integer.parseInt(a.substring(7));
            } else {
                System.err.println("usage: NumaBenefit [--devices=N] [--mb=MiB per triad array] [--chase-mb=MiB] [--reps=R]");
                System.exit(2);
            }
        }
        if (mb < 1 || mb > 256 || chaseMb < 1 || chaseMb > 256 || devices < 1 || reps < 1) {
            System.err.println("numa-benefit: --mb and --chase-mb must be 1..256, --devices and --reps at least 1");
            System.exit(2);
        }
        new NumaBenefit(devices, mb << 20, chaseMb << 20, reps).run();
    }

    private void run() throws InterruptedException {
        System.out.printf(Locale.ROOT, "numa-benefit: %d workers per mode; each: triad over 3 x %d MiB, pointer chase over %d MiB"
                        + " (64-byte lines); best triad and median chase of %d; JDK %s; nodes %s%n",
                devices, triadBytes >> 20, chaseBytes >> 20, reps, Runtime.version(), nodeCpus);
        List<Result> bound = phase("bound", d -> "numa-bench-bound-" + d);
        List<Result> unbound = phase("unbound", d -> "numa-bench-unbound-" + d);
        boolean canBeWrong = bound.stream().allMatch(r -> otherNode(r.node()) >= 0);
        List<Result> wrong = canBeWrong
                ? phase("wrong", d -> "numa-bench-wrong-" + d + "-node-" + otherNode(bound.get(d).node()))
                : List.of();
        if (!canBeWrong) {
            System.out.println("wrong: skipped: it needs two nodes with CPUs and memory, and every bound worker on one node"
                    + " (bound workers' CPUs: " + bound.stream().map(Result::cpus).toList() + ")");
        }
        System.out.printf("%-8s %-6s %-10s %-4s %-22s %6s %11s %14s%n", "mode", "device", "cpus", "node", "pages(node:count)",
                "onnode", "triad_GB/s", "chase_ns/load");
        for (List<Result> rs : List.of(bound, unbound, wrong)) {
            for (Result r : rs) {
                System.out.printf(Locale.ROOT, "%-8s %-6d %-10s %-4s %-22s %5.0f%% %11.2f %14.1f%n", r.mode(), r.device(), r.cpus(),
                        r.node() < 0 ? "-" : Integer.toString(r.node()), r.pages(), 100 * r.pagesShare(), r.triadGBs(),
                        r.chaseNs());
            }
        }
        System.out.println("ratios per device (triad: bound/x, higher = binding helps; chase: x/bound, higher = binding helps):");
        for (int d = 0; d < devices; d++) {
            Result b = bound.get(d);
            System.out.printf(Locale.ROOT, "device %d: triad bound/unbound %.2f bound/wrong %s; chase unbound/bound %.2f"
                            + " wrong/bound %s%n", d, b.triadGBs() / unbound.get(d).triadGBs(),
                    wrong.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", b.triadGBs() / wrong.get(d).triadGBs()),
                    unbound.get(d).chaseNs() / b.chaseNs(),
                    wrong.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", wrong.get(d).chaseNs() / b.chaseNs()));
        }
        System.out.printf(Locale.ROOT, "all: triad sum bound %.2f unbound %.2f wrong %.2f GB/s; chase mean bound %.1f unbound %.1f"
                        + " wrong %.1f ns%n", sum(bound), sum(unbound), sum(wrong), mean(bound), mean(unbound), mean(wrong));
        boolean placedBound = bound.stream().allMatch(r -> r.node() >= 0 && r.pagesNode() == r.node() && r.pagesShare() == 1.0);
        boolean placedWrong = !wrong.isEmpty() && wrong.stream().allMatch(r -> r.node() >= 0
                && r.node() != bound.get(r.device()).node() && r.pagesNode() == r.node() && r.pagesShare() == 1.0);
        System.out.println("placement: bound workers on their node with all pages there: " + (placedBound ? "yes" : "NO")
                + "; wrong workers on another node with all pages there: " + (wrong.isEmpty() ? "not run" : placedWrong ? "yes" : "NO")
                + (placedBound ? "" : " (is the agent attached with bench/numa-benefit.yaml's rules?)"));
    }

    private interface Namer {
        String name(int device);
    }

    private List<Result> phase(String mode, Namer namer) throws InterruptedException {
        Result[] results = new Result[devices];
        CyclicBarrier barrier = new CyclicBarrier(devices);
        Thread[] threads = new Thread[devices];
        Throwable[] failure = new Throwable[1];
        for (int d = 0; d < devices; d++) {
            int device = d;
            String name = namer.name(d);
            threads[d] = new Thread(() -> {
                try {
                    results[device] = work(mode, device, barrier);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }, name);
            threads[d].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException(mode + " worker failed", failure[0]);
        }
        return Arrays.asList(results);
    }

    /** The body of one worker: allocate (first touch on this thread), locate, measure. */
    private Result work(String mode, int device, CyclicBarrier barrier) throws Exception {
        String cpus = ownCpus();
        int node = nodeOf(cpus);
        List<ByteBuffer> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(PageNodes.allocateTouched(triadBytes)); // one buffer each: sizes are at most 256 MiB
        }
        all.addAll(PageNodes.allocateTouched(chaseBytes));
        PageNodes.Placement placed = PageNodes.where(all, 3 * triadBytes + chaseBytes);
        Map<Integer, Long> pages = placed.pages();
        int mainNode = placed.mainNode();
        long total = pages == null ? 0 : pages.values().stream().mapToLong(Long::longValue).sum();
        double share = pages == null || total == 0 ? 0 : (double) pages.getOrDefault(mainNode, 0L) / total;

        DoubleBuffer a = doubles(all.get(0));
        DoubleBuffer b = doubles(all.get(1));
        DoubleBuffer c = doubles(all.get(2));
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, 1.0);
            c.put(i, 2.0);
        }
        ByteBuffer chase = all.get(3);
        int chaseStart = buildChase(chase);
        barrier.await();
        double bestTriad = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            triad(a, b, c, 3.0);
            long t = System.nanoTime() - t0;
            bestTriad = Math.max(bestTriad, 3.0 * a.capacity() * Double.BYTES / t);
        }
        barrier.await();
        double[] chaseNs = new double[reps];
        int steps = (int) Math.min(4_000_000, Math.max(100_000, chaseBytes / LINE * 2));
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            int sink = chase(chase, chaseStart, steps);
            chaseNs[r] = (double) (System.nanoTime() - t0) / steps + (sink == Integer.MIN_VALUE ? 1 : 0);
        }
        Arrays.sort(chaseNs);
        return new Result(mode, device, Thread.currentThread().getName(), cpus, node,
                PageNodes.Placement.format(pages), mainNode, share, bestTriad, chaseNs[reps / 2]);
    }

    private static DoubleBuffer doubles(ByteBuffer bytes) {
        return bytes.duplicate().order(java.nio.ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    private static void triad(DoubleBuffer a, DoubleBuffer b, DoubleBuffer c, double s) {
        int n = Math.min(a.capacity(), Math.min(b.capacity(), c.capacity()));
        for (int i = 0; i < n; i++) {
            a.put(i, b.get(i) + s * c.get(i));
        }
    }

    /** A random cycle through every 64-byte line of {@code buf} (Sattolo's shuffle); returns the start line. */
    private static int buildChase(ByteBuffer buf) {
        int lines = buf.capacity() / LINE;
        int[] order = new int[lines];
        for (int i = 0; i < lines; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = lines - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < lines; i++) {
            buf.putInt(order[i] * LINE, order[(i + 1) % lines]);
        }
        return order[0];
    }

    private static int chase(ByteBuffer buf, int start, int steps) {
        int line = start;
        for (int i = 0; i < steps; i++) {
            line = buf.getInt(line * LINE);
        }
        return line;
    }

    /** The next node after {@code home} that has CPUs and memory, or -1 (one node: no wrong node). */
    private int otherNode(int home) {
        List<Integer> candidates = nodeCpus.keySet().stream()
                .filter(n -> !nodeCpus.get(n).isEmpty() && memoryNodes.contains(n)).toList();
        if (home < 0 || candidates.size() < 2) {
            return -1;
        }
        int i = candidates.indexOf(home);
        return candidates.get((i + 1) % candidates.size());
    }

    private int nodeOf(String cpus) {
        TreeSet<Integer> mine = parse(cpus);
        int found = -1;
        for (Map.Entry<Integer, String> e : nodeCpus.entrySet()) {
            TreeSet<Integer> node = parse(e.getValue());
            if (!node.isEmpty() && node.containsAll(mine)) {
                found = e.getKey();
            }
        }
        return found;
    }

    private static String ownCpus() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(18).trim();
            }
        }
        return "?";
    }

    private static Map<Integer, String> nodeCpus() {
        Map<Integer, String> nodes = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/sys/devices/system/node"), "node[0-9]*")) {
            for (Path d : dirs) {
                nodes.put(Integer.parseInt(d.getFileName().toString().substring(4)), Files.readString(d.resolve("cpulist")).trim());
            }
        } catch (IOException e) {
            // not a NUMA kernel: no nodes
        }
        return nodes;
    }

    private static TreeSet<Integer> memoryNodes() {
        try {
            return parse(Files.readString(Path.of("/sys/devices/system/node/has_memory")).trim());
        } catch (IOException e) {
            return new TreeSet<>();
        }
    }

    private static TreeSet<Integer> parse(String list) {
        TreeSet<Integer> out = new TreeSet<>();
        if (list == null || list.isBlank() || list.equals("?")) {
            return out;
        }
        for (String part : list.split(",")) {
            String[] r = part.trim().split("-");
            int from = Integer.parseInt(r[0]);
            int to = r.length > 1 ? Integer.parseInt(r[1]) : from;
            for (int c = from; c <= to; c++) {
                out.add(c);
            }
        }
        return out;
    }

    private static double sum(List<Result> rs) {
        return rs.stream().mapToDouble(Result::triadGBs).sum();
    }

    private static double mean(List<Result> rs) {
        return rs.stream().mapToDouble(Result::chaseNs).average().orElse(0);
    }
}
