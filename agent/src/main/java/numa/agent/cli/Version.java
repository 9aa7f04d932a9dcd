package numa.agent.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The agent's version: {@code Implementation-Version} of the jar's manifest. The CLI's classes are
 * defined by the agent's own class loader, which gives them no package version, so the manifest is
 * read from the jar their code source names.
 */
final class Version {
    private Version() {
    }

    /** The version, or empty when not run from the jar (tests, an IDE) or the manifest has none. */
    static Optional<String> implementationVersion() {
        try {
            CodeSource source = Version.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            File file = new File(source.getLocation().toURI());
            if (!file.isFile()) {
                return Optional.empty(); // a classes directory
            }
            try (JarFile jar = new JarFile(file, false)) {
                Manifest manifest = jar.getManifest();
                return Optional.ofNullable(manifest == null ? null
                        : manifest.getMainAttributes().getValue("Implementation-Version"));
            }
        } catch (IOException | URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** {@code numa-agent 0.1.0}, or a line saying the version is unknown. */
    static String line() {
        return "numa-agent " + implementationVersion().orElse("(version unknown: not run from numa-agent.jar)");
    }
}
