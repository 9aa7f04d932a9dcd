package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.RunResult;

/**
 * A config of thread rules only is read on the agent's background thread, after premain (parsing
 * YAML cold is the largest part of premain). What must hold anyway:
 * <ul>
 * <li>a thread started at main's first instruction, before the config can have been read, is bound
 * (it waits for the config);</li>
 * <li>a JVM whose main ends at once still prints the config's error (it waits for the config as it
 * exits);</li>
 * <li>configs whose effects must precede main (method rules here) are still read at premain.</li>
 * </ul>
 */
class DeferredStartupTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String THREAD_RULE = """
            devices:
              source: static
              nodes: [0, 1]
            rules:
              - name: early
                thread: 'early-(\\d+)'
                device: "$1"
            """;

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    /** Starts early-0 and early-1 first thing in main; each prints its CPUs; then main ends ({@code none}: at once). */
    public static final class EarlyThreads {
        public static void main(String[] args) throws Exception {
            if (args.length > 0 && args[0].equals("none")) {
                return;
            }
            Thread[] threads = new Thread[2];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(EarlyThreads::report, "early-" + i);
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        private static void report() {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
                    if (line.startsWith("Cpus_allowed_list:")) {
                        System.out.println(Thread.currentThread().getName() + " " + line.split(":\\s*")[1]);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static JvmRun early(Jdk jdk, String label, String yaml) {
        return JvmRun.on(jdk, Artifacts.newRunDir("deferred-" + label + "-jdk" + jdk.feature()))
                .sysfs(TOPOLOGY).config(yaml).agentArg("log-level", "debug")
                .mainClass(System.getProperty("numa.it.testClasses"), EarlyThreads.class.getName());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void threads_started_at_mains_first_instruction_are_bound(Jdk jdk) {
        RunResult run = early(jdk, "early", THREAD_RULE).run();
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.agentLines()).as("read in the background%s", run)
                .anySatisfy(l -> assertThat(l).contains("the config is read in the background"));
        assertThat(run.stdout()).as("each thread on its device's node's CPU%s", run)
                .contains("early-0 " + TOPOLOGY.cpusOf(0)).contains("early-1 " + TOPOLOGY.cpusOf(1));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_config_error_is_printed_even_when_main_ends_at_once(Jdk jdk) {
        RunResult run = early(jdk, "error", THREAD_RULE.replace("source: static", "sorce: static")).app("none").run();
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.agentLines()).as("the error, with its position%s", run)
                .anySatisfy(l -> assertThat(l).contains("numa.yaml:2:3").contains("sorce"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_method_rule_keeps_the_config_at_premain(Jdk jdk) {
        RunResult run = early(jdk, "method", THREAD_RULE + """
                  - name: m
                    method: 'numa.it.DeferredStartupTest$EarlyThreads#report'
                    node: 0
                """).run();
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.agentLines()).as("premain%s", run)
                .noneSatisfy(l -> assertThat(l).contains("the config is read in the background"))
                .anySatisfy(l -> assertThat(l).contains("premain took"));
    }
}
