package numa.vm.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import numa.it.harness.Jdk;

/**
 * One command a guest runs, in its own folder {@code steps/<name>/} under the batch's work folder
 * (stdout.txt, stderr.txt, rc, and whatever the command writes there). Mostly a JVM with the built
 * agent and the demo engine, as a user would launch it; optionally inside a cgroup v2 cpuset.
 * Steps run several at a time unless marked {@link #alone()} (memory filling, benchmarks).
 */
public final class GuestStep {
    /**
     * How every JVM in the guest runs:
     * <ul>
     * <li>{@code ArchiveRelocationMode=0}: under emulation JDK 25 spends seconds relocating its CDS
     * archive without it (harmless on 17).</li>
     * <li>{@code TieredStopAtLevel=1}: compiled code is never replaced by a better tier. Under TCG a
     * method being made not entrant (its entry patched to a jump while other vCPUs run it) once
     * crashed a JDK 25 JVM (SIGSEGV, #GP at the freshly written {@code jmp} of a C1 method's
     * verified entry, two threads at once; CI, thread-class step): cross-modifying code the
     * emulator got wrong, not the agent. With one tier that patching is all but gone, and the
     * C2 compiles TCG makes slow are too. The binding does not depend on the JIT.</li>
     * <li>{@code -Xlog:disable -Xlog:all=warning:stderr}: the JVM's own warnings go to stderr. By
     * default they go to stdout, where the engine writes its JSON, and JVMs started at once race
     * on their hsperfdata locks ("Cannot use file /tmp/hsperfdata_root/244 because it is locked
     * by another process"), which made a step's stdout something that was not JSON.</li>
     * </ul>
     */
    private static final List<String> GUEST_JVM_OPTIONS = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:ArchiveRelocationMode=0", "-XX:TieredStopAtLevel=1", "-Xlog:disable", "-Xlog:all=warning:stderr");

    private final String name;
    private final Jdk jdk;
    private String config;
    private final Map<String, String> agentArgs = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> appArgs = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String classpath;
    private String mainClass;
    private String jar;
    private boolean agent = true;
    private boolean alone;
    private String cgroupCpus;
    private String cgroupMems;
    private String shell;
    private int timeoutSeconds = 900;

    private GuestStep(String name, Jdk jdk) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("step name '" + name + "': letters, digits, . _ - only");
        }
        this.name = name;
        this.jdk = jdk;
    }

    /** A JVM on {@code jdk} with the agent and testapp.jar; name it after what it checks. */
    public static GuestStep jvm(String name, Jdk jdk) {
        return new GuestStep(name, jdk);
    }

    /** A plain shell command line (no JVM). */
    public static GuestStep shell(String name, String commandLine) {
        GuestStep s = new GuestStep(name, null);
        s.shell = commandLine;
        return s;
    }

    public String name() {
        return name;
    }

    /** The JDK of a JVM step, or null for a shell step. */
    public Jdk jdk() {
        return jdk;
    }

    /** The agent's YAML config; written to {@code numa.yaml} in the step folder. */
    public GuestStep config(String yaml) {
        this.config = yaml;
        return this;
    }

    public String configText() {
        return config;
    }

    public GuestStep agentArg(String key, String value) {
        agentArgs.put(key, value);
        return this;
    }

    public GuestStep jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    public GuestStep app(String... args) {
        appArgs.addAll(List.of(args));
        return this;
    }

    public GuestStep env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Runs {@code mainClass} from {@code classpath} instead of {@code -jar testapp.jar}. */
    public GuestStep mainClass(String classpath, String mainClass) {
        this.classpath = classpath;
        this.mainClass = mainClass;
        return this;
    }

    /** Runs {@code java -jar jar} (e.g. the agent jar's command line) instead of testapp.jar. */
    public GuestStep jar(java.nio.file.Path jar) {
        this.jar = jar.toString();
        return this;
    }

    public GuestStep withoutAgent() {
        agent = false;
        return this;
    }

    /** Runs inside a fresh cgroup v2 with these {@code cpuset.cpus} and {@code cpuset.mems}. */
    public GuestStep inCpuset(String cpus, String mems) {
        this.cgroupCpus = cpus;
        this.cgroupMems = mems;
        return this;
    }

    public String cpusetCpus() {
        return cgroupCpus;
    }

    public String cpusetMems() {
        return cgroupMems;
    }

    /** Needs the guest to itself: runs after the others, one at a time. */
    public GuestStep alone() {
        alone = true;
        return this;
    }

    public boolean isAlone() {
        return alone;
    }

    public GuestStep timeoutSeconds(int seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** The shell script the guest runs for this step, from inside {@code dir}. */
    public String script(Path dir, Path agentJar, Path testappJar) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n# step ").append(name).append(" (generated by GuestStep)\n");
        s.append("cd ").append(q(dir.toString())).append(" || exit 99\n");
        if (cgroupCpus != null) {
            String cg = "/sys/fs/cgroup/numa-vm-" + name;
            s.append("CG=").append(q(cg)).append("\n")
                    .append("mkdir -p \"$CG\" || exit 98\n")
                    .append("echo ").append(q(cgroupCpus)).append(" > \"$CG/cpuset.cpus\" || exit 98\n")
                    .append("echo ").append(q(cgroupMems)).append(" > \"$CG/cpuset.mems\" || exit 98\n")
                    .append("echo $$ > \"$CG/cgroup.procs\" || exit 98\n")
                    .append("grep -E '^(Cpus|Mems)_allowed_list' /proc/self/status > cpuset.txt\n");
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            s.append("export ").append(e.getKey()).append('=').append(q(e.getValue())).append('\n');
        }
        s.append("exec timeout -k 10 ").append(timeoutSeconds).append(' ');
        if (shell != null) {
            s.append("bash -c ").append(q(shell)).append('\n');
            return s.toString();
        }
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(GUEST_JVM_OPTIONS);
        command.addAll(jvmOptions);
        if (agent) {
            Map<String, String> args = new LinkedHashMap<>();
            if (config != null) {
                args.put("config", dir.resolve("numa.yaml").toString());
            }
            args.putAll(agentArgs);
            String joined = args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            command.add("-javaagent:" + agentJar + (joined.isEmpty() ? "" : "=" + joined));
        }
        if (mainClass != null) {
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
        } else {
            command.add("-jar");
            command.add(jar != null ? jar : testappJar.toString());
        }
        command.addAll(appArgs);
        s.append(command.stream().map(GuestStep::q).collect(Collectors.joining(" "))).append('\n');
        return s.toString();
    }

    /** Shell single quotes. */
    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return name;
    }
}
