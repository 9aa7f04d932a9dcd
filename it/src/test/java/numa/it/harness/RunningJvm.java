package numa.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A launched JVM still running: its pid for reading {@code /proc/<pid>/task} from outside, the
 * moment its engine holds all threads alive ({@code --hold-ms}), and its end.
 */
public final class RunningJvm {
    /** What the engine prints on stderr once every thread has reported and while they are held. */
    private static final String HOLDING = "testapp: pid=";

    private final Process process;
    private final long startNanos;
    private final String command;
    private final Jdk jdk;
    private final Path stdout;
    private final Path stderr;
    private final Duration timeout;

    RunningJvm(Process process, long startNanos, String command, Jdk jdk, Path stdout, Path stderr, Duration timeout) {
        this.process = process;
        this.startNanos = startNanos;
        this.command = command;
        this.jdk = jdk;
        this.stdout = stdout;
        this.stderr = stderr;
        this.timeout = timeout;
    }

    /** The JVM's pid: {@code java} is started directly, so the process is the JVM itself. */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits until the engine says it holds its threads (run it with {@code --hold-ms}); fails with
     * the output so far if the JVM ends or the timeout passes first.
     */
    public void awaitHolding() {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (Files.readString(stderr).contains(HOLDING)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the JVM ended before holding its threads" + await());
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new AssertionError("the JVM did not hold its threads within " + timeout + await());
    }

    /** Waits until stderr holds {@code text}; fails with the output so far if the JVM ends or the timeout passes. */
    public void awaitStderr(String text) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (Files.readString(stderr).contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the JVM ended before printing '" + text + "'" + await());
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new AssertionError("the JVM did not print '" + text + "' within " + timeout + await());
    }

    /** Sends SIGTERM, as {@code kill PID} or a container runtime's stop does; returns at once. */
    public void terminate() {
        process.destroy();
    }

    /** Its stderr so far. */
    public String stderrSoFar() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the end (killing the JVM at the timeout) and returns what it did. */
    public RunResult await() {
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            return new RunResult(command, jdk, finished ? process.exitValue() : -1, !finished,
                    Duration.ofNanos(System.nanoTime() - startNanos), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for " + command, e);
        }
    }
}
