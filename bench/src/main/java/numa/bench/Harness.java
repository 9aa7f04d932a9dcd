package numa.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures what the agent adds, against a plain JVM measured in the same run, on each JDK found:
 * start-up of a hello-world main (wall time, median of many runs, plain and agent runs
 * interleaved so drift hits both), its peak RSS, and the cost of a Thread.start that a rule
 * matches and of one that no rule matches.
 *
 * <p>The agent runs on this machine's real /sys with {@code source: static} devices on node 0, so a
 * matched start binds for real but needs no migration (the target "when no migration is needed").
 */
public final class Harness {
    private final Path agentJar;
    private final Path benchJar;
    private final Path work;
    private final int runs;

    private Harness(Path agentJar, Path benchJar, Path work, int runs) {
        this.agentJar = agentJar;
        this.benchJar = benchJar;
        this.work = work;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        Path agent = Path.of("agent/target/numa-agent.jar");
        int runs = 31;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--agent")) {
                agent = Path.of(args[++i]);
            } else if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--only")) {
                only = args[++i];
            }
        }
        Path bench = Path.of(Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path work = Files.createTempDirectory("numa-bench");
        new Harness(agent.toAbsolutePath(), bench, work, runs).run(only);
    }

    /** @param only null for every section, else one of {@code startup}, {@code pool}, {@code thread}, {@code method} */
    private void run(String only) throws Exception {
        Path config = work.resolve("bench.yaml");
        Files.writeString(config, String.join("\n",
                "devices:", "  source: static", "  nodes: [0, 0, 0, 0]",
                "rules:", "  - name: gpu-workers", "    thread: \"gpu-worker-(\\\\d+)\"", "    device: \"$1\"", ""));
        Path empty = work.resolve("empty.yaml");
        Files.writeString(empty, "binding:\n  cpus: node\n");
        for (String javaHome : javaHomes()) {
            String java = javaHome + "/bin/java";
            String version = version(java);
            System.out.println("== " + version + " (" + javaHome + ")");
            if (only == null || only.equals("startup")) {
                startup(java, config, empty);
            }
            if (only == null || only.equals("pool")) {
                poolAtMain(java, config);
            }
            if (only == null || only.equals("thread")) {
                threadStart(java, config);
            }
            if (only == null || only.equals("method")) {
                MethodBench.run(java, agentJar, benchJar, work);
            }
        }
    }

    private void startup(String java, Path config, Path empty) throws Exception {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("plain", List.of());
        variants.put("agent, no rules", List.of("-javaagent:" + agentJar + "=" + empty));
        variants.put("agent, thread rule", List.of("-javaagent:" + agentJar + "=" + config));
        Map<String, long[]> wall = new HashMap<>();
        Map<String, long[]> toMain = new HashMap<>();
        Map<String, long[]> rss = new HashMap<>();
        int rssRuns = Math.max(3, runs / 3);
        variants.keySet().forEach(k -> {
            wall.put(k, new long[runs]);
            toMain.put(k, new long[runs]);
            rss.put(k, new long[rssRuns]);
        });
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                long t0 = System.nanoTime();
                Map<String, Long> out = hello(java, v.getValue(), false);
                wall.get(v.getKey())[r] = System.nanoTime() - t0;
                toMain.get(v.getKey())[r] = out.get("main") - t0;
                if (r < rssRuns) {
                    // after the agent's background start-up too: what a server carries
                    rss.get(v.getKey())[r] = hello(java, v.getValue(), true).get("rss");
                }
            }
        }
        long plainWall = median(wall.get("plain"));
        long plainMain = median(toMain.get("plain"));
        long plainRss = median(rss.get("plain"));
        System.out.printf("start-up, hello world, median of %d runs (peak RSS: %d runs, 1.5 s after main):%n", runs, rssRuns);
        for (String k : variants.keySet()) {
            long w = median(wall.get(k));
            long t = median(toMain.get(k));
            long m = median(rss.get(k));
            System.out.printf("  %-20s to main %6.1f ms (%+6.1f ms)   to exit %6.1f ms (%+6.1f ms, x%.2f)   peak RSS %6.1f MiB (%+5.1f MiB)%n",
                    k, t / 1e6, (t - plainMain) / 1e6, w / 1e6, (w - plainWall) / 1e6, (double) w / plainWall, m / 1024.0,
                    (m - plainRss) / 1024.0);
        }
    }

    /**
     * A 4-thread pool started at main's first instruction (no rule names its threads): time from
     * launch to all four started, with the config read in the background (thread rules only, the
     * default) and with it read at premain (the same rules and a method rule that names nothing,
     * which keeps the config at premain), against a plain JVM.
     */
    private void poolAtMain(String java, Path config) throws Exception {
        Path premainConfig = work.resolve("premain.yaml");
        Files.writeString(premainConfig, Files.readString(config)
                + "  - name: keeps-the-config-at-premain\n    method: \"com.example.Nothing#nothing\"\n    node: 0\n");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("plain", List.of());
        variants.put("config in background", List.of("-javaagent:" + agentJar + "=" + config));
        variants.put("config at premain", List.of("-javaagent:" + agentJar + "=" + premainConfig));
        Map<String, long[]> toPool = new HashMap<>();
        variants.keySet().forEach(k -> toPool.put(k, new long[runs]));
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto"));
                cmd.addAll(v.getValue());
                cmd.addAll(List.of("-cp", benchJar.toString(), "numa.bench.PoolAtMain"));
                long t0 = System.nanoTime();
                toPool.get(v.getKey())[r] = loop(cmd).get("pool") - t0;
            }
        }
        long plain = median(toPool.get("plain"));
        System.out.printf("4-thread pool started at main, launch to all started, median of %d runs:%n", runs);
        for (String k : variants.keySet()) {
            long t = median(toPool.get(k));
            System.out.printf("  %-22s %7.1f ms (%+6.1f ms)%n", k, t / 1e6, (t - plain) / 1e6);
        }
    }

    /** One run of Hello: its "main NANOS" and "rss KB" lines. */
    private Map<String, Long> hello(String java, List<String> agent, boolean settle) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xshare:auto"));
        cmd.addAll(agent);
        cmd.addAll(List.of("-cp", benchJar.toString(), "numa.bench.Hello"));
        if (settle) {
            cmd.add("--settle");
        }
        return loop(cmd);
    }

    private void threadStart(String java, Path config) throws Exception {
        Map<String, Long> plain = loop(List.of(java, "-cp", benchJar.toString(), "numa.bench.ThreadStartLoop"));
        Map<String, Long> quiet = loop(List.of(java, "-javaagent:" + agentJar + "=config=" + config + ",log-level=warn",
                "-cp", benchJar.toString(), "numa.bench.ThreadStartLoop"));
        Map<String, Long> logged = loop(List.of(java, "-javaagent:" + agentJar + "=" + config,
                "-cp", benchJar.toString(), "numa.bench.ThreadStartLoop"));
        System.out.println("Thread.start, medians (ns per thread):");
        for (String k : List.of("start_join_unmatched", "start_join_matched")) {
            System.out.printf("  %-22s plain %8d   agent %8d (%+6d)   agent+log line %8d (%+6d)%n", k,
                    plain.get(k), quiet.get(k), quiet.get(k) - plain.get(k), logged.get(k), logged.get(k) - plain.get(k));
        }
        for (String k : List.of("hook_unmatched", "hook_matched")) {
            System.out.printf("  %-22s agent adds %6d ns   (with its log line to a pipe: %6d ns)%n", k, quiet.get(k), logged.get(k));
        }
    }

    private Map<String, Long> loop(List<String> cmd) throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (String line : exec(cmd).split("\n")) {
            String[] kv = line.trim().split(" ");
            if (kv.length == 2 && kv[1].matches("-?\\d+")) {
                out.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return out;
    }

    private String exec(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue());
        }
        return out;
    }

    private static String version(String java) throws Exception {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")[0];
        p.waitFor();
        return first;
    }

    /** This JVM's JDK, and Temurin 25 when the machine has it. */
    private static List<String> javaHomes() {
        List<String> homes = new ArrayList<>(List.of(System.getProperty("java.home")));
        File jvms = new File("/usr/lib/jvm");
        String[] names = jvms.list();
        if (names != null) {
            Arrays.sort(names);
            for (String n : names) {
                if (n.startsWith("temurin-25") && new File(jvms, n + "/bin/java").canExecute()) {
                    homes.add(new File(jvms, n).getPath());
                }
            }
        }
        return homes;
    }

    static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
