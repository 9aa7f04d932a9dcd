package numa.agent.cli;

import static numa.agent.cli.CliHarness.cli;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.agent.cli.CliHarness.Outcome;

/** The verb dispatcher: usage, exit statuses, the verbs that are not there yet. */
class CliTest {

    @Test
    void helpPrintsTheUsageOnStdoutAndSucceeds() {
        for (String help : new String[] {"help", "--help", "-h"}) {
            Outcome o = cli().run(help);
            assertThat(o.status()).isZero();
            assertThat(o.err()).isEmpty();
            assertThat(o.out()).contains("java -jar numa-agent.jar topology [--sysfs DIR] [--json]",
                    "java -jar numa-agent.jar check CONFIG [--sysfs DIR]", "exit status");
        }
    }

    @Test
    void noArgumentsIsBadUsageWithTheUsageOnStderr() {
        Outcome o = cli().run();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).contains("usage:", "topology", "check CONFIG");
    }

    @Test
    void unknownVerbIsBadUsageAndSuggestsTheNearestOne() {
        Outcome o = cli().run("topolgy");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.errLines().get(0)).isEqualTo("numa-agent: unknown command 'topolgy'; did you mean 'topology'?");
        assertThat(o.err()).contains("usage:");

        assertThat(cli().run("frobnicate").errLines().get(0)).isEqualTo("numa-agent: unknown command 'frobnicate'");
        assertThat(cli().run("--json").errLines().get(0)).isEqualTo("numa-agent: unknown option '--json'");
    }

    @Test
    void missingArgumentIsBadUsageNamingItAndTheVerbsUsage() {
        Outcome o = cli().run("check");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.errLines()).containsExactly(
                "numa-agent: check: missing CONFIG (the config file to check)",
                "usage: java -jar numa-agent.jar check CONFIG [--sysfs DIR] [--classpath PATH]",
                "(java -jar numa-agent.jar help shows every command)");
    }

    @Test
    void unknownOptionAndExtraArgumentsAreBadUsage() {
        Outcome unknown = cli().run("topology", "--nodes");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.errLines().get(0))
                .isEqualTo("numa-agent: topology: unknown option '--nodes' (expected: --sysfs DIR, --json, --help)");
        Outcome extra = cli().run("topology", "now");
        assertThat(extra.status()).isEqualTo(2);
        assertThat(extra.errLines().get(0))
                .isEqualTo("numa-agent: topology: unexpected argument 'now' (this command takes options only)");
        assertThat(cli().run("topology", "--sysfs").errLines().get(0))
                .isEqualTo("numa-agent: topology: --sysfs needs a value: --sysfs DIR");
        assertThat(cli().run("check", "a.yaml", "b.yaml").status()).isEqualTo(2);
    }

    @Test
    void aVerbsHelpShowsItsUsage() {
        Outcome o = cli().run("check", "--help");
        assertThat(o.status()).isZero();
        assertThat(o.out()).isEqualTo("usage: java -jar numa-agent.jar check CONFIG [--sysfs DIR] [--classpath PATH]\n");
    }

    @Test
    void statusAndAttachOfAProcessThatDoesNotExistExitOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path proc) {
        Outcome status = cli().proc(proc).run("status", "1234");
        assertThat(status.status()).isEqualTo(1);
        assertThat(status.out()).isEmpty();
        assertThat(status.err()).isEqualTo("numa-agent: status: no process 1234\n");
        Outcome attach = cli().proc(proc).run("attach", "1234", "config.yaml");
        assertThat(attach.status()).isEqualTo(1);
        assertThat(attach.err()).isEqualTo("numa-agent: attach: no process 1234\n");
    }

    @Test
    void versionOutsideTheJarSaysItIsUnknown() {
        Outcome o = cli().run("--version");
        assertThat(o.status()).isZero();
        // the tests run from target/classes: no manifest to read (the jar's is checked in CliIT)
        assertThat(o.out()).startsWith("numa-agent ");
    }
}
