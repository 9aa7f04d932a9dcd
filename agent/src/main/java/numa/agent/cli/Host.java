package numa.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import numa.agent.topology.CpuSet;
import numa.agent.topology.ProcessCpus;

/**
 * What a command reads and writes besides its arguments and the sysfs tree: the output streams,
 * the environment ({@code CUDA_VISIBLE_DEVICES}) and the CPUs this process may use. Tests give
 * their own, so that output can be captured and results do not depend on the machine running them.
 *
 * @param out         the report
 * @param err         errors and warnings, each line starting {@code numa-agent: }
 * @param env         environment lookup
 * @param allowedCpus the CPUs this process may use
 * @param proc        the procfs root other processes are read under ({@code /proc})
 */
record Host(PrintStream out, PrintStream err, UnaryOperator<String> env, AllowedCpus allowedCpus, Path proc) {
    static final Path PROC = Path.of("/proc");

    /** A host reading the real /proc. */
    Host(PrintStream out, PrintStream err, UnaryOperator<String> env, AllowedCpus allowedCpus) {
        this(out, err, env, allowedCpus, PROC);
    }

    /** Reads the CPUs this process may use ({@link ProcessCpus#allowedAtStart()} for real). */
    @FunctionalInterface
    interface AllowedCpus {
        /** @throws IOException saying why they cannot be known (e.g. not Linux) */
        CpuSet read() throws IOException;
    }

    /** This process: {@link System#out}, {@link System#err}, {@link System#getenv(String)}. */
    static Host system() {
        return withStreams(System.out, System.err);
    }

    /** This process's environment and CPUs, with the given streams. */
    static Host withStreams(PrintStream out, PrintStream err) {
        return new Host(out, err, System::getenv, ProcessCpus::allowedAtStart);
    }
}
