package numa.testapp;

import java.lang.instrument.Instrumentation;

/**
 * {@code -javaagent:testapp.jar=com.acme.A,com.acme.B}: loads and initialises those classes in the
 * system class loader before any later agent's premain runs, as an application's other agent or a
 * framework's bootstrap would. The engine's way to have classes loaded before numa-agent starts.
 */
public final class Preload {
    private Preload() {
    }

    public static void premain(String args, Instrumentation inst) throws ClassNotFoundException {
        if (args == null) {
            return;
        }
        for (String name : args.split(",")) {
            if (!name.isBlank()) {
                Class.forName(name.strip(), true, ClassLoader.getSystemClassLoader());
            }
        }
    }
}
