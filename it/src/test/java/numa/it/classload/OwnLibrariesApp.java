package numa.it.classload;

import com.sun.jna.Library;
import com.sun.jna.Native;

import net.bytebuddy.ByteBuddy;

import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Uses its own copies (older versions, on its class path) of every library the agent uses
 * itself, each on a thread of its own, then prints that thread's CPUs: method rules naming those
 * libraries must bind the application's threads, as for any application class.
 */
public final class OwnLibrariesApp {
    private OwnLibrariesApp() {
    }

    /** The application's own JNA binding of libc. */
    public interface LibC extends Library {
        int getpid();
    }

    public static void main(String[] args) throws Exception {
        Probe.onThread("use-bytebuddy", () -> {
            new ByteBuddy().subclass(Object.class).make();
            Probe.print("use-bytebuddy", Probe.cpus());
        });
        Probe.onThread("use-jna", () -> {
            Native.load("c", LibC.class).getpid();
            Probe.print("use-jna", Probe.cpus());
        });
        Probe.onThread("use-slf4j", () -> {
            LoggerFactory.getLogger("own-libraries").info("the app's own slf4j");
            Probe.print("use-slf4j", Probe.cpus());
        });
        Probe.onThread("use-snakeyaml", () -> {
            new Load(LoadSettings.builder().build()).loadFromString("a: 1");
            Probe.print("use-snakeyaml", Probe.cpus());
        });
        System.out.println("done");
    }
}
