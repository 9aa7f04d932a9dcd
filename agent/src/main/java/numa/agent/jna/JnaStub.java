package numa.agent.jna;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads JNA's native stub (libjnidispatch, unpacked from the agent jar) through a {@link PrivateDir}.
 *
 * <p>Left to itself JNA unpacks it into {@code jna.tmpdir}, else {@code $XDG_CACHE_HOME/JNA/temp} or
 * {@code ~/.cache/JNA/temp} (made with mkdirs, following any link on the way), else
 * {@code java.io.tmpdir}, with the mode 0666 &amp; ~umask: under a umask of 000 the library the JVM is
 * about to load is writable by everyone until it is loaded, and a link planted at the cache path sends
 * it wherever the link points. The agent runs inside other people's JVMs, with their umask and
 * their HOME: it sets {@code jna.tmpdir} to a private directory just while the stub loads, then
 * restores it (unset) and removes the directory (JNA deletes the file itself once loaded).
 *
 * <p>A {@code jna.tmpdir} the user set is theirs and used as is. Call {@link #load} before any JNA
 * class that needs the stub (Native, Structure, Pointer, ...); it is cheap after the first time.
 */
public final class JnaStub {
    private static boolean loaded;

    private JnaStub() {
    }

    /**
     * Loads the stub (JNA's Native class initialization).
     *
     * @throws LinkageError as JNA's own loading does when the stub cannot be loaded (e.g. a noexec tmp)
     */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        if (System.getProperty("jna.tmpdir") != null) {
            initNative();
            loaded = true;
            return;
        }
        Path dir;
        try {
            dir = PrivateDir.create(Path.of(System.getProperty("java.io.tmpdir")), "numa-agent-jna-");
        } catch (IOException | RuntimeException e) {
            dir = null; // no private place: JNA's own choice is still better than no binding at all
        }
        if (dir == null) {
            initNative();
        } else {
            System.setProperty("jna.tmpdir", dir.toString());
            try {
                initNative();
            } finally {
                System.clearProperty("jna.tmpdir");
                if (!Boolean.getBoolean("jnidispatch.preserve")) { // JNA's switch to keep the file, for debugging
                    PrivateDir.deleteQuietly(dir);
                }
            }
        }
        loaded = true;
    }

    private static void initNative() {
        try {
            Class.forName("com.sun.jna.Native", true, JnaStub.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new NoClassDefFoundError("com.sun.jna.Native: " + e.getMessage());
        }
    }
}
