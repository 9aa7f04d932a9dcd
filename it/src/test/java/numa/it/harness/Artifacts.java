package numa.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built jars the tests run, as a user would run them, and the folder runs write into. Surefire
 * passes their paths (see it/pom.xml); a run from an IDE must pass the same system properties.
 */
public final class Artifacts {
    private Artifacts() {
    }

    public static Path agentJar() {
        return existing("numa.it.agentJar");
    }

    public static Path testappJar() {
        return existing("numa.it.testappJar");
    }

    /** A fresh folder under {@code numa.it.workDir}, kept after the run so a failure can be inspected. */
    public static Path newRunDir(String label) {
        String base = System.getProperty("numa.it.workDir");
        if (base == null) {
            throw new IllegalStateException("system property numa.it.workDir is not set (surefire sets it; see it/pom.xml)");
        }
        try {
            Path root = Files.createDirectories(Path.of(base));
            return Files.createTempDirectory(root, label.replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (surefire sets it; see it/pom.xml)");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " (" + property + ") does not exist: build it first (mvn -B package)");
        }
        return path;
    }
}
