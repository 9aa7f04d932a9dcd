package numa.it.classload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;
import numa.it.harness.OncePerJdk;
import numa.it.harness.RunResult;

/**
 * Classes the JVM makes at run time. A method rule naming an interface binds an ordinary
 * implementation, but not a lambda or a {@code defineHiddenClass} class implementing it: the JVM
 * hands hidden classes to no transformer and refuses to retransform them (documented in
 * docs/hardening.md; name the method the lambda calls instead). Thread rules do apply: a Thread
 * subclass defined as a hidden class is named by the name it was defined with (the JVM adds a
 * {@code /0x...} suffix no config can write), an anonymous subclass by its {@code Outer$1} name, and
 * a thread running a Runnable lambda by its thread name. No LinkageError anywhere.
 */
class GeneratedClassesTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();

    private static final OncePerJdk RUNS = new OncePerJdk(jdk -> JvmRun
            .on(jdk, Artifacts.newRunDir("generated-classes-jdk" + jdk.feature()))
            .sysfs(TOPOLOGY).config("""
                    devices:
                      source: static
                      nodes: [0, 1]
                    rules:
                      - name: work
                        method: numa.it.classload.LambdasApp$Work#work
                        device: arg0
                        bind: call
                      - name: hidden-threads
                        thread-class: numa.it.classload.HiddenThread
                        node: 1
                      - name: anonymous-threads
                        thread-class: numa.it.classload.LambdasApp$*
                        node: 0
                      - name: lambda-runnables
                        thread: lambda-runnable
                        node: 1
                    """)
            .mainClass(System.getProperty("numa.it.testClasses"), LambdasApp.class.getName())
            .run());

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void lambdas_and_hidden_classes_cause_no_linkage_error(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.exitCode()).as("exit status%s", run).isZero();
        assertThat(run.stdout()).as("%s", run).contains("done");
        assertThat(run.stderr()).as("%s", run).doesNotContain("Error").doesNotContain("Exception")
                .doesNotContain("cannot be instrumented");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void an_ordinary_implementation_of_a_named_interface_is_bound(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(Probes.cpus(run, "named-work")).as("%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void lambda_and_hidden_class_implementations_are_not_bound(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(Probes.cpus(run, "lambda-work")).as("a lambda%s", run).isEqualTo(Host.allowedCpuList());
        assertThat(Probes.cpus(run, "hidden-work")).as("a hidden class%s", run).isEqualTo(Host.allowedCpuList());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void a_thread_subclass_defined_as_a_hidden_class_is_named_by_its_glob(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(run.stdout()).as("the JVM's name for it%s", run).contains("hidden thread class numa.it.classload.HiddenThread/0x");
        assertThat(Probes.cpus(run, "hidden-thread")).as("%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anonymous_thread_subclasses_and_lambda_runnables_are_bound(Jdk jdk) {
        RunResult run = RUNS.get(jdk);
        assertThat(Probes.cpus(run, "anonymous-thread")).as("LambdasApp$1%s", run).isEqualTo(TOPOLOGY.cpusOf(0));
        assertThat(Probes.cpus(run, "lambda-runnable")).as("%s", run).isEqualTo(TOPOLOGY.cpusOf(1));
    }
}
