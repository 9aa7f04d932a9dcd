package numa.agent.log;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard error written with one {@code write(2)} per line and no Java lock: the JVM's
 * {@code System.err} is a synchronized PrintStream, and an application thread that holds its lock
 * while it starts a thread would make the agent's start-up wait for the application that waits for
 * it. Lines stay whole (one write each) and in order with what the application printed before
 * (System.err flushes at every line).
 */
final class StderrWithoutLock {
    private static final FileOutputStream FD2 = new FileOutputStream(FileDescriptor.err);
    private static final Charset CHARSET = stderrCharset();

    private StderrWithoutLock() {
    }

    static void println(CharSequence line) throws IOException {
        FD2.write((line + System.lineSeparator()).getBytes(CHARSET));
    }

    static void printStackTrace(Throwable t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, CHARSET)) {
            t.printStackTrace(out);
        }
        FD2.write(bytes.toByteArray());
    }

    /** What System.err encodes with: {@code stderr.encoding} (JDK 19+), else the JDK 17 property, else the default. */
    private static Charset stderrCharset() {
        for (String key : new String[] {"stderr.encoding", "sun.stderr.encoding"}) {
            String name = System.getProperty(key);
            if (name != null) {
                try {
                    return Charset.forName(name);
                } catch (RuntimeException unknown) {
                    // the next guess
                }
            }
        }
        return Charset.defaultCharset();
    }
}
