package numa.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import numa.agent.proc.ThreadDump;

/**
 * {@code jcmd PID Thread.print} with the JDK running this command: the thread dump through the
 * attach socket alone, for when JMX cannot be used (no loopback network, {@code --no-jmx}).
 */
final class Jcmd {
    private static final long TIMEOUT_SECONDS = 60;

    private Jcmd() {
    }

    static ThreadDump threadPrint(long pid) throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IOException("no thread dump: JMX is unavailable and there is no " + jcmd + " (a JRE, not a JDK)");
        }
        Path out = Files.createTempFile("numa-agent-jcmd-", ".txt");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("no thread dump: jcmd " + pid + " Thread.print took more than " + TIMEOUT_SECONDS + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("no thread dump: jcmd " + pid + " Thread.print exited " + p.exitValue() + ": "
                        + text.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            return ThreadDump.parse(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for jcmd", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
