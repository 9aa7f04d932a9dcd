package numa.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK the launched JVMs run on. The SPEC promises Java 17 and newer, tested on 17 and 25, and the
 * two differ where it matters here (Thread.start paths, FFM, native-access warnings), so key tests
 * run on every JDK found: the one running the tests, plus Temurin 25 where installed.
 *
 * @param feature the feature release (17, 25, ...)
 */
public record Jdk(Path home, int feature) {
    /** Where the project's machines have Temurin 25; more homes may be listed in {@code numa.it.jdks}. */
    private static final List<String> EXTRA_HOMES = List.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final Pattern JAVA_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    public Path java() {
        return home.resolve("bin/java");
    }

    /** Only JDK 22+ let the engine read its memory policy (FFM); before that it says {@code unknown}. */
    public boolean canReportMemPolicy() {
        return feature >= 22;
    }

    @Override
    public String toString() {
        return "JDK " + feature;
    }

    /** Every usable JDK, the running one first, each once. For {@code @MethodSource}. */
    public static List<Jdk> available() {
        List<Jdk> jdks = new ArrayList<>();
        jdks.add(new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature()));
        List<String> homes = new ArrayList<>(EXTRA_HOMES);
        String more = System.getProperty("numa.it.jdks", "");
        if (!more.isBlank()) {
            homes.addAll(List.of(more.split(java.io.File.pathSeparator)));
        }
        for (String h : homes) {
            Path home = Path.of(h);
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                continue;
            }
            Integer feature = featureOf(home);
            if (feature == null || feature < 17 || jdks.stream().anyMatch(j -> sameHome(j.home(), home))) {
                continue;
            }
            jdks.add(new Jdk(home, feature));
        }
        return jdks;
    }

    /** The running JDK alone, for tests whose subject does not depend on the JDK. */
    public static Jdk current() {
        return available().get(0);
    }

    private static Integer featureOf(Path home) {
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean sameHome(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.equals(b);
        }
    }
}
