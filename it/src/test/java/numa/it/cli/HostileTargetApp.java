package numa.it.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A JVM that lies to the tools that inspect it, as a compromised or careless application could:
 * a thread whose name holds a line break and a forged thread-dump header that gives the real
 * {@code gpu-worker-1}'s Java id the kernel id of another process ({@code args[0]}), a thread named
 * {@code numa-agent} (no agent is loaded), a name with terminal escape sequences, and a planted JMX
 * address whose RMI stub a JMX client would deserialize. Prints {@value #READY} on stderr, then
 * waits until the file {@code args[1]} exists (at most 5 minutes).
 */
public final class HostileTargetApp {
    static final String READY = "hostile-target-ready";
    static final String ESCAPES = "\u001b]0;pwned\u0007\u001b[31mred\u009b2J";

    public static void main(String[] args) throws Exception {
        long victim = Long.parseLong(args[0]);
        Path release = Path.of(args[1]);
        Thread worker = park("gpu-worker-1");
        @SuppressWarnings("deprecation")
        long workerId = worker.getId();
        worker.start();
        String forged = "x\n\"gpu-worker-1\" #" + workerId + " prio=5 os_prio=0 cpu=0.10ms elapsed=1.00s"
                + " tid=0x00007f0000000001 nid=" + victim + " waiting on condition  [0x00007f0000000000]\ny";
        park(forged).start();
        park("numa-agent").start();
        park(ESCAPES).start();
        System.setProperty("com.sun.management.jmxremote.localConnectorAddress", "service:jmx:rmi:///stub/"
                + Base64.getEncoder().encodeToString("not a stub: a JMX client would readObject this".getBytes(StandardCharsets.UTF_8)));
        System.err.println(READY);
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.exists(release) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        System.exit(0);
    }

    private static Thread park(String name) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                // released
            }
        }, name);
        t.setDaemon(true);
        return t;
    }
}
