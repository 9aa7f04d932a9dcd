package numa.agent.cli;

import static numa.agent.cli.CliHarness.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.cli.CliHarness.Outcome;
import numa.agent.testing.FakeSysfs;

/** {@code check CONFIG}: every error with its place, and for a valid config the plan on a fake machine. */
class CheckCommandTest {
    @TempDir
    Path tmp;

    private Path config(String yaml) throws Exception {
        return Files.writeString(tmp.resolve("config.yaml"), yaml);
    }

    /** Two nodes of 8 CPUs, two GPUs on each. */
    private Path twoNodesFourGpus() {
        return FakeSysfs.create().node(0, "0-7", 65536).node(1, "8-15", 65536)
                .nvidiaGpu("0000:1b:00.0", 0).nvidiaGpu("0000:3b:00.0", 0)
                .nvidiaGpu("0000:9b:00.0", 1).nvidiaGpu("0000:bb:00.0", 1)
                .write(tmp.resolve("sys"));
    }

    private Outcome check(Path config, Path sys) {
        return cli().allowedCpus("0-15").run("check", config.toString(), "--sysfs", sys.toString());
    }

    @Nested
    class ValidConfigs {
        /** The static list names a node that is not here: the advice points at the list, and the node is not called unknown. */
        @Test
        void aStaticDeviceOnAMissingNodeIsAdvisedForTheListItCameFrom() throws Exception {
            Path cfg = config("""
                    devices:
                      source: static
                      nodes: [0, 3]
                    rules:
                      - name: w
                        thread: "gpu-worker-(\\\\d+)"
                        device: "$1"
                    """);
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.status()).isZero();
            assertThat(o.out()).contains("  warning: device 1 (static): devices.nodes gives it node 3, which")
                    .contains("  warning: device 1 is on node 3, which is not online")
                    .doesNotContain("list nodes with devices.source: static").doesNotContain("-1 or unreadable");
        }

        /** Why no devices were found is said once, on the devices line, not again in the warning. */
        @Test
        void theDeviceSourcesWordIsNotRepeatedInTheNoDevicesWarning() throws Exception {
            Path cfg = config("""
                    rules:
                      - name: w
                        thread: "gpu-worker-(\\\\d+)"
                        device: "$1"
                    """);
            Outcome o = check(cfg, FakeSysfs.create().node(0, "0-7", 65536).write(tmp.resolve("sys")));
            assertThat(o.out()).containsOnlyOnce("NVML not used").contains("  warning: no devices found (source auto):");
        }

        @Test
        void eachRulesPlanForEveryDeviceOrNodeItCanName() throws Exception {
            Path cfg = config("""
                    rules:
                      - name: gpu-workers
                        thread: "gpu-worker-(\\\\d+)"
                        device: "$1"
                      - name: engine-workers
                        thread-class: "com.acme.engine.*Worker"
                        node: 1
                      - name: loader
                        thread: "loader"
                        device: 2
                    """);
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.status()).isZero();
            assertThat(o.err()).isEmpty();
            assertThat(o.outLines()).containsSubsequence(
                    cfg + ": valid; 3 rules",
                    "devices (auto (NVML not used: NVIDIA GPUs found by a PCI scan of " + tmp.resolve("sys") + ")): 4",
                    "  device 0: nvidia 0000:1b:00.0, node 0",
                    "binding: cpus=node memory=preferred children=reset on-error=warn",
                    "rule gpu-workers (" + cfg + ":2:5): thread \"gpu-worker-(\\d+)\" -> device $1",
                    "  (a group of the rule's regex, known when a name or command line matches: every device is listed)",
                    "  device 0: node 0 cpus=0-7 memory=preferred",
                    "  device 1: node 0 cpus=0-7 memory=preferred",
                    "  device 2: node 1 cpus=8-15 memory=preferred",
                    "  device 3: node 1 cpus=8-15 memory=preferred",
                    "rule engine-workers (" + cfg + ":5:5): thread-class com.acme.engine.*Worker -> node 1",
                    "  node 1: cpus=8-15 memory=preferred",
                    "rule loader (" + cfg + ":8:5): thread \"loader\" -> device 2",
                    "  device 2: node 1 cpus=8-15 memory=preferred",
                    "every binding can be made here");
            assertThat(o.out()).doesNotContain("warning");
        }

        @Test
        void exclusiveSplitsANodeBetweenItsDevicesAndBindMemoryIsShown() throws Exception {
            Path cfg = config("""
                    binding: {cpus: exclusive, memory: bind}
                    rules:
                      - thread: "gpu-(\\\\d+)"
                        device: "$1"
                    """);
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.outLines()).containsSubsequence(
                    "binding: cpus=exclusive memory=bind children=reset on-error=warn",
                    "  device 0: node 0 cpus=0-3 memory=bind",
                    "  device 1: node 0 cpus=4-7 memory=bind",
                    "  device 2: node 1 cpus=8-11 memory=bind",
                    "  device 3: node 1 cpus=12-15 memory=bind");
        }

        @Test
        void roundRobinNodesCycleOverNodesWithCpusOnly() throws Exception {
            Path sys = FakeSysfs.create().node(0, "0-3", 1024).cpuLessNode(1, 1024).node(2, "4-7", 1024)
                    .write(tmp.resolve("sys"));
            Path cfg = config("rules:\n  - name: spread\n    thread: \"pool-.*\"\n    node: round-robin\n");
            Outcome o = check(cfg, sys);
            assertThat(o.outLines()).containsSubsequence(
                    "devices: not looked for (no rule names a device)",
                    "rule spread (" + cfg + ":2:5): thread \"pool-.*\" -> node round-robin",
                    "  (round-robin: each match takes the next node with CPUs in turn)",
                    "  node 0: cpus=0-3 memory=preferred",
                    "  node 2: cpus=4-7 memory=preferred");
            assertThat(o.out()).doesNotContain("node 1:");
        }

        @Test
        void environmentExpressionsListEveryDevice() throws Exception {
            Path cfg = config("""
                    rules:
                      - name: by-env
                        process: ".*worker.*"
                        device: "env:GPU_INDEX"
                    """);
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.outLines()).containsSubsequence(
                    "rule by-env (" + cfg + ":2:5): process \".*worker.*\" -> device env:GPU_INDEX",
                    "  (the application's environment variable GPU_INDEX, read when a rule matches: every device is listed)",
                    "  device 0: node 0 cpus=0-7 memory=preferred",
                    "  device 3: node 1 cpus=8-15 memory=preferred");
        }

        @Test
        void theProcessSectionIsPlannedToo() throws Exception {
            Path cfg = config("process:\n  device: 2\n");
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.status()).isZero();
            assertThat(o.outLines()).containsSubsequence(
                    cfg + ": valid; 0 rules and a process section",
                    "process (" + cfg + ":2:3): every thread of the JVM at start -> device 2",
                    "  device 2: node 1 cpus=8-15 memory=preferred",
                    "every binding can be made here");
        }

        @Test
        void staticDevicesFromTheConfigAreUsed() throws Exception {
            Path sys = FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024).write(tmp.resolve("sys"));
            Path cfg = config("devices: {source: static, nodes: [1, 0]}\nrules:\n  - thread: t\n    device: 0\n");
            assertThat(check(cfg, sys).outLines()).containsSubsequence(
                    "devices (static): 2", "  device 0: static, node 1", "  device 0: node 1 cpus=4-7 memory=preferred");
        }

        @Test
        void noRulesMeansNothingIsBound() throws Exception {
            Outcome o = check(config("binding: {cpus: node}\n"), twoNodesFourGpus());
            assertThat(o.status()).isZero();
            assertThat(o.outLines()).endsWith("no rules and no process section: the agent binds nothing");
        }
    }

    @Nested
    class WhatWillNotBindHere {
        @Test
        void aDeviceWithoutANode() throws Exception {
            Path sys = FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-7", 1024)
                    .nvidiaGpu("0000:3b:00.0", 0).nvidiaGpu("0000:5e:00.0", -1).write(tmp.resolve("sys"));
            Outcome o = check(config("rules:\n  - thread: \"gpu-(\\\\d)\"\n    device: $1\n"), sys);
            assertThat(o.status()).isZero();
            assertThat(o.outLines()).containsSubsequence(
                    "  device 0: node 0 cpus=0-3 memory=preferred",
                    "  device 1: not bound here",
                    "  warning: device 1 (0000:5e:00.0) has no NUMA node (numa_node is -1 or unreadable);"
                            + " set devices.unknown-node: round-robin or give nodes explicitly with source: static");
            assertThat(o.outLines().get(o.outLines().size() - 1))
                    .isEqualTo("2 warnings: some bindings cannot be made here as configured (see above)");
        }

        @Test
        void cpusTheProcessMayNotUse() throws Exception {
            Path cfg = config("rules:\n  - thread: t\n    node: 1\n");
            Outcome o = cli().allowedCpus("0-7").run("check", cfg.toString(), "--sysfs", twoNodesFourGpus().toString());
            assertThat(o.outLines()).containsSubsequence("this process may use cpus 0-7", "  node 1: not bound here",
                    "  warning: none of node 1's CPUs (8-15) are allowed to this process (allowed: 0-7;"
                            + " a cpuset or taskset excludes them)");
        }

        @Test
        void aNodeWithoutCpusAndANodeWithoutMemory() throws Exception {
            Path sys = FakeSysfs.create().node(0, "0-3", 1024).cpuLessNode(1, 98304).memoryLessNode(2, "4-7")
                    .write(tmp.resolve("sys"));
            Path cfg = config("rules:\n  - {thread: a, node: 1}\n  - {thread: b, node: 2}\n");
            Outcome o = check(cfg, sys);
            assertThat(o.status()).isZero();
            assertThat(o.outLines()).containsSubsequence(
                    "  node 1: not bound here",
                    "  warning: node 1 has no CPUs (a memory-only node)",
                    "  node 2: cpus=4-7 memory=preferred",
                    "  warning: node 2 has no memory: the kernel refuses memory=preferred there, so only the CPU"
                            + " binding applies; set binding.memory: none to say so",
                    "2 warnings: some bindings cannot be made here as configured (see above)");
        }

        @Test
        void aDeviceOrNodeThatDoesNotExist() throws Exception {
            Path cfg = config("rules:\n  - {thread: a, device: 7}\n  - {thread: b, node: 5}\n");
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.out()).contains("  warning: device 7 does not exist (4 devices found)",
                    "  warning: node 5 does not exist (nodes: 0,1)");
        }

        @Test
        void aProcessSectionThatCannotBindStopsTheJvmUnderOnErrorFail() throws Exception {
            Path cfg = config("binding: {on-error: fail}\nprocess: {node: 4}\n");
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.outLines()).containsSubsequence(
                    "  node 4: not bound here",
                    "  warning: node 4 does not exist (nodes: 0,1)",
                    "  warning: with binding.on-error: fail, the agent stops the JVM at start here (exit status 78)");
        }

        @Test
        void aMachineWithoutNumaBindsNothingButTheConfigIsStillValid() throws Exception {
            Path sys = FakeSysfs.create().onlineCpus("0-3").write(tmp.resolve("sys"));
            Outcome o = check(config("rules:\n  - {thread: a, node: 0}\n"), sys);
            assertThat(o.status()).isZero();
            assertThat(o.out()).contains("no NUMA nodes", "  warning: no NUMA nodes under " + sys);
        }
    }

    @Nested
    class WhichSysfs {
        @Test
        void theConfigsTopologySysfsIsUsedAndTheOptionWins() throws Exception {
            Path sys = twoNodesFourGpus();
            Path cfg = config("topology: {sysfs: '" + sys + "'}\nrules:\n  - {thread: a, node: 1}\n");
            Outcome fromConfig = cli().allowedCpus("0-15").run("check", cfg.toString());
            assertThat(fromConfig.status()).isZero();
            assertThat(fromConfig.outLines()).contains("topology: " + sys + " (topology.sysfs): 2 nodes"
                    + " (0: cpus 0-7, 65536 MiB; 1: cpus 8-15, 65536 MiB)");

            Path other = FakeSysfs.create().node(0, "0-3", 1024).node(1, "4-5", 1024).write(tmp.resolve("other"));
            Outcome fromOption = check(cfg, other);
            assertThat(fromOption.outLines()).contains("  node 1: cpus=4-5 memory=preferred");
            assertThat(fromOption.out()).contains("(--sysfs)");
        }

        @Test
        void anUnreadableTreeFailsWithStatusOne() throws Exception {
            Path cfg = config("rules:\n  - {thread: a, node: 1}\n");
            Outcome o = cli().run("check", cfg.toString(), "--sysfs", tmp.resolve("missing").toString());
            assertThat(o.status()).isEqualTo(1);
            assertThat(o.err()).startsWith("numa-agent: cannot read the topology (sysfs " + tmp.resolve("missing")
                    + ", from --sysfs): ");
        }
    }

    @Nested
    class BrokenConfigs {
        private Outcome checkBroken(String yaml) throws Exception {
            Outcome o = check(config(yaml), twoNodesFourGpus());
            assertThat(o.status()).as(o.err()).isEqualTo(2);
            assertThat(o.out()).isEmpty();
            return o;
        }

        @Test
        void anUnknownKeyAsInTheSpec() throws Exception {
            Outcome o = checkBroken("binding:\n  cpus: node\n  memory: preferred\n  cpu: node\n");
            assertThat(o.errLines()).containsExactly(
                    "numa-agent: " + tmp.resolve("config.yaml") + ":4:3: unknown key 'cpu' in binding (expected: cpus,"
                            + " memory, children, on-error); did you mean 'cpus'?",
                    "numa-agent: " + tmp.resolve("config.yaml") + ": 1 error; the agent would bind nothing with this config");
        }

        @Test
        void everyErrorIsPrintedInFileOrder() throws Exception {
            Outcome o = checkBroken("""
                    binding:
                      cpus: nodes
                    rules:
                      - name: a
                        thread: "gpu-(\\\\d+)"
                        device: "$2"
                      - name: b
                        thread: "("
                        node: 0
                    """);
            String file = tmp.resolve("config.yaml").toString();
            assertThat(o.errLines()).hasSize(4);
            assertThat(o.errLines().get(0)).startsWith("numa-agent: " + file + ":2:9: ").contains("nodes");
            assertThat(o.errLines().get(1)).startsWith("numa-agent: " + file + ":6:13: ").contains("$2", "group");
            assertThat(o.errLines().get(2)).startsWith("numa-agent: " + file + ":8:13: ");
            assertThat(o.errLines().get(3)).isEqualTo("numa-agent: " + file + ": 3 errors; the agent would bind nothing"
                    + " with this config");
        }

        @Test
        void yamlThatDoesNotParse() throws Exception {
            Outcome o = checkBroken("rules:\n  - thread: \"unclosed\n");
            assertThat(o.errLines().get(0)).matches("numa-agent: " + java.util.regex.Pattern.quote(
                    tmp.resolve("config.yaml").toString()) + ":\\d+:\\d+: .+");
        }

        @Test
        void aRuleWithoutATarget() throws Exception {
            Outcome o = checkBroken("rules:\n  - name: r\n    thread: x\n");
            assertThat(o.errLines().get(0)).startsWith("numa-agent: " + tmp.resolve("config.yaml") + ":2:")
                    .contains("device", "node");
        }

        @Test
        void warningsAreShownWithTheErrors() throws Exception {
            Outcome o = checkBroken("devices:\n  source: auto\n  pci: ['0000:3b:00.0']\nbinding: {memory: lots}\n");
            String file = tmp.resolve("config.yaml").toString();
            assertThat(o.errLines().get(0)).isEqualTo("numa-agent: " + file
                    + ":3:3: warning: devices.pci is ignored: it is only used with source: pci (source is auto)");
            assertThat(o.errLines().get(1)).startsWith("numa-agent: " + file + ":4:19: ").contains("lots");
        }

        @Test
        void aMissingFileIsBadUsage() {
            Outcome o = cli().run("check", tmp.resolve("nope.yaml").toString());
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.errLines().get(0)).startsWith("numa-agent: cannot read config file " + tmp.resolve("nope.yaml")
                    + ": no such file");
        }
    }

    @Test
    void warningsOfAValidConfigGoToStderrAndItStillPasses() throws Exception {
        Path cfg = config("devices:\n  source: auto\n  nodes: [0]\nrules:\n  - {thread: a, node: 0}\n");
        Outcome o = check(cfg, twoNodesFourGpus());
        assertThat(o.status()).isZero();
        assertThat(o.errLines()).containsExactly("numa-agent: " + cfg
                + ":3:3: warning: devices.nodes is ignored: it is only used with source: static (source is auto)");
        assertThat(o.outLines().get(0)).isEqualTo(cfg + ": valid; 1 rule, 1 warning (on stderr)");
    }

    /** check is the deploy gate: what stops the JVM at start under on-error: fail must fail check too. */
    @Nested
    class OnErrorFail {
        @Test
        void aLiteralDeviceThatIsMissingHereExits2AsTheJvmWouldExit78() throws Exception {
            Path cfg = config("""
                    binding:
                      on-error: fail
                    rules:
                      - name: loader
                        thread: "loader"
                        device: 7
                    """);
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.status()).as(o.err()).isEqualTo(2);
            assertThat(o.outLines()).anySatisfy(l -> assertThat(l).contains("rule loader stops the JVM at start here (exit status 78)"));
            assertThat(o.err()).contains("numa-agent: error: " + cfg + ": 1 problem above would stop the JVM at start");
        }

        @Test
        void theSameUnderOnErrorWarnIsAWarningAndExits0() throws Exception {
            Path cfg = config("""
                    rules:
                      - name: loader
                        thread: "loader"
                        device: 7
                    """);
            assertThat(check(cfg, twoNodesFourGpus()).status()).isZero();
        }

        /** A 3,000-step getter path overflowed the stack of the path regex: now a positioned error. */
        @Test
        void aVeryLongExpressionPathIsAPositionedErrorNotAStackOverflow() throws Exception {
            Path cfg = config("rules:\n  - name: deep\n    method: com.acme.W#f\n    device: arg0" + ".a".repeat(3000) + "\n");
            Outcome o = check(cfg, twoNodesFourGpus());
            assertThat(o.status()).as(o.err()).isEqualTo(2);
            assertThat(o.err()).contains(cfg + ":4:13: ").contains("has 3000 steps; at most 64 are allowed")
                    .doesNotContain("StackOverflowError");
        }
    }
}
