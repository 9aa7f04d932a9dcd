package numa.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import numa.agent.topology.CpuSet;

/**
 * Runs the command line in the test's JVM with captured streams, a given environment and a given
 * set of allowed CPUs, so that results depend on the fake sysfs tree only, not on the machine.
 */
final class CliHarness {
    /** What a run printed and returned. */
    record Outcome(int status, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        Map<String, Object> json() {
            return MiniJson.object(out);
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private Host.AllowedCpus allowed = () -> CpuSet.parse("0-1023");
    private Path proc = Host.PROC;

    static CliHarness cli() {
        return new CliHarness();
    }

    CliHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Reads other processes under {@code root} instead of /proc. */
    CliHarness proc(Path root) {
        proc = root;
        return this;
    }

    CliHarness allowedCpus(String cpus) {
        allowed = () -> CpuSet.parse(cpus);
        return this;
    }

    /** As where {@code /proc/self/status} cannot be read (not Linux). */
    CliHarness allowedCpusUnknown() {
        allowed = () -> {
            throw new IOException("/proc/self/status: missing; expected a procfs status file");
        };
        return this;
    }

    Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Cli.run(args, new Host(o, e, env::get, allowed, proc));
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
