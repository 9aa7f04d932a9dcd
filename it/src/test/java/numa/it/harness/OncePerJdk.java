package numa.it.harness;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Launches a scenario once per JDK and hands the same result to every test method that checks one
 * aspect of it: one idea per test method, one JVM per scenario, a fast suite.
 */
public final class OncePerJdk {
    private final Function<Jdk, RunResult> launch;
    private final Map<Jdk, RunResult> runs = new HashMap<>();

    public OncePerJdk(Function<Jdk, RunResult> launch) {
        this.launch = launch;
    }

    public synchronized RunResult get(Jdk jdk) {
        return runs.computeIfAbsent(jdk, launch);
    }
}
