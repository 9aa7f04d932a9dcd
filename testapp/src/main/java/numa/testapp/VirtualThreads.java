package numa.testapp;

import java.lang.reflect.InvocationTargetException;

/**
 * Virtual threads (JDK 21+) made through reflection, since the engine compiles for Java 17. The
 * SPEC never binds a virtual thread (that would bind its carrier), and carriers created lazily by
 * a bound thread must not inherit its binding: the engine can put both cases in front of the agent.
 */
final class VirtualThreads {
    private VirtualThreads() {
    }

    static boolean supported() {
        return Runtime.version().feature() >= 21;
    }

    /** An unstarted virtual thread named {@code name}. */
    static Thread unstarted(String name, Runnable task) {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object b = Thread.class.getMethod("ofVirtual").invoke(null);
            b = builder.getMethod("name", String.class).invoke(b, name);
            return (Thread) builder.getMethod("unstarted", Runnable.class).invoke(b, task);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot create virtual thread " + name, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or newer", e);
        }
    }
}
