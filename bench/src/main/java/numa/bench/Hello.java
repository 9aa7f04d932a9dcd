package numa.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The start-up subject. Prints {@code main NANOS} (System.nanoTime() at main's first instruction:
 * CLOCK_MONOTONIC, comparable with the harness's clock) and its peak RSS (VmHWM, kB), and exits.
 * With {@code --settle} it first waits 1.5 s, so that the agent's background start-up (config,
 * JNA, devices) is done and counted in the peak RSS.
 */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        if (args.length > 0 && args[0].equals("--settle")) {
            Thread.sleep(1500);
        }
        System.out.println("main " + main);
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                System.out.println("rss " + line.replaceAll("\\D", ""));
            }
        }
    }
}
