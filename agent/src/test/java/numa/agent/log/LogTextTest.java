package numa.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * A thread name is chosen by whoever starts the thread: its control characters must not reach the
 * operator's terminal or forge log lines, and a huge one must not make a huge line.
 */
class LogTextTest {
    private static String logged(Runnable logging) {
        PrintStream was = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(was);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void controlCharactersInArgumentsAreEscaped() {
        String name = "gpu\u001b[2J\u001b]0;owned\u0007\nnuma-agent: thread 'x' bound\r\u0085\u202e";
        String out = logged(() -> AgentLog.logger("test").info("thread '{}' matches no rule", name));
        assertThat(out).isEqualTo("numa-agent: thread 'gpu\\x1b[2J\\x1b]0;owned\\x07\\nnuma-agent: thread 'x' bound"
                + "\\r\\x85\\u202e' matches no rule" + System.lineSeparator());
    }

    @Test
    void aHugeArgumentIsCutWithAMarker() {
        String name = "w".repeat(1024 * 1024);
        String out = logged(() -> AgentLog.logger("test").warn("thread '{}' not bound", name));
        assertThat(out).hasSizeLessThan(LogText.MAX_CHARS + 200)
                .startsWith("numa-agent: warning: thread 'www")
                .endsWith("w... (cut: 1048576 characters)' not bound" + System.lineSeparator());
    }

    @Test
    void plainTextIsLeftAsItIs() {
        String s = "gpu-worker-(\\d+) ünïcödé 名前";
        assertThat(LogText.safe(s)).isSameAs(s);
    }
}
