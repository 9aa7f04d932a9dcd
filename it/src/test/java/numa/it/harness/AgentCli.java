package numa.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it: {@code java -jar numa-agent.jar VERB ...} with the built jar,
 * in a JVM of its own on a given JDK, its output kept in a folder for inspection.
 */
public final class AgentCli {
    private AgentCli() {
    }

    /** What one command printed and returned; {@link #toString()} tells the whole story for assertions. */
    public record Result(List<String> command, int status, String out, String err) {
        /** stdout as JSON; fails with the story when it is not. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            try {
                return (Map<String, Object>) Json.parse(out);
            } catch (RuntimeException e) {
                throw new AssertionError("stdout is not JSON (" + e.getMessage() + ")" + this, e);
            }
        }

        @Override
        public String toString() {
            return "\n--- command: " + String.join(" ", command) + "\n--- exit: " + status + "\n--- stderr:\n" + err
                    + "--- stdout:\n" + out + "---\n";
        }
    }

    public static Result run(Jdk jdk, Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of(jdk.java().toString(), "-jar", Artifacts.agentJar().toString()));
        command.addAll(List.of(args));
        String label = args.length == 0 ? "cli" : args[0];
        try {
            Path out = Files.createTempFile(dir, label + "-", ".out");
            Path err = Files.createTempFile(dir, label + "-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("NUMA_AGENT_") || k.endsWith("_VISIBLE_DEVICES")
                    || k.equals("ZE_AFFINITY_MASK") || k.equals("HABANA_VISIBLE_MODULES")
                    || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
