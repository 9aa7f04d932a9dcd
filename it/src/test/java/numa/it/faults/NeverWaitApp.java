package numa.it.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an application does while the agent's start-up is still under way, by its first argument:
 * <ul>
 * <li>{@code term}: starts a thread no rule names ({@code plain}), registers three shutdown hooks,
 * says {@code ready} on stderr and sleeps until it is stopped (SIGTERM);</li>
 * <li>{@code stderr-lock}: holds {@code System.err}'s lock while it starts a thread no rule names
 * and one a rule names ({@code gpu-worker-1}), as a logging framework that writes under that lock
 * may;</li>
 * <li>{@code main-started}: says so on stdout, then works for a second (writing files, say).</li>
 * </ul>
 * Each started thread prints its name and its allowed CPUs.
 */
public final class NeverWaitApp {
    private NeverWaitApp() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "term" -> {
                startAndJoin("plain");
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook " + n + " ran"),
                            "app-hook-" + n));
                }
                System.err.println("ready");
                Thread.sleep(600_000);
            }
            case "stderr-lock" -> {
                synchronized (System.err) {
                    startAndJoin("plain");
                    startAndJoin("gpu-worker-1");
                }
            }
            case "main-started" -> {
                System.out.println("main started");
                Thread.sleep(1000);
                System.out.println("main done");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void startAndJoin(String name) throws InterruptedException {
        Thread t = new Thread(NeverWaitApp::report, name);
        t.start();
        t.join();
    }

    private static void report() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    System.out.println(Thread.currentThread().getName() + " " + line.split(":\\s*")[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
