package numa.agent.config;

import static numa.agent.config.Configs.error;
import static numa.agent.config.Configs.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every kind of config error, with the exact message and place people see. */
class ConfigErrorsTest {

    @Nested
    class Keys {
        @Test
        void unknownKeyAsInSpec() {
            // SPEC.md's example, word for word, then the suggestion
            assertThat(message("""
                    binding:
                      cpus: node
                      memory: preferred
                      cpu: node
                    """)).isEqualTo("config.yaml:4:3: unknown key 'cpu' in binding (expected: cpus, memory, children,"
                    + " on-error); did you mean 'cpus'?");
        }

        @Test
        void unknownKeyWithNothingClose() {
            assertThat(message("binding: {affinity: node}")).isEqualTo(
                    "config.yaml:1:11: unknown key 'affinity' in binding (expected: cpus, memory, children, on-error)");
        }

        @Test
        void unknownKeyAtTheTopLevel() {
            assertThat(message("topology: {}\nrule:\n  - thread: x\n")).isEqualTo(
                    "config.yaml:2:1: unknown key 'rule' at the top level (expected: topology, devices, binding,"
                    + " process, rules); did you mean 'rules'?");
        }

        @Test
        void unknownKeyInEachSection() {
            assertThat(message("topology:\n  sysf: /x\n")).isEqualTo("config.yaml:2:3: unknown key 'sysf' in topology"
                    + " (expected: sysfs); did you mean 'sysfs'?");
            assertThat(message("devices:\n  visible_env: X\n")).isEqualTo("config.yaml:2:3: unknown key 'visible_env'"
                    + " in devices (expected: source, pci, nodes, visible-env, unknown-node, vendor); did you mean 'visible-env'?");
            assertThat(message("process:\n  devices: 1\n")).isEqualTo("config.yaml:2:3: unknown key 'devices' in process"
                    + " (expected: device, node); did you mean 'device'?");
            assertThat(message("rules:\n  - name: r\n    thread: x\n    node: 1\n    Bind: call\n")).isEqualTo(
                    "config.yaml:5:5: unknown key 'Bind' in rule 'r' (expected: name, thread, thread-class, method,"
                    + " process, device, node, bind); did you mean 'bind'?");
        }

        @Test
        void duplicateKey() {
            assertThat(message("""
                    binding:
                      cpus: node
                      memory: bind
                      cpus: exclusive
                    """)).isEqualTo("config.yaml:4:3: duplicate key 'cpus' in binding (first given at line 2)");
            assertThat(message("binding: {}\nbinding: {}\n"))
                    .isEqualTo("config.yaml:2:1: duplicate key 'binding' at the top level (first given at line 1)");
        }

        @Test
        void keyThatIsNotAName() {
            assertThat(message("binding:\n  ? [cpus]\n  : node\n")).isEqualTo(
                    "config.yaml:2:5: keys in binding must be names, not a list (expected: cpus, memory, children, on-error)");
        }
    }

    @Nested
    class Types {
        @Test
        void topLevelMustBeAMap() {
            assertThat(message("- thread: x\n")).isEqualTo("config.yaml:1:1: the config must be a map at the top level"
                    + " (keys: topology, devices, binding, process, rules), not a list");
            assertThat(message("just text")).isEqualTo("config.yaml:1:1: the config must be a map at the top level"
                    + " (keys: topology, devices, binding, process, rules), not the string 'just text'");
        }

        @Test
        void sectionMustBeAMap() {
            assertThat(message("binding: [cpus]\n")).isEqualTo(
                    "config.yaml:1:10: binding must be a map (keys: cpus, memory, children, on-error), not a list");
            assertThat(message("devices: auto\n")).isEqualTo("config.yaml:1:10: devices must be a map (keys: source,"
                    + " pci, nodes, visible-env, unknown-node, vendor), not the string 'auto'");
            assertThat(message("process: 3\n"))
                    .isEqualTo("config.yaml:1:10: process must be a map (keys: device, node), not the number 3");
            assertThat(message("topology: /sys\n"))
                    .isEqualTo("config.yaml:1:11: topology must be a map (keys: sysfs), not the string '/sys'");
        }

        @Test
        void rulesMustBeAListOfMaps() {
            assertThat(message("rules:\n  thread: x\n")).isEqualTo(
                    "config.yaml:2:3: rules must be a list of rules (each a map starting with '- '), not a map");
            assertThat(message("rules:\n  - {thread: x, node: 1}\n  - gpu-worker\n")).isEqualTo(
                    "config.yaml:3:5: rule 2 must be a map (keys: name, thread, thread-class, method, process, device,"
                    + " node, bind), not the string 'gpu-worker'");
        }

        @Test
        void aListWhereAStringWasExpected() {
            assertThat(message("topology:\n  sysfs: [/sys]\n")).isEqualTo(
                    "config.yaml:2:10: topology.sysfs must be a directory (the root of the /sys layout), not a list");
            assertThat(message("rules:\n  - thread: {a: b}\n    node: 1\n")).isEqualTo(
                    "config.yaml:2:13: thread in rule 'rule-1' must be a regex on the whole thread name, not a map");
        }

        @Test
        void aStringWhereAnIntegerWasExpected() {
            assertThat(message("devices:\n  source: static\n  nodes: [0, \"1\"]\n")).isEqualTo(
                    "config.yaml:3:14: devices.nodes[1] must be a NUMA node number (0 or more), not the string '1'");
            assertThat(message("devices:\n  source: static\n  nodes: 0\n")).isEqualTo(
                    "config.yaml:3:10: devices.nodes must be a list of NUMA node numbers (e.g. [0, 0, 1, 1]), not the number 0");
        }

        @Test
        void emptyValues() {
            assertThat(message("binding:\n  cpus:\n")).isEqualTo(
                    "config.yaml:2:8: binding.cpus must be one of node, exclusive, none, not an empty value");
            assertThat(message("topology:\n  sysfs: ''\n")).isEqualTo(
                    "config.yaml:2:10: topology.sysfs must be a directory (the root of the /sys layout), not an empty string");
            assertThat(message("rules:\n  - thread: ''\n    node: 1\n")).isEqualTo(
                    "config.yaml:2:13: thread in rule 'rule-1' must be a regex on the whole thread name, not an empty string");
        }

        @Test
        void expressionOfTheWrongType() {
            String forms = "an integer, $N, ${name}, argN or this followed by .prop steps, env:NAME, prop:NAME or round-robin";
            assertThat(message("rules:\n  - thread: x\n    device: 1.5\n")).isEqualTo(
                    "config.yaml:3:13: device in rule 'rule-1' must be a number or an expression (" + forms
                    + "), not the number 1.5");
            assertThat(message("rules:\n  - thread: x\n    node: true\n")).isEqualTo(
                    "config.yaml:3:11: node in rule 'rule-1' must be a number or an expression (" + forms + "), not true");
            assertThat(message("process:\n  node: [1]\n")).isEqualTo(
                    "config.yaml:2:9: node in process must be a number or an expression (" + forms + "), not a list");
        }
    }

    @Nested
    class Enums {
        @Test
        void badEnumListsTheAllowedValues() {
            assertThat(message("devices:\n  source: gpu\n")).isEqualTo(
                    "config.yaml:2:11: invalid value 'gpu' for devices.source (expected: auto, nvidia, accel, pci, static, amd, ascend, cambricon, intel, vendor)");
            assertThat(message("devices:\n  unknown-node: roundrobin\n")).isEqualTo("config.yaml:2:17: invalid value"
                    + " 'roundrobin' for devices.unknown-node (expected: skip, round-robin); did you mean 'round-robin'?");
            assertThat(message("binding:\n  memory: prefered\n")).isEqualTo("config.yaml:2:11: invalid value 'prefered'"
                    + " for binding.memory (expected: preferred, bind, none); did you mean 'preferred'?");
            assertThat(message("binding:\n  children: keep\n")).isEqualTo(
                    "config.yaml:2:13: invalid value 'keep' for binding.children (expected: reset, inherit)");
            assertThat(message("binding:\n  on-error: FAIL\n")).isEqualTo("config.yaml:2:13: invalid value 'FAIL' for"
                    + " binding.on-error (expected: warn, fail); did you mean 'fail'?");
            assertThat(message("binding:\n  cpus: 1\n")).isEqualTo(
                    "config.yaml:2:9: invalid value '1' for binding.cpus (expected: node, exclusive, none)");
            assertThat(message("rules:\n  - {method: a.B#c, node: 1, bind: calls}\n")).isEqualTo("config.yaml:2:36:"
                    + " invalid value 'calls' for bind in rule 'rule-1' (expected: caller, call, children);"
                    + " did you mean 'call'?");
        }
    }

    @Nested
    class Devices {
        @Test
        void pciSourceNeedsItsList() {
            assertThat(message("devices:\n  source: pci\n")).isEqualTo("config.yaml:2:11: devices.source: pci needs"
                    + " devices.pci: the PCI bus id of each device, in device order");
            assertThat(message("devices:\n  source: pci\n  pci: []\n")).isEqualTo("config.yaml:3:8: devices.pci is empty;"
                    + " source: pci needs the PCI bus id of each device, in device order");
        }

        @Test
        void staticSourceNeedsItsList() {
            assertThat(message("devices:\n  source: static\n")).isEqualTo("config.yaml:2:11: devices.source: static"
                    + " needs devices.nodes: the NUMA node of each device, in device order");
        }

        @Test
        void aListForAnotherSourceIsIgnoredWithAWarning() throws Exception {
            List<ConfigException> warnings = new ArrayList<>();
            AgentConfig config = ConfigLoader.parse("config.yaml", """
                    devices:
                      pci: ["0000:3b:00.0"]
                      source: static
                      nodes: [1]
                    """, warnings::add);
            assertThat(config.devices().pci()).isEmpty();
            assertThat(config.devices().nodes()).containsExactly(1);
            assertThat(warnings).extracting(Throwable::getMessage).containsExactly("config.yaml:2:3: devices.pci is"
                    + " ignored: it is only used with source: pci (source is static)");

            warnings.clear();
            ConfigLoader.parse("config.yaml", "devices:\n  nodes: [0, 1]\n", warnings::add);
            assertThat(warnings).extracting(Throwable::getMessage).containsExactly("config.yaml:2:3: devices.nodes is"
                    + " ignored: it is only used with source: static (source is auto, the default)");
        }

        @Test
        void negativeNodeNumber() {
            assertThat(message("devices:\n  source: static\n  nodes: [0, -1]\n")).isEqualTo(
                    "config.yaml:3:14: devices.nodes[1] must be a NUMA node number (0 or more), not the negative number -1");
        }

        @Test
        void nodeNumberTooLarge() {
            assertThat(message("devices:\n  source: static\n  nodes: [4294967296]\n")).isEqualTo(
                    "config.yaml:3:11: devices.nodes[0] must be a NUMA node number (0 or more); 4294967296 is too large");
        }

        @Test
        void invalidBusIds() {
            String expected = " is not a PCI bus id (expected [domain:]bus:device.function in hex, e.g. 0000:3b:00.0"
                    + " or 3b:00.0; device 00-1f, function 0-7)";
            for (String bad : List.of("3b:00", "3b:00.8", "3b:20.0", "000:3b:00.0", "0000:3b:00.0.1", "0000-3b-00.0",
                    "gg:00.0", "0000:3b:0.0", " 0000:3b:00.0", "")) {
                assertThat(message("devices:\n  source: pci\n  pci: ['" + bad + "']\n"))
                        .isEqualTo("config.yaml:3:9: devices.pci[0]: '" + bad + "'" + expected);
            }
        }

        @Test
        void busIdAsTheWrongType() {
            assertThat(message("devices:\n  source: pci\n  pci: [[1]]\n")).isEqualTo(
                    "config.yaml:3:9: devices.pci[0] must be a PCI bus id like 0000:3b:00.0, not a list");
            assertThat(message("devices:\n  source: pci\n  pci: '0000:3b:00.0'\n")).isEqualTo("config.yaml:3:8:"
                    + " devices.pci must be a list of PCI bus ids (e.g. [\"0000:3b:00.0\"]), not the string '0000:3b:00.0'");
        }

        @Test
        void visibleEnvMustBeAVariableName() {
            assertThat(message("devices:\n  visible-env: CUDA VISIBLE\n")).isEqualTo("config.yaml:2:16: devices.visible-env:"
                    + " 'CUDA VISIBLE' is not an environment variable name (e.g. CUDA_VISIBLE_DEVICES, or \"\" to ignore none)");
            assertThat(message("devices:\n  visible-env:\n")).isEqualTo("config.yaml:2:15: devices.visible-env must be"
                    + " an environment variable name, or \"\" to ignore none, not an empty value");
        }
    }

    @Nested
    class Process {
        @Test
        void deviceAndNodeBothGiven() {
            assertThat(message("process:\n  node: 1\n  device: 0\n"))
                    .isEqualTo("config.yaml:3:3: process has both device and node; give one of them");
        }

        @Test
        void neitherGiven() {
            assertThat(message("process: {}\n")).isEqualTo(
                    "config.yaml:1:10: process needs device (bind the JVM to that device's node) or node");
        }

        @Test
        void onlyExpressionsKnownAtStart() {
            assertThat(message("process:\n  device: $1\n")).isEqualTo("config.yaml:2:11: device in process: $1 refers"
                    + " to a group of the rule's regex, but there is no thread or process regex here");
            assertThat(message("process:\n  device: arg0.index\n")).isEqualTo("config.yaml:2:11: device in process:"
                    + " arg0.index reads a method call's arguments; only method rules have them (the process section"
                    + " binds the JVM once, at start)");
            assertThat(message("process:\n  node: round-robin\n")).isEqualTo("config.yaml:2:9: node in process:"
                    + " round-robin takes turns between a rule's matches; the process section binds once (give a"
                    + " number, env:NAME or prop:NAME)");
        }
    }

    @Nested
    class Rules {
        @Test
        void deviceAndNodeBothGiven() {
            assertThat(message("rules:\n  - thread: x\n    device: 0\n    node: 1\n"))
                    .isEqualTo("config.yaml:4:5: rule 'rule-1' has both device and node; give one of them");
        }

        @Test
        void neitherDeviceNorNode() {
            assertThat(message("rules:\n  - name: lost\n    thread: x\n"))
                    .isEqualTo("config.yaml:2:5: rule 'lost' needs device (bind to that device's node) or node");
        }

        @Test
        void ruleWithoutMatcher() {
            assertThat(message("rules:\n  - name: everything\n    node: 1\n")).isEqualTo(
                    "config.yaml:2:5: rule 'everything' matches nothing: give thread, thread-class, method or process");
        }

        @Test
        void ruleMixingKindsOfEvent() {
            assertThat(message("rules:\n  - process: x\n    node: 1\n    thread: y\n")).isEqualTo(
                    "config.yaml:4:5: rule 'rule-1' has both process and thread; a rule matches one kind of event:"
                    + " a thread start (thread, thread-class), a method call (method) or a process start (process)");
            assertThat(message("rules:\n  - method: a.B#c\n    thread-class: a.T\n    node: 1\n")).startsWith(
                    "config.yaml:3:5: rule 'rule-1' has both method and thread-class;");
        }

        @Test
        void bindOnANonMethodRule() {
            assertThat(message("rules:\n  - name: t\n    thread: x\n    node: 1\n    bind: call\n"))
                    .isEqualTo("config.yaml:5:5: bind in rule 't' applies only to method rules (with method:)");
        }

        @Test
        void duplicateRuleNames() {
            assertThat(message("""
                    rules:
                      - name: workers
                        thread: a
                        node: 0
                      - name: workers
                        thread: b
                        node: 1
                    """)).isEqualTo("config.yaml:5:11: duplicate rule name 'workers' (the rule at line 2 has it too)");
        }

        @Test
        void aGivenNameThatClashesWithADefaultOne() {
            assertThat(message("""
                    rules:
                      - thread: a
                        node: 0
                      - name: rule-1
                        thread: b
                        node: 1
                    """)).isEqualTo("config.yaml:4:11: duplicate rule name 'rule-1' (the rule at line 2 has it too)");
        }

        @Test
        void emptyName() {
            assertThat(message("rules:\n  - name: ''\n    thread: x\n    node: 1\n"))
                    .isEqualTo("config.yaml:2:11: name in rule 1 must be a name for log lines, not an empty string");
        }

        @Test
        void badRegexPointsAtTheValue() {
            assertThat(message("rules:\n  - thread: 'gpu-(\\d+'\n    device: $1\n")).isEqualTo(
                    "config.yaml:2:13: thread in rule 'rule-1': invalid regex \"gpu-(\\d+\": Unclosed group at index 8");
            assertThat(message("rules:\n  - process: '*python'\n    node: 1\n")).isEqualTo("config.yaml:2:14: process in"
                    + " rule 'rule-1': invalid regex \"*python\": Dangling meta character '*' at index 0");
        }

        @Test
        void badGlob() {
            assertThat(message("rules:\n  - thread-class: com/acme/Worker\n    node: 1\n")).isEqualTo("config.yaml:2:19:"
                    + " thread-class in rule 'rule-1': invalid glob: '/' cannot appear in a class name"
                    + " ('com/acme/Worker') (write class names with dots: com.acme.Worker)");
            assertThat(message("rules:\n  - thread-class: com..Worker\n    node: 1\n")).isEqualTo("config.yaml:2:19:"
                    + " thread-class in rule 'rule-1': invalid glob: 'com..Worker' has an empty part between dots");
        }

        @Test
        void badMethodPattern() {
            assertThat(message("rules:\n  - method: com.acme.Server.create\n    node: 1\n")).isEqualTo("config.yaml:2:13:"
                    + " method in rule 'rule-1': 'com.acme.Server.create' is not <class glob>#<method name>"
                    + " (e.g. com.acme.WorkerServer#createServer, or com.acme.WorkerServer#createServer(com.acme.Device)"
                    + " for one overload)");
            assertThat(message("rules:\n  - method: 'com.acme.Server#create(int'\n    node: 1\n")).isEqualTo(
                    "config.yaml:2:13: method in rule 'rule-1': '(int' after the method name is not a parameter list:"
                    + " it must end with ')' (e.g. (int) or (com.acme.Device, int))");
            assertThat(message("rules:\n  - method: '#create'\n    node: 1\n")).isEqualTo(
                    "config.yaml:2:13: method in rule 'rule-1': '#create' has no class before '#'");
            assertThat(message("rules:\n  - method: 'com.acme.*?#create'\n    node: 1\n")).isEqualTo(
                    "config.yaml:2:13: method in rule 'rule-1': '?' cannot appear in a class name ('com.acme.*?')"
                    + " (only * and ** are wildcards)");
        }

        @Test
        void argumentBeyondTheNamedOverloadsParameters() {
            assertThat(message("rules:\n  - method: 'com.acme.Server#create(int)'\n    device: arg1.index\n"))
                    .isEqualTo("config.yaml:3:13: device in rule 'rule-1': arg1.index reads argument 1, but"
                            + " com.acme.Server#create(int) has 1 parameter (arg0)");
            assertThat(message("rules:\n  - method: 'com.acme.Server#create()'\n    node: arg0\n"))
                    .isEqualTo("config.yaml:3:11: node in rule 'rule-1': arg0 reads argument 0, but"
                            + " com.acme.Server#create() has no parameters");
        }

        @Test
        void groupBeyondTheRegexsGroups() {
            assertThat(message("rules:\n  - thread: 'gpu-(\\d+)'\n    device: $2\n")).isEqualTo("config.yaml:3:13:"
                    + " device in rule 'rule-1': $2 refers to group 2, but the regex \"gpu-(\\d+)\" has only 1 group");
            assertThat(message("rules:\n  - process: 'x-(\\d+)-(\\d+)'\n    node: '$3'\n")).isEqualTo("config.yaml:3:11:"
                    + " node in rule 'rule-1': $3 refers to group 3, but the regex \"x-(\\d+)-(\\d+)\" has only 2 groups");
            assertThat(message("rules:\n  - thread: gpu\n    device: $1\n")).isEqualTo("config.yaml:3:13:"
                    + " device in rule 'rule-1': $1 refers to group 1, but the regex \"gpu\" has no groups");
        }

        @Test
        void namedGroupMissingFromTheRegex() {
            assertThat(message("rules:\n  - thread: 'gpu-(?<index>\\d+)'\n    device: ${gpu}\n")).isEqualTo(
                    "config.yaml:3:13: device in rule 'rule-1': ${gpu} refers to a group named 'gpu', but the regex"
                    + " \"gpu-(?<index>\\d+)\" has none (name a group like this: (?<gpu>\\d+))");
        }

        @Test
        void groupInARuleWithoutRegex() {
            assertThat(message("rules:\n  - thread-class: a.*Worker\n    device: $1\n")).isEqualTo("config.yaml:3:13:"
                    + " device in rule 'rule-1': $1 refers to a group of the rule's regex, but there is no thread or"
                    + " process regex here");
            assertThat(message("rules:\n  - method: a.B#c\n    device: ${x}\n")).startsWith(
                    "config.yaml:3:13: device in rule 'rule-1': ${x} refers to a group of the rule's regex");
        }

        @Test
        void pathOutsideAMethodRule() {
            assertThat(message("rules:\n  - thread: x\n    device: arg0.index\n")).isEqualTo("config.yaml:3:13:"
                    + " device in rule 'rule-1': arg0.index reads the intercepted call's arguments; only method rules"
                    + " have one");
            assertThat(message("rules:\n  - process: x\n    node: this.node\n")).isEqualTo("config.yaml:3:11:"
                    + " node in rule 'rule-1': this.node reads the intercepted call's receiver; only method rules have one");
        }

        @Test
        void badExpression() {
            assertThat(message("rules:\n  - thread: x\n    device: gpu0\n")).isEqualTo("config.yaml:3:13: device in"
                    + " rule 'rule-1': 'gpu0' is not an expression (expected: an integer, $N, ${name}, argN or this"
                    + " followed by .prop steps, env:NAME, prop:NAME or round-robin)");
            assertThat(message("rules:\n  - thread: x\n    device: -1\n")).isEqualTo("config.yaml:3:13: device in"
                    + " rule 'rule-1': -1 is negative (device and node numbers start at 0)");
            assertThat(message("rules:\n  - thread: x\n    node: '-2'\n")).isEqualTo("config.yaml:3:11: node in"
                    + " rule 'rule-1': -2 is negative (device and node numbers start at 0)");
        }

        @Test
        void aBrokenRegexIsReportedOnceNotAgainThroughItsGroups() {
            ConfigException e = error("rules:\n  - thread: '(unclosed'\n    device: $1\n");
            assertThat(e.all()).hasSize(1);
        }

        @Test
        void aBrokenRuleLeavesTheOthersChecked() {
            ConfigException e = error("""
                    rules:
                      - thread: a
                      - thread: b
                        node: 1
                      - thread: c
                        node: x
                    """);
            assertThat(e.all()).extracting(ConfigException::position).containsExactly(
                    new Position("config.yaml", 2, 5), new Position("config.yaml", 6, 11));
        }
    }

    @Nested
    class AllErrors {
        @Test
        void everyErrorIsCollectedInFileOrderAndTheFirstIsTheMessage() {
            ConfigException e = error("""
                    rules:
                      - thread: x
                        device: nope
                    binding:
                      cpu: node
                    devices:
                      source: gpu
                    """);
            assertThat(e.getMessage()).startsWith("config.yaml:3:13: device in rule 'rule-1': 'nope' is not an expression");
            assertThat(e.position()).isEqualTo(new Position("config.yaml", 3, 13));
            assertThat(e.all()).extracting(ConfigException::position).containsExactly(
                    new Position("config.yaml", 3, 13), new Position("config.yaml", 5, 3), new Position("config.yaml", 7, 11));
            assertThat(e.all().get(1).problem()).startsWith("unknown key 'cpu' in binding");
            assertThat(e.all().get(2).getMessage()).startsWith("config.yaml:7:11: invalid value 'gpu' for devices.source");
        }
    }
}
