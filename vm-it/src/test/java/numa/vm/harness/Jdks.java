package numa.vm.harness;

import java.util.Comparator;
import java.util.List;

import numa.it.harness.Jdk;

/** The JDKs the guests run: every one the end-to-end suite finds (17 and, where installed, Temurin 25). */
public final class Jdks {
    private Jdks() {
    }

    public static List<Jdk> all() {
        return Jdk.available().stream().sorted(Comparator.comparingInt(Jdk::feature)).toList();
    }

    public static Jdk oldest() {
        return all().get(0);
    }

    public static Jdk newest() {
        List<Jdk> all = all();
        return all.get(all.size() - 1);
    }

    /** {@code base-jdkNN}: one step name per JDK. */
    public static String name(String base, Jdk jdk) {
        return base + "-jdk" + jdk.feature();
    }
}
