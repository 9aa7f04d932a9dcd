package numa.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Launches one real JVM the way a user would: {@code java [options] -javaagent:numa-agent.jar=ARGS
 * -jar testapp.jar [app args]}, with a timeout, its output captured to files in the run folder
 * (kept for inspection) and returned as a {@link RunResult}.
 *
 * <p>The environment is the test JVM's minus anything that would change the outcome behind the
 * test's back: {@code NUMA_AGENT_*} keys (they override the agent argument), the accelerator
 * families' visibility variables (CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES, ...),
 * and the JVM option variables (they also make the JVM print "Picked up ..." on stderr).
 */
public final class JvmRun {
    private static final List<String> SCRUBBED = List.of("CUDA_VISIBLE_DEVICES", "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS",
            // the other families' visibility variables, read by default like CUDA_VISIBLE_DEVICES
            "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "ASCEND_RT_VISIBLE_DEVICES", "MLU_VISIBLE_DEVICES",
            "CAMBRICON_VISIBLE_DEVICES", "ZE_AFFINITY_MASK", "HABANA_VISIBLE_MODULES");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Jdk jdk;
    private final Path dir;
    private final Map<String, String> agentArgs = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> appArgs = new ArrayList<>();
    private final List<String> wrapper = new ArrayList<>();
    private boolean agent = true;
    private String classpath;
    private String mainClass;
    private String modulePath;
    private String mainModule;

    private JvmRun(Jdk jdk, Path dir) {
        this.jdk = jdk;
        this.dir = dir;
    }

    /** A run on {@code jdk} whose files (config, output) go to {@code dir}. */
    public static JvmRun on(Jdk jdk, Path dir) {
        return new JvmRun(jdk, dir);
    }

    /** Writes {@code yaml} to {@code numa.yaml} in the run folder and passes it as {@code config=}. */
    public JvmRun config(String yaml) {
        Path file = dir.resolve("numa.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return agentArg("config", file.toString());
    }

    /** Writes {@code topology} under the run folder and passes it as {@code sysfs=}. */
    public JvmRun sysfs(FakeTopology topology) {
        return agentArg("sysfs", topology.writeTo(dir.resolve("sys")).toString());
    }

    /** One {@code key=value} of the agent argument; order is kept. */
    public JvmRun agentArg(String key, String value) {
        agentArgs.put(key, value);
        return this;
    }

    public JvmRun jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public JvmRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs the JVM through a program that takes a command, e.g. {@code taskset -c 1}. */
    public JvmRun wrappedIn(String... command) {
        wrapper.addAll(List.of(command));
        return this;
    }

    /** The run folder: where {@link #config} and {@link #sysfs} write their files. */
    public Path dir() {
        return dir;
    }

    /**
     * {@code -javaagent:numa-agent.jar=config=...,sysfs=...} with this run's config and fake sysfs
     * (call {@link #config} and {@link #sysfs} first): what a spawned JVM needs to run the same agent.
     */
    public String agentOption() {
        return "-javaagent:" + Artifacts.agentJar() + "=" + agentArgs.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    public JvmRun app(String... args) {
        appArgs.addAll(List.of(args));
        return this;
    }

    /** Runs {@code mainClass} from {@code classpath} instead of testapp.jar. */
    public JvmRun mainClass(String classpath, String mainClass) {
        this.classpath = classpath;
        this.mainClass = mainClass;
        return this;
    }

    /** Runs {@code -p modulePath -m mainModule} ({@code app/app.Main}) instead of testapp.jar. */
    public JvmRun module(String modulePath, String mainModule) {
        this.modulePath = modulePath;
        this.mainModule = mainModule;
        return this;
    }

    private static final List<String> JVM_LOG_TO_STDERR = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");

    /** The same command without {@code -javaagent}: the baseline a test compares with. */
    public JvmRun withoutAgent() {
        agent = false;
        return this;
    }

    /** Runs to the end (or the timeout). */
    public RunResult run() {
        return start().await();
    }

    /**
     * Starts the JVM and returns at once, for tests that look at it from outside while it runs
     * (with the engine's {@code --hold-ms}: see {@link RunningJvm#awaitHolding()}).
     */
    public RunningJvm start() {
        List<String> command = new ArrayList<>(wrapper);
        command.add(jdk.java().toString());
        // The JVM's own warnings go to stdout by default, where the engine writes its JSON; JVMs
        // started at once race on their hsperfdata locks and warn there ("Cannot use file
        // /tmp/hsperfdata_root/N because it is locked by another process"). Send them to stderr.
        command.addAll(JVM_LOG_TO_STDERR);
        command.addAll(jvmOptions);
        if (agent) {
            String args = agentArgs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
            command.add("-javaagent:" + Artifacts.agentJar() + (args.isEmpty() ? "" : "=" + args));
        }
        if (mainModule != null) {
            command.add("-p");
            command.add(modulePath);
            command.add("-m");
            command.add(mainModule);
        } else if (mainClass != null) {
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
        } else {
            command.add("-jar");
            command.add(Artifacts.testappJar().toString());
        }
        command.addAll(appArgs);

        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("NUMA_AGENT_") || SCRUBBED.contains(k));
        environment.putAll(env);
        String shown = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + " ")
                .collect(Collectors.joining()) + String.join(" ", command);
        try {
            Files.writeString(dir.resolve("command.txt"), shown + "\n");
            return new RunningJvm(pb.start(), System.nanoTime(), shown, jdk, stdout, stderr, TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
