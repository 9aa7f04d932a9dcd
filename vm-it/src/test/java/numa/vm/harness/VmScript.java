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
            Process p = new ProcessBuilder(script.toString(), "--available").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return script + " --available did not answer";
            }
            return p.exitValue() == 0 ? null : (out.isEmpty() ? script + " --available said no" : out);
        } catch (IOException e) {
            return "cannot run " + script + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** What to do about a missing guest, for skip and failure messages. */
    public static String howToGetOne() {
        return "install the Debian packages qemu-system-x86 busybox-static numactl xz-utils (or run .ci/run);"
                + " vm/numa-vm --setup then caches a kernel";
    }
}
