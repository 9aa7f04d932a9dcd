package numa.vm.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The project's guest launcher, {@code vm/numa-vm}, seen from the tests: where it is, whether a
 * guest can boot here, and whether this run insists on one ({@code -Dnuma.vm.required=true} or
 * {@code NUMA_VM_REQUIRED=1}, as {@code .ci/run} sets: then "no QEMU" is a failure, not a skip).
 */
public final class VmScript {
    private static String reason;
    private static boolean checked;

    private VmScript() {
    }

    public static Path script() {
        String value = System.getProperty("numa.vm.script");
        if (value == null) {
            throw new IllegalStateException("system property numa.vm.script is not set (surefire sets it; see vm-it/pom.xml)");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    /** True when a guest that cannot boot must fail the build. */
    public static boolean required() {
        String env = System.getenv("NUMA_VM_REQUIRED");
        return Boolean.parseBoolean(System.getProperty("numa.vm.required", "false"))
                || (env != null && (env.equals("1") || env.equalsIgnoreCase("true") || env.equalsIgnoreCase("yes")));
    }

    /** Null when a guest can boot here, else why not (asked once per test JVM). */
    public static synchronized String unavailableReason() {
        if (!checked) {
            reason = ask();
            checked = true;
        }
        return reason;
    }

    private static String ask() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "not Linux";
        }
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return "the guest kernel is Debian's amd64 one; this machine is " + arch;
        }
        Path script = script();
        if (!Files.isExecutable(script)) {
            return script + " is missing or not executable";
        }
        try {
            String no = call(script, "--available");
            // packages there: cache the kernel now if needed (a download through apt, never an install)
            return no != null ? no : call(script, "--setup");
        } catch (IOException e) {
            return "cannot run " + script + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Null when {@code script option} exits 0, else what it said. */
    private static String call(Path script, String option) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(script.toString(), option).redirectErrorStream(true);
        pb.environment().put("NUMA_VM_INSTALL", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return script + " " + option + " did not finish";
        }
        return p.exitValue() == 0 ? null : script + " " + option + ": " + (out.isEmpty() ? "exit " + p.exitValue() : out);
    }

    /** What to do about a missing guest, for skip and failure messages. */
    public static String howToGetOne() {
        return "install the Debian packages qemu-system-x86 busybox-static numactl xz-utils (or run .ci/run);"
                + " vm/numa-vm --setup then caches a kernel";
    }
}
