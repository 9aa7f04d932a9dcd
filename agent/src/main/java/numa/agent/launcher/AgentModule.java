package numa.agent.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * On JDK 22+, puts the agent's classes in a named module of their own with native access enabled,
 * so that JNA loading its stub does not print "WARNING: A restricted method in java.lang.System
 * has been called" into every application on JDK 24+. An agent's manifest cannot grant native
 * access, and granting it to an unnamed module would grant it to all of them (the application's
 * too): a module layer's controller can grant it to exactly one module.
 */
final class AgentModule {
    static final String NAME = "numa.agent.internal";
    private static final String CLASSES = "inst/";
    private static final String SERVICES = "inst/META-INF/services/";

    private AgentModule() {
    }

    /** True when this JDK has native-access control (22+): only then is a module worth defining. */
    static boolean needed() {
        return Runtime.version().feature() >= 22;
    }

    /** Defines the module to {@code loader}; must run before the loader defines any class. */
    static Module define(ClassLoader loader, JarFile jar, URI location) throws IOException {
        Set<String> packages = new TreeSet<>();
        Map<String, List<String>> services = new HashMap<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (name.startsWith(SERVICES) && !name.endsWith("/")) {
                services.put(name.substring(SERVICES.length()), providers(jar, name));
            } else if (name.startsWith(CLASSES) && name.endsWith(".classdata") && !name.startsWith("inst/META-INF/")) {
                int slash = name.lastIndexOf('/');
                if (slash > CLASSES.length()) {
                    packages.add(name.substring(CLASSES.length(), slash).replace('/', '.'));
                }
            }
        }
        ModuleDescriptor.Builder builder = ModuleDescriptor.newAutomaticModule(NAME).packages(packages);
        services.forEach((service, impls) -> {
            List<String> inModule = new ArrayList<>();
            for (String impl : impls) {
                int dot = impl.lastIndexOf('.');
                if (dot > 0 && packages.contains(impl.substring(0, dot))) {
                    inModule.add(impl);
                }
            }
            if (!inModule.isEmpty()) {
                builder.provides(service, inModule);
            }
        });
        ModuleReference reference = new ModuleReference(builder.build(), location) {
            @Override
            public ModuleReader open() {
                return new ModuleReader() {
                    @Override
                    public Optional<URI> find(String name) {
                        return Optional.empty(); // classes and resources come from the loader itself
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
        ModuleLayer.Controller controller = ModuleLayer.defineModules(cf, List.of(ModuleLayer.boot()), n -> loader);
        Module module = controller.layer().findModule(NAME).orElseThrow();
        enableNativeAccess(module);
        return module;
    }

    /**
     * {@code Controller.enableNativeAccess} is itself a restricted method: called from here it
     * prints the very warning this class exists to avoid. The JDK's own {@code Module} method
     * behind it is reachable because the bridge definer opened java.lang to this module; where it
     * is not (the command line has no Instrumentation), the module simply stays without it.
     */
    private static void enableNativeAccess(Module module) {
        if (!Thread.class.getModule().isOpen("java.lang", AgentModule.class.getModule())) {
            return;
        }
        try {
            MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup())
                    .findVirtual(Module.class, "implAddEnableNativeAccess", MethodType.methodType(Module.class))
                    .invoke(module);
        } catch (Throwable notThisJdk) {
            // a JDK without that method: JNA may print the JDK's native-access warning
        }
    }

    private static List<String> providers(JarFile jar, String entry) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(jar.getInputStream(jar.getJarEntry(entry)), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                int hash = line.indexOf('#');
                String impl = (hash >= 0 ? line.substring(0, hash) : line).trim();
                if (!impl.isEmpty()) {
                    out.add(impl);
                }
            }
        }
        return out;
    }
}
