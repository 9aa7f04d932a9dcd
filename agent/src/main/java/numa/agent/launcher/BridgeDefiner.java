package numa.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.util.Map;
import java.util.Set;

/**
 * Defines {@code java.lang.NumaAgentBridge} in the boot loader, so that advice in
 * {@code java.lang.Thread} and in application classes of any loader can call it.
 *
 * <p>Why not {@code appendToBootstrapClassLoaderSearch}: measured here it prints "Sharing is only
 * supported for boot loader classes because bootstrap classpath has been appended" on every start
 * and turns CDS off for the application's classes. Defining one class through a lookup in
 * {@code java.lang} (opened to this module for that purpose only) costs ~10 ms and says nothing.
 */
final class BridgeDefiner {
    static final String BRIDGE = "java.lang.NumaAgentBridge";
    private static final String BRIDGE_RESOURCE = "/bridge/java/lang/NumaAgentBridge.classdata";

    private BridgeDefiner() {
    }

    /** Defines the bridge unless an earlier attach already did; returns it. */
    static synchronized Class<?> define(Instrumentation inst) throws IOException, ReflectiveOperationException {
        try {
            return Class.forName(BRIDGE, false, null);
        } catch (ClassNotFoundException notYet) {
            // first load of the agent in this JVM
        }
        byte[] bytes;
        try (InputStream in = BridgeDefiner.class.getResourceAsStream(BRIDGE_RESOURCE)) {
            if (in == null) {
                throw new IOException(BRIDGE_RESOURCE + " missing from the agent jar (a broken build?)");
            }
            bytes = in.readAllBytes();
        }
        Module javaBase = Thread.class.getModule();
        Module self = BridgeDefiner.class.getModule();
        if (!javaBase.isOpen("java.lang", self)) {
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(self)), Set.of(), Map.of());
        }
        return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup()).defineClass(bytes);
    }
}
