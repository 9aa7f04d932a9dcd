package numa.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import numa.agent.config.ConfigLoader;

class MethodAndProcessRulesTest {
    private static MethodRules methods(String yaml) throws Exception {
        return new MethodRules(ConfigLoader.parse("t.yaml", yaml).rules());
    }

    @Test
    void classGlobsMatchInternalNamesOneBitPerMethodRuleInFileOrder() throws Exception {
        MethodRules r = methods("""
                rules:
                  - {name: t, thread: x, node: 0}
                  - {method: 'com.acme.*Server#create', node: 0}
                  - {method: 'com.acme.**.Pool#start', node: 0, bind: children}
                  - {method: 'com.acme.Outer$Inner#run', node: 0, bind: call}
                """);
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.rule(0).name()).isEqualTo("rule-2");
        assertThat(r.classMask("com/acme/WorkerServer")).isEqualTo(0b001);
        assertThat(r.classMask("com/acme/sub/WorkerServer")).isZero();
        assertThat(r.classMask("com/acme/a/b/Pool")).isEqualTo(0b010);
        assertThat(r.classMask("com/acme/Outer$Inner")).isEqualTo(0b100);
        assertThat(r.classMask("com/other/WorkerServer")).isZero();
        assertThat(r.anyChildren()).isTrue();
        assertThat(r.mayMatchJdk()).isFalse();
        assertThat(MethodRules.isJdkName("java/util/List")).isTrue();
        assertThat(MethodRules.isJdkName("javafx/Thing")).isFalse();
    }

    @Test
    void aGlobThatCouldNameAJdkClassMakesJdkClassesWorthALook() throws Exception {
        assertThat(methods("rules:\n  - {method: '**.Engine#start', node: 0}\n").mayMatchJdk()).isTrue();
        assertThat(methods("rules:\n  - {method: 'java.util.concurrent.*#execute', node: 0}\n").mayMatchJdk()).isTrue();
        assertThat(methods("rules:\n  - {method: 'jav*.X#y', node: 0}\n").mayMatchJdk()).isTrue();
        assertThat(methods("rules:\n  - {method: 'com.sunny.X#y', node: 0}\n").mayMatchJdk()).isFalse();
    }

    @Test
    void aProcessRuleMatchesTheWholeCommandLineFirstRuleWins() throws Exception {
        ProcessRules r = new ProcessRules(ConfigLoader.parse("t.yaml", """
                rules:
                  - {name: workers, process: '.*spawn_worker --device=(\\d+).*', device: $1}
                  - {name: any-python, process: 'python3? .*', node: 0}
                """).rules());
        String line = ProcessRules.commandLine(new String[] {"python3", "-m", "engine.spawn_worker", "--device=3", "-v"});
        assertThat(line).isEqualTo("python3 -m engine.spawn_worker --device=3 -v");
        ProcessRules.Match m = r.match(line);
        assertThat(m.rule().name()).isEqualTo("workers");
        assertThat(m.match().group(1)).isEqualTo("3");
        assertThat(r.match("python script.py").rule().name()).isEqualTo("any-python");
        assertThat(r.match("/bin/python script.py")).isNull();
        assertThat(new ProcessRules(java.util.List.of()).isEmpty()).isTrue();
    }
}
