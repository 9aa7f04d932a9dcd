package numa.it.classload;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import numa.it.harness.RunResult;

/** The {@code probe NAME cpus=LIST} lines of a run of one of the {@link Probe} apps, by NAME. */
final class Probes {
    private static final Pattern LINE = Pattern.compile("probe (\\S+) cpus=(\\S+).*");

    private Probes() {
    }

    static Map<String, String> of(RunResult run) {
        return run.stdout().lines().map(LINE::matcher).filter(Matcher::matches)
                .collect(Collectors.toMap(m -> m.group(1), m -> m.group(2), (a, b) -> a));
    }

    /** Fails with the whole run when the probe is missing. */
    static String cpus(RunResult run, String probe) {
        String cpus = of(run).get(probe);
        if (cpus == null) {
            throw new AssertionError("no probe " + probe + " in the output" + run);
        }
        return cpus;
    }
}
