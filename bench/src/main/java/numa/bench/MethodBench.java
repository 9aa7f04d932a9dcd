package numa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The method- and process-rule section of the harness (issue 3): {@link MethodCallLoop} in a plain
 * JVM and in one with the agent and a config whose rules name its methods and one command line.
 * The agent binds on this machine's real /sys to node 0, so nothing migrates.
 */
public final class MethodBench {
    private MethodBench() {
    }

    /** This section alone: {@code java -cp bench/target/bench.jar numa.bench.MethodBench [--agent JAR] [--java JAVA]}. */
    public static void main(String[] args) throws Exception {
        Path agent = Path.of("agent/target/numa-agent.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--agent")) {
                agent = Path.of(args[i + 1]);
            } else if (args[i].equals("--java")) {
                java = args[i + 1];
            }
        }
        Path bench = Path.of(MethodBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        run(java, agent.toAbsolutePath(), bench, Files.createTempDirectory("numa-bench"));
    }

    static void run(String java, Path agentJar, Path benchJar, Path work) throws Exception {
        Path config = work.resolve("methods.yaml");
        Files.writeString(config, String.join("\n",
                "devices:", "  source: static", "  nodes: [0]",
                "rules:",
                "  - name: scoped", "    method: numa.bench.MethodCallLoop$Target#scoped", "    node: 0", "    bind: children",
                "  - name: bound", "    method: numa.bench.MethodCallLoop$Target#bound", "    node: 0", "    bind: call",
                "  - name: spawned", "    process: '/bin/true matched'", "    node: 0", ""));
        String open = "--add-opens=java.base/java.lang=ALL-UNNAMED"; // the process hooks, measured alone
        Map<String, Long> plain = loop(List.of(java, open, "-cp", benchJar.toString(), "numa.bench.MethodCallLoop"));
        Map<String, Long> agent = loop(List.of(java, open, "-javaagent:" + agentJar + "=config=" + config + ",log-level=warn",
                "-cp", benchJar.toString(), "numa.bench.MethodCallLoop"));
        System.out.println("method rules, medians (ns per call; the plain JVM has no rule, so all three are unadvised there):");
        for (String k : List.of("call_plain", "call_children", "call_call")) {
            System.out.printf("  %-16s plain %8.2f   agent %8.2f (%+8.2f)%n", k, plain.get(k) / 1000.0, agent.get(k) / 1000.0,
                    (agent.get(k) - plain.get(k)) / 1000.0);
        }
        System.out.printf("  children rule, nothing started: %+.2f ns a call over the unadvised method in the same JVM%n",
                (agent.get("call_children") - agent.get("call_plain")) / 1000.0);
        System.out.println("process rules, medians (us per ProcessBuilder.start + waitFor of /bin/true):");
        for (String k : List.of("spawn_unmatched", "spawn_matched")) {
            System.out.printf("  %-16s plain %8.1f   agent %8.1f (%+7.1f)%n", k, plain.get(k) / 1000.0, agent.get(k) / 1000.0,
                    (agent.get(k) - plain.get(k)) / 1000.0);
        }
        System.out.printf("  the agent's part alone: %.2f us a start that a rule names (bind the caller, restore it),"
                + " %.3f us one no rule names%n", agent.get("process_hook_matched") / 1000.0,
                agent.get("process_hook_unmatched") / 1000.0);
    }

    private static Map<String, Long> loop(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue());
        }
        Map<String, Long> values = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.trim().split(" ");
            if (kv.length == 2 && kv[1].matches("-?\\d+")) {
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }
}
