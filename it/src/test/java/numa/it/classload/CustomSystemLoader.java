package numa.it.classload;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * A custom system class loader ({@code -Djava.system.class.loader=numa.it.classload.CustomSystemLoader}):
 * the JVM creates it with the built-in application loader as its parent, before any application
 * class. It loads the application's classes itself (child first for {@code numa.it.classload}), so
 * they are not the built-in loader's, and says when the JVM hands it a jar (an agent's) at run time.
 */
public final class CustomSystemLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    public CustomSystemLoader(ClassLoader parent) {
        super("custom-system", urls(), parent);
        System.out.println("custom system loader created");
    }

    private static URL[] urls() {
        try {
            String[] entries = System.getProperty("java.class.path").split(java.io.File.pathSeparator);
            URL[] urls = new URL[entries.length];
            for (int i = 0; i < entries.length; i++) {
                urls[i] = new java.io.File(entries[i]).toURI().toURL();
            }
            return urls;
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("numa.it.classload.") || name.equals(CustomSystemLoader.class.getName())) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /** What the JVM calls for {@code -javaagent} jars when the system loader is not the built-in one. */
    @SuppressWarnings("unused")
    void appendToClassPathForInstrumentation(String path) throws java.net.MalformedURLException {
        System.out.println("custom system loader: append " + path);
        addURL(new java.io.File(path).toURI().toURL());
    }
}
