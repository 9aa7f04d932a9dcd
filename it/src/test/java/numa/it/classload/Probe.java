package numa.it.classload;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the class-loading test apps print: {@code probe NAME cpus=LIST}, the CPUs the calling
 * thread may run on, read from /proc as the kernel sees them. JDK 17 API only, nothing else.
 */
public final class Probe {
    private Probe() {
    }

    /** The calling thread's {@code Cpus_allowed_list}. */
    public static String cpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
            return "?";
        } catch (Exception e) {
            return "error:" + e;
        }
    }

    public static void print(String name, String cpus) {
        System.out.println("probe " + name + " cpus=" + cpus);
    }

    /** Runs {@code body} on a new platform thread of that name, and waits for it. */
    public static void onThread(String name, Runnable body) throws InterruptedException {
        Thread t = new Thread(body, name);
        t.start();
        t.join();
    }
}
