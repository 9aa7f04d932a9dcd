package numa.agent.jna;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * On JDK 22+, puts JNA's packages in a named module of their own with native access enabled, so
 * that JNA loading its stub does not print "WARNING: A restricted method in java.lang.System has
 * been called" into every application on JDK 24+.
 *
 * <p>Why this way: an agent's manifest cannot grant native access; granting it to the agent's
 * unnamed module would grant it to every unnamed module (the JDK tracks them as one), the
 * application's too; and {@code ModuleLayer.Controller.enableNativeAccess} is itself a restricted
 * method that warns. The JDK's own {@code Module} method behind it, reached through a java.lang
 * opening granted with the Instrumentation, enables exactly this module.
 *
 * <p>Done just before JNA's first class loads (in the background start-up, off premain: the layer
 * costs tens of ms of cold module-resolution code), and only for JNA's four packages.
 */
public final class JnaModule {
    public static final String NAME = "numa.agent.jna";
    /** JNA's packages in the agent jar (JnaModuleTest checks the list against the jar). */
    static final Set<String> PACKAGES = Set.of("com.sun.jna", "com.sun.jna.internal", "com.sun.jna.ptr", "com.sun.jna.win32");

    private static boolean done;

    private JnaModule() {
    }

    /**
     * Defines the module to the agent's class loader and enables its native access. Does nothing
     * before JDK 22, outside the agent's own loader, when JNA is already loaded, or twice. Never throws.
     */
    public static synchronized void prepare(Instrumentation inst) {
        if (done || Runtime.version().feature() < 22 || inst == null) {
            return;
        }
        done = true;
        ClassLoader loader = JnaModule.class.getClassLoader();
        if (loader == null || loader == ClassLoader.getSystemClassLoader() || loader.getDefinedPackage("com.sun.jna") != null) {
            return; // tests on the class path, or JNA already in use: nothing to gain
        }
        try {
            Module module = define(loader);
            Module javaBase = Object.class.getModule();
            Module self = JnaModule.class.getModule();
            if (!javaBase.isOpen("java.lang", self)) {
                inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(self)), Set.of(), Map.of());
            }
            MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup())
                    .findVirtual(Module.class, "implAddEnableNativeAccess", MethodType.methodType(Module.class))
                    .invoke(module);
        } catch (Throwable e) {
            // JNA still works from the unnamed module; the JDK may then print its warning
        }
    }

    private static Module define(ClassLoader loader) {
        ModuleDescriptor descriptor = ModuleDescriptor.newAutomaticModule(NAME).packages(PACKAGES).build();
        ModuleReference reference = new ModuleReference(descriptor, URI.create("jrt:/" + NAME)) {
            @Override
            public ModuleReader open() {
                return new ModuleReader() { // classes and resources come from the loader itself
                    @Override
                    public Optional<URI> find(String name) {
                        return Optional.empty();
                    }

                    @Override
                    public Stream<String> list() {
                        return Stream.empty();
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return NAME.equals(name) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(NAME));
        return ModuleLayer.defineModules(cf, List.of(ModuleLayer.boot()), n -> loader).layer().findModule(NAME).orElseThrow();
    }
}
