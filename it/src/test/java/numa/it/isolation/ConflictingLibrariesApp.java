package numa.it.isolation;

import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * An application that ships its own, older ByteBuddy, JNA, SLF4J (with the slf4j-simple binding)
 * and snakeyaml-engine, and uses each. Prints where each library came from and what a worker
 * thread sees of itself, for {@link IsolationTest}.
 */
public final class ConflictingLibrariesApp {
    private ConflictingLibrariesApp() {
    }

    /** The app's own JNA binding of libc. */
    public interface LibC extends Library {
        int getpid();
    }

    public static void main(String[] args) throws Exception {
        Object proxy = new ByteBuddy().subclass(Object.class).method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("bytebuddy-works")).make()
                .load(ConflictingLibrariesApp.class.getClassLoader()).getLoaded().getDeclaredConstructor().newInstance();
        print("bytebuddy", ByteBuddy.class, proxy.toString());

        LibC libc = Native.load("c", LibC.class);
        print("jna", Native.class, Native.VERSION + " pid=" + libc.getpid());

        Logger log = LoggerFactory.getLogger("isolation-app");
        log.info("app logging through its own binding");
        print("slf4j", LoggerFactory.class, LoggerFactory.getILoggerFactory().getClass().getName());

        Object yaml = new Load(LoadSettings.builder().build()).loadFromString("answer: 42");
        print("snakeyaml", Load.class, String.valueOf(yaml));

        String[] seen = new String[1];
        Thread worker = new Thread(() -> seen[0] = cpus(), "gpu-worker-1");
        worker.start();
        worker.join();
        System.out.println("worker gpu-worker-1 cpus=" + seen[0]);
    }

    private static void print(String lib, Class<?> type, String detail) {
        System.out.println("lib " + lib + " from=" + type.getProtectionDomain().getCodeSource().getLocation().getPath()
                + " loader=" + type.getClassLoader().getClass().getName() + " detail=" + detail);
    }

    private static String cpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            return "error " + e;
        }
        return "?";
    }
}
