package numa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.AgentCli;
import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Jdk;

/**
 * {@code check CONFIG} with the built jar, one broken config of each kind an operator writes:
 * the first line on stderr names file, line and column and what was expected, and the exit status
 * is 2, so a rollout script stops before the config reaches a JVM.
 */
class CheckCommandTest {
    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
                Arguments.of("yaml syntax: unclosed quote", "rules:\n  - thread: 'gpu\n    node: 1\n",
                        "4:1: YAML syntax error: found unexpected end of stream"),
                Arguments.of("yaml syntax: tab indentation", "rules:\n\t- thread: x\n", "2:1: YAML syntax error"),
                Arguments.of("unknown key", "binding:\n  cpu: node\n",
                        "2:3: unknown key 'cpu' in binding (expected: cpus, memory, children, on-error)"),
                Arguments.of("invalid value", "binding:\n  memory: prefered\n",
                        "2:11: invalid value 'prefered' for binding.memory (expected: preferred, bind, none)"),
                Arguments.of("wrong type", "process: 3\n", "1:10: process must be a map"),
                Arguments.of("device and node", "rules:\n  - thread: x\n    device: 0\n    node: 1\n",
                        "4:5: rule 'rule-1' has both device and node"),
                Arguments.of("no target", "rules:\n  - name: lost\n    thread: x\n", "2:5: rule 'lost' needs device"),
                Arguments.of("bad regex", "rules:\n  - thread: 'gpu-(\\d+'\n    node: 1\n",
                        "2:13: thread in rule 'rule-1': invalid regex"),
                Arguments.of("group the regex lacks", "rules:\n  - thread: gpu\n    device: $1\n",
                        "3:13: device in rule 'rule-1': $1 refers to group 1"),
                Arguments.of("bad method pattern", "rules:\n  - method: com.acme.Server.create\n    node: 1\n",
                        "2:13: method in rule 'rule-1': 'com.acme.Server.create' is not <class glob>#<method name>"),
                Arguments.of("duplicate rule name", "rules:\n  - name: w\n    thread: a\n    node: 0\n  - name: w\n    thread: b\n    node: 1\n",
                        "5:11: duplicate rule name 'w'"),
                Arguments.of("incomplete devices section", "devices:\n  source: static\n",
                        "2:11: devices.source: static needs devices.nodes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenConfigs")
    void each_kind_of_broken_config_names_its_place_and_exits_2(String kind, String yaml, String expected) throws Exception {
        Path dir = Artifacts.newRunDir("check-" + kind);
        Path config = Files.writeString(dir.resolve("numa.yaml"), yaml);
        Path sys = FakeTopology.onThisMachine().writeTo(dir.resolve("sys"));
        AgentCli.Result r = AgentCli.run(Jdk.current(), dir, "check", config.toString(), "--sysfs", sys.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(2);
        assertThat(r.err().lines().findFirst()).as("%s", r)
                .hasValueSatisfying(line -> assertThat(line).startsWith("numa-agent: " + config + ":" + expected));
        assertThat(r.out()).as("no plan for an invalid config%s", r).isEmpty();
    }

    @Test
    void every_error_of_a_file_is_printed_in_file_order() throws Exception {
        Path dir = Artifacts.newRunDir("check-many");
        Path config = Files.writeString(dir.resolve("numa.yaml"),
                "binding:\n  cpu: node\n  memory: prefered\nrules:\n  - thread: gpu\n    device: $1\n");
        AgentCli.Result r = AgentCli.run(Jdk.current(), dir, "check", config.toString());
        assertThat(r.status()).as("%s", r).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("numa-agent: " + config + ":")).map(l -> l.split(": ")[1]))
                .as("%s", r).containsExactly(config + ":2:3", config + ":3:11", config + ":6:13", config.toString());
        assertThat(r.err()).contains(config + ": 3 errors");
    }

    @Test
    void a_classpath_without_the_method_rules_class_is_a_warning_with_exit_0() throws Exception {
        Path dir = Artifacts.newRunDir("check-classpath");
        Path config = Files.writeString(dir.resolve("numa.yaml"), """
                rules:
                  - name: engine
                    method: "numa.testapp.Engine#run"
                    node: 0
                  - name: typo
                    method: "numa.testap.Engine#run"
                    node: 0
                """);
        Path sys = FakeTopology.onThisMachine().writeTo(dir.resolve("sys"));
        AgentCli.Result r = AgentCli.run(Jdk.current(), dir, "check", config.toString(), "--sysfs", sys.toString(),
                "--classpath", Artifacts.testappJar().toString());
        assertThat(r.status()).as("%s", r).isZero();
        assertThat(r.out().lines().filter(l -> l.contains("no class on --classpath"))).as("%s", r)
                .singleElement().satisfies(l -> assertThat(l).contains("numa.testap.Engine#run"));
    }
}
