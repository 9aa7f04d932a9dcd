package numa.agent.observe;

import java.io.File;
import java.security.CodeSource;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The agent's version: {@code Implementation-Version} of the jar this class was loaded from. */
public final class AgentVersion {
    private static volatile String cached;

    private AgentVersion() {
    }

    /** The version, or {@code unknown} outside the jar (tests). */
    public static String get() {
        String v = cached;
        if (v == null) {
            v = read();
            cached = v;
        }
        return v;
    }

    private static String read() {
        try {
            CodeSource cs = AgentVersion.class.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                File f = new File(cs.getLocation().toURI());
                if (f.isFile()) {
                    try (JarFile jar = new JarFile(f, false)) {
                        Manifest m = jar.getManifest();
                        String v = m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
                        if (v != null) {
                            return v;
                        }
                    }
                }
            }
        } catch (Exception | LinkageError e) {
            // unknown below
        }
        return "unknown";
    }
}
