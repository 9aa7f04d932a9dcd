package numa.agent.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The classes on an application's class path, by binary name, for {@code check --classpath}: a
 * method rule whose class pattern names none of them will never apply. Reads entries as
 * {@code java -cp} does (folders, jars, {@code dir/*} for every jar in a folder) and also looks
 * inside the class folders of Spring Boot and WAR archives ({@code BOOT-INF/classes},
 * {@code WEB-INF/classes}); jars nested in archives are not opened.
 */
final class ClassPathIndex {
    private static final List<String> CLASS_ROOTS = List.of("BOOT-INF/classes/", "WEB-INF/classes/");
    private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/");

    private final Set<String> classes;
    private final List<String> problems;

    private ClassPathIndex(Set<String> classes, List<String> problems) {
        this.classes = classes;
        this.problems = problems;
    }

    static ClassPathIndex read(String classpath) {
        Set<String> classes = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                if (entry.endsWith("*")) {
                    Path dir = Path.of(entry.substring(0, entry.length() - 1));
                    try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir)) {
                        for (Path jar : jars) {
                            String name = jar.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                            if (name.endsWith(".jar")) {
                                readArchive(jar, classes);
                            }
                        }
                    }
                } else {
                    Path p = Path.of(entry);
                    if (Files.isDirectory(p)) {
                        readFolder(p, classes);
                    } else if (Files.isRegularFile(p)) {
                        readArchive(p, classes);
                    } else {
                        problems.add(entry + " does not exist");
                    }
                }
            } catch (IOException | RuntimeException e) {
                problems.add(entry + " cannot be read (" + e.getMessage() + ")");
            }
        }
        return new ClassPathIndex(classes, problems);
    }

    private static void readFolder(Path root, Set<String> classes) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.getFileName().toString().endsWith(".class"))
                    .forEach(f -> add(root.relativize(f).toString().replace(File.separatorChar, '/'), classes));
        }
    }

    private static void readArchive(Path archive, Set<String> classes) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class")) {
                    add(name, classes);
                }
            }
        }
    }

    private static void add(String path, Set<String> classes) {
        String p = VERSIONED.matcher(path).replaceFirst("");
        for (String root : CLASS_ROOTS) {
            if (p.startsWith(root)) {
                p = p.substring(root.length());
            }
        }
        if (p.endsWith("module-info.class") || p.endsWith("package-info.class")) {
            return;
        }
        classes.add(p.substring(0, p.length() - ".class".length()).replace('/', '.'));
    }

    /** True when some class's binary name matches {@code pattern} as a whole. */
    boolean anyMatches(Pattern pattern) {
        for (String c : classes) {
            if (pattern.matcher(c).matches()) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return classes.size();
    }

    /** Entries that could not be read, one line each. */
    List<String> problems() {
        return problems;
    }
}
