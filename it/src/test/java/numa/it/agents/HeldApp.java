package numa.it.agents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the apps of these tests share: a thread's CPUs as it sees them, and the hold at the end
 * during which the test reads {@code /proc/<pid>/task} from outside while the bound threads live.
 */
final class HeldApp {
    private HeldApp() {
    }

    /** {@code Cpus_allowed_list} of the calling thread. */
    static String cpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no Cpus_allowed_list in /proc/thread-self/status");
    }

    /**
     * Says {@code <app>: holding pid=N} on stderr, then waits until the file {@code release} exists
     * in the working directory (the test's run folder), a minute at most.
     */
    static void holdUntilReleased(String app) throws InterruptedException {
        System.out.flush();
        System.err.println(app + ": holding pid=" + ProcessHandle.current().pid());
        Path release = Path.of("release");
        for (int i = 0; i < 6000 && !Files.exists(release); i++) {
            Thread.sleep(10);
        }
    }
}
