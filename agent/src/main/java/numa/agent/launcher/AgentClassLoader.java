package numa.agent.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.AllPermission;
import java.security.CodeSource;
import java.security.Permissions;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent and its dependencies from {@code inst/} of the agent jar, where classes are
 * stored as {@code .classdata} so that no other class loader can find them. Its parent is the
 * platform loader: the agent sees the JDK (incl. java.management, jdk.jfr, jdk.attach) and nothing
 * of the application, and the application sees nothing of it.
 */
public final class AgentClassLoader extends ClassLoader {
    private static final String PREFIX = "inst/";
    private static volatile AgentClassLoader instance;

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;
    private final JnaStub jnaStub = new JnaStub();

    private AgentClassLoader(File jarFile) throws IOException {
        super("numa-agent", ClassLoader.getPlatformClassLoader());
        this.jar = new JarFile(jarFile, false);
        URL location = jarFile.toURI().toURL();
        this.jarUrl = "jar:" + location + "!/";
        // Every permission, whatever the policy: under a security manager the agent's hooks run with
        // the application's frames below them, as the agent (doPrivileged, see
        // numa.agent.instrument.Privileged), which only helps if the agent's own frames may do what
        // it does. An agent can redefine any class of the JVM: a policy on its code protects nothing.
        Permissions all = new Permissions();
        all.add(new AllPermission());
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), all);
    }

    /** The one loader of this JVM (premain, a later attach and the CLI share it). */
    static AgentClassLoader get() throws IOException {
        AgentClassLoader l = instance;
        if (l == null) {
            synchronized (AgentClassLoader.class) {
                l = instance;
                if (l == null) {
                    l = new AgentClassLoader(agentJar());
                    instance = l;
                }
            }
        }
        return l;
    }

    /**
     * Why JNA's stub could not be given from a private folder though its temporary folder is
     * noexec, or null: for the agent's line when JNA cannot load.
     */
    String jnaStubProblem() {
        return jnaStub.problem();
    }

    private static File agentJar() throws IOException {
        try {
            CodeSource cs = AgentLauncher.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                throw new IOException("cannot tell where numa-agent.jar is (no code source)");
            }
            return new File(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot tell where numa-agent.jar is: " + e.getMessage(), e);
        }
    }

    /**
     * The launcher's hand-off types ({@link AgentStarter}, {@link StartRequest}) are the launcher's
     * own, from the system class loader: the one place where the two loaders meet. Everything
     * else of the launcher package stays out of reach of the agent.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(STARTER) || name.equals(REQUEST)) {
            return name.equals(STARTER) ? AgentStarter.class : StartRequest.class;
        }
        return super.loadClass(name, resolve);
    }

    private static final String STARTER = "numa.agent.launcher.AgentStarter";
    private static final String REQUEST = "numa.agent.launcher.StartRequest";

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " (reading " + jar.getName() + ": " + e.getMessage() + ")", e);
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0) {
            String pkg = className.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // another thread defined it first
                }
            }
        }
    }

    /**
     * Classes of a named module defined to this loader (JNA's, see numa.agent.jna.JnaModule) come
     * from the same place as the others.
     */
    @Override
    protected Class<?> findClass(String moduleName, String name) {
        try {
            return findClass(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    @Override
    protected URL findResource(String moduleName, String name) {
        return findResource(name);
    }

    @Override
    @SuppressWarnings("deprecation") // new URL(String): a jar: URL of a path as it is (URI would refuse spaces)
    protected URL findResource(String name) {
        String relative = name.startsWith("/") ? name.substring(1) : name;
        if (relative.endsWith(".class")) {
            relative = relative.substring(0, relative.length() - ".class".length()) + ".classdata";
        }
        String path = PREFIX + relative;
        JarEntry entry = jar.getJarEntry(path);
        if (entry == null) {
            return null;
        }
        if (JnaStub.isStub(relative)) {
            URL copy = jnaStub.privateCopy(() -> jar.getInputStream(entry));
            if (copy != null) {
                return copy; // JNA's temporary folder is noexec: JNA loads this file in place
            }
        }
        try {
            return new URL(jarUrl + path);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }
}
