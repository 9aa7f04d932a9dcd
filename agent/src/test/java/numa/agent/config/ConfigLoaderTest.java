package numa.agent.config;

import static numa.agent.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import numa.agent.config.BindingConfig.Children;
import numa.agent.config.BindingConfig.Cpus;
import numa.agent.config.BindingConfig.Memory;
import numa.agent.config.BindingConfig.OnError;
import numa.agent.config.DevicesConfig.Source;
import numa.agent.config.DevicesConfig.UnknownNode;
import numa.agent.config.Rule.BindMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configs that load, and the model they give. */
class ConfigLoaderTest {

    private static String resource(String name) throws Exception {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void specSampleLoadsToTheModelItDescribes() throws Exception {
        List<ConfigException> warnings = new ArrayList<>();
        AgentConfig config = ConfigLoader.parse("spec.yaml", resource("spec-sample.yaml"), warnings::add);

        assertThat(config.source()).isEqualTo("spec.yaml");
        assertThat(config.sysfs()).isEqualTo("/sys");
        // pci and nodes are listed in the sample under source: auto, which does not use them
        assertThat(config.devices()).isEqualTo(new DevicesConfig(Source.AUTO, List.of(), List.of(),
                "CUDA_VISIBLE_DEVICES", UnknownNode.SKIP));
        assertThat(warnings).extracting(Throwable::getMessage).containsExactly(
                "spec.yaml:6:3: devices.pci is ignored: it is only used with source: pci (source is auto)",
                "spec.yaml:7:3: devices.nodes is ignored: it is only used with source: static (source is auto)");
        assertThat(config.binding()).isEqualTo(new BindingConfig(Cpus.NODE, Memory.PREFERRED, Children.RESET, OnError.WARN));

        ProcessSection process = config.process().orElseThrow();
        assertThat(process.device().text()).isEqualTo("0");
        assertThat(process.node()).isNull();
        assertThat(process.position()).isEqualTo(new Position("spec.yaml", 18, 3));

        assertThat(config.rules()).extracting(Rule::name)
                .containsExactly("gpu-workers", "engine-workers", "worker-server", "spawned-workers");

        Rule gpu = config.rules().get(0);
        assertThat(gpu.thread().pattern()).isEqualTo("gpu-worker-(\\d+)");
        assertThat(gpu.isThreadRule()).isTrue();
        assertThat(gpu.device().text()).isEqualTo("$1");
        assertThat(gpu.node()).isNull();
        assertThat(gpu.bind()).isNull();
        assertThat(gpu.position()).isEqualTo(new Position("spec.yaml", 21, 5));
        assertThat(gpu.device().evaluate(TestContext.matching(gpu.thread().pattern(), "gpu-worker-2"))).isEqualTo(2);

        Rule engine = config.rules().get(1);
        assertThat(engine.threadClassGlob()).isEqualTo("com.acme.engine.*Worker");
        assertThat(engine.threadClass().matcher("com.acme.engine.GpuWorker").matches()).isTrue();
        assertThat(engine.threadClass().matcher("com.acme.engine.sub.GpuWorker").matches()).isFalse();
        assertThat(engine.node().evaluate(new TestContext())).isEqualTo(1);
        assertThat(engine.device()).isNull();

        Rule server = config.rules().get(2);
        assertThat(server.method()).isEqualTo("com.acme.engine.WorkerServer#createServer");
        assertThat(server.methodPattern().methodName()).isEqualTo("createServer");
        assertThat(server.methodPattern().matchesClass("com.acme.engine.WorkerServer")).isTrue();
        assertThat(server.bind()).isEqualTo(BindMode.CALLER);
        assertThat(server.device().text()).isEqualTo("arg0.index");
        assertThat(server.isThreadRule()).isFalse();

        Rule spawned = config.rules().get(3);
        assertThat(spawned.process().matcher("python spawn_worker --device=3 --x").matches()).isTrue();
        assertThat(spawned.device().text()).isEqualTo("$1");
    }

    @Test
    void emptyFileGivesEveryDefault() throws Exception {
        for (String empty : List.of("", "\n\n", "# only a comment\n", "---\n", "~\n", "\uFEFF")) {
            AgentConfig config = parse(empty);
            assertThat(config.source()).isEqualTo("config.yaml");
            assertThat(config.sysfs()).isNull();
            assertThat(config.devices()).isEqualTo(DevicesConfig.defaults());
            assertThat(config.binding()).isEqualTo(BindingConfig.defaults());
            assertThat(config.process()).isEmpty();
            assertThat(config.rules()).isEmpty();
        }
    }

    @Test
    void sectionsWithNothingUnderThemAreDefaults() throws Exception {
        AgentConfig config = parse("""
                topology:
                devices:
                binding: {}
                process:
                rules:
                """);
        assertThat(config.sysfs()).isNull();
        assertThat(config.devices()).isEqualTo(DevicesConfig.defaults());
        assertThat(config.binding()).isEqualTo(BindingConfig.defaults());
        assertThat(config.process()).isEmpty();
        assertThat(config.rules()).isEmpty();
    }

    @Test
    void everyBindingValue() throws Exception {
        AgentConfig config = parse("""
                binding:
                  cpus: exclusive
                  memory: bind
                  children: inherit
                  on-error: fail
                """);
        assertThat(config.binding()).isEqualTo(new BindingConfig(Cpus.EXCLUSIVE, Memory.BIND, Children.INHERIT, OnError.FAIL));
        assertThat(parse("binding: {cpus: none, memory: none}").binding())
                .isEqualTo(new BindingConfig(Cpus.NONE, Memory.NONE, Children.RESET, OnError.WARN));
    }

    @Test
    void pciSourceKeepsBusIdsAsWritten() throws Exception {
        AgentConfig config = parse("""
                devices:
                  source: pci
                  pci: ["0000:3B:00.0", 0000:3b:00.1, "00000000:AF:1f.7", "03f8cfdd:00:02.0", 5e:00.0]
                  visible-env: ""
                  unknown-node: round-robin
                """);
        assertThat(config.devices()).isEqualTo(new DevicesConfig(Source.PCI,
                List.of("0000:3B:00.0", "0000:3b:00.1", "00000000:AF:1f.7", "03f8cfdd:00:02.0", "5e:00.0"), List.of(),
                "", UnknownNode.ROUND_ROBIN));
    }

    @Test
    void staticSourceKeepsNodes() throws Exception {
        AgentConfig config = parse("""
                devices:
                  source: static
                  nodes:
                    - 0
                    - 1
                    - 0x2
                  visible-env: MY_DEVICES
                """);
        assertThat(config.devices()).isEqualTo(new DevicesConfig(Source.STATIC, List.of(), List.of(0, 1, 2),
                "MY_DEVICES", UnknownNode.SKIP));
    }

    @Test
    void otherSources() throws Exception {
        assertThat(parse("devices: {source: nvidia}").devices().source()).isEqualTo(Source.NVIDIA);
        assertThat(parse("devices: {source: accel}").devices().source()).isEqualTo(Source.ACCEL);
        assertThat(parse("devices: {source: auto}").devices().source()).isEqualTo(Source.AUTO);
    }

    @Test
    void processSectionByNode() throws Exception {
        ProcessSection process = parse("""
                process:
                  node: env:JVM_NODE
                """).process().orElseThrow();
        assertThat(process.device()).isNull();
        assertThat(process.node().text()).isEqualTo("env:JVM_NODE");
        assertThat(process.node().evaluate(new TestContext().env("JVM_NODE", "1"))).isEqualTo(1);
        assertThat(process.position()).isEqualTo(new Position("config.yaml", 2, 3));
    }

    @Test
    void rulesWithoutNamesAreNamedByPosition() throws Exception {
        AgentConfig config = parse("""
                rules:
                  - thread: a
                    node: 0
                  - name: b
                    thread: b
                    node: 1
                  - thread: c
                    node: 1
                """);
        assertThat(config.rules()).extracting(Rule::name).containsExactly("rule-1", "b", "rule-3");
    }

    @Test
    void threadAndThreadClassCombine() throws Exception {
        Rule rule = parse("""
                rules:
                  - thread: 'worker-(\\d+)'
                    thread-class: com.acme.**.Worker$*
                    device: $1
                """).rules().get(0);
        assertThat(rule.thread().pattern()).isEqualTo("worker-(\\d+)");
        assertThat(rule.threadClass().matcher("com.acme.pool.Worker$1").matches()).isTrue();
        assertThat(rule.isThreadRule()).isTrue();
    }

    @Test
    void methodRulesTakeEveryBindMode() throws Exception {
        AgentConfig config = parse("""
                rules:
                  - {method: "a.B#c", device: 0}
                  - {method: "a.B#c", device: 0, bind: caller}
                  - {method: "a.B#c", device: this.device.index, bind: call}
                  - {method: "a.**#*", node: round-robin, bind: children}
                """);
        assertThat(config.rules()).extracting(Rule::bind)
                .containsExactly(BindMode.CALLER, BindMode.CALLER, BindMode.CALL, BindMode.CHILDREN);
    }

    @Test
    void everyExpressionFormLoads() throws Exception {
        AgentConfig config = parse("""
                rules:
                  - {thread: 'w-(?<gpu>\\d+)', device: '${gpu}'}
                  - {thread: 'w-(\\d+)', device: '${1}'}
                  - {thread: w, device: env:GPU}
                  - {thread: w, device: prop:gpu.index}
                  - {thread: w, device: round-robin}
                  - {thread: w, device: "7"}
                  - {thread: w, node: 0}
                  - {method: a.B#c, device: arg3}
                  - {process: 'run --gpu=(\\d+)', device: $1}
                """);
        assertThat(config.rules()).extracting(r -> r.device() != null ? r.device().text() : r.node().text())
                .containsExactly("${gpu}", "${1}", "env:GPU", "prop:gpu.index", "round-robin", "7", "0", "arg3", "$1");
    }

    @Test
    void plainDollarBraceIsAGroupNotAnEnvironmentVariable() throws Exception {
        // the YAML core schema labels a plain ${x} as an environment reference; the config keeps it as text
        Rule rule = parse("""
                rules:
                  - thread: 'w-(?<x>\\d+)'
                    device: ${x}
                """).rules().get(0);
        assertThat(rule.device().evaluate(TestContext.matching("w-(?<x>\\d+)", "w-5"))).isEqualTo(5);
    }

    @Test
    void anchorsAndMergeKeysWork() throws Exception {
        AgentConfig config = parse("""
                rules:
                  - &worker
                    thread: &re 'gpu-worker-(\\d+)'
                    device: $1
                  - <<: *worker
                    name: second
                  - thread: *re
                    node: 1
                """);
        assertThat(config.rules()).extracting(Rule::name).containsExactly("rule-1", "second", "rule-3");
        assertThat(config.rules().get(1).thread().pattern()).isEqualTo("gpu-worker-(\\d+)");
        assertThat(config.rules().get(2).thread().pattern()).isEqualTo("gpu-worker-(\\d+)");
    }

    @Test
    void loadsAFileAndNamesItAsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("numa.yaml");
        Files.writeString(file, "binding:\n  cpus: exclusive\n");
        AgentConfig config = ConfigLoader.load(file);
        assertThat(config.source()).isEqualTo(file.toString());
        assertThat(config.binding().cpus()).isEqualTo(Cpus.EXCLUSIVE);
    }
}
