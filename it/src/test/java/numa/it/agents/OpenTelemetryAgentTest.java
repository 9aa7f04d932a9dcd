package numa.it.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import numa.it.harness.Artifacts;
import numa.it.harness.FakeTopology;
import numa.it.harness.Host;
import numa.it.harness.Jdk;
import numa.it.harness.JvmRun;

/**
 * The OpenTelemetry Java agent (the real jar from Maven Central, see it/pom.xml) and numa-agent in
 * one JVM, in both orders on the command line: both start, OTel traces what it instruments
 * (executors carrying context, an HttpURLConnection client, the JDK's HTTP server, and a method
 * its {@code methods} instrumentation names that a numa {@code method} rule names too), numa-agent
 * binds its threads and calls for real, neither says anything about the other, and the app does
 * what it does without agents.
 *
 * <p>Both agents transform and retransform JDK classes (OTel: ThreadPoolExecutor, ClassLoader,
 * Class, ...; numa-agent: Thread), and the same application class; with OTel first numa-agent
 * retransforms classes OTel already rewrote, with numa-agent first OTel's retransformation runs
 * numa-agent's transformers again. OTel runs with {@code otel.javaagent.debug=true}: only then does
 * it report a class it failed to transform ("Failed to handle ... for transformation"). Nothing goes
 * over the network: spans go to the console exporter, metrics and logs nowhere.
 */
class OpenTelemetryAgentTest {
    private static final FakeTopology TOPOLOGY = FakeTopology.onThisMachine();
    private static final String CONFIG = """
            devices:
              source: static
              nodes: [0, 1]
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
              - name: inference
                method: numa.it.agents.TracedApp$Inference#run
                device: arg0
                bind: call
            """;
    /** One span of OTel's console exporter: {@code [otel.javaagent ...] [thread] INFO ...LoggingSpanExporter - 'name' : trace span KIND [tracer: scope:version] ...}. */
    private static final Pattern SPAN = Pattern.compile(
            "\\] \\[([^\\]]+)\\] INFO io\\.opentelemetry\\.exporter\\.logging\\.LoggingSpanExporter - '([^']+)' : ([0-9a-f]{32}) [0-9a-f]{16} (\\w+) \\[tracer: ([^:]+):");
    /** Errors either agent could cause the other: linkage and verification errors, or any exception. */
    private static final Pattern ERROR = Pattern.compile("\\b\\w*(Error|Exception)\\b");

    enum Order {
        OTEL_FIRST, NUMA_FIRST
    }

    record Span(String thread, String name, String traceId, String kind, String scope) {
    }

    private static final Map<String, HeldRun> RUNS = new HashMap<>();

    static Stream<Arguments> runs() {
        List<Arguments> all = new ArrayList<>();
        for (Jdk jdk : Jdk.available()) {
            for (Order order : Order.values()) {
                all.add(Arguments.of(jdk, order));
            }
        }
        return all.stream();
    }

    static List<Jdk> jdks() {
        return Jdk.available();
    }

    private static synchronized HeldRun run(Jdk jdk, Order order) {
        return RUNS.computeIfAbsent(jdk.feature() + "-" + order, k -> {
            JvmRun launch = JvmRun.on(jdk, Artifacts.newRunDir("otel-" + order.name().toLowerCase() + "-jdk" + jdk.feature()))
                    .sysfs(TOPOLOGY).config(CONFIG).agentArg("log-level", "debug");
            String numa = launch.agentOption();
            String otel = "-javaagent:" + otelAgentJar();
            // a third agent between the two loads Inference: the second agent to start must instrument,
            // by retransformation, a class the first already rewrote as it loaded
            String preload = "-javaagent:" + Artifacts.testappJar() + "=" + TracedApp.Inference.class.getName();
            launch.withoutAgent(); // the agents go in as options, in the order under test
            for (String agent : order == Order.OTEL_FIRST ? List.of(otel, preload, numa) : List.of(numa, preload, otel)) {
                launch.jvmOption(agent);
            }
            return HeldRun.of(otelSettings(launch).jvmOption("-Dotel.javaagent.debug=true")
                    .mainClass(System.getProperty("numa.it.testClasses"), TracedApp.class.getName()), "traced-app");
        });
    }

    private static synchronized HeldRun withoutAgents(Jdk jdk) {
        return RUNS.computeIfAbsent(jdk.feature() + "-none", k -> HeldRun.of(JvmRun
                .on(jdk, Artifacts.newRunDir("otel-none-jdk" + jdk.feature())).withoutAgent()
                .mainClass(System.getProperty("numa.it.testClasses"), TracedApp.class.getName()), "traced-app"));
    }

    /** Spans to the console, nothing over the network; the methods instrumentation names Inference.run. */
    private static JvmRun otelSettings(JvmRun launch) {
        return launch.env("OTEL_TRACES_EXPORTER", "console").env("OTEL_METRICS_EXPORTER", "none")
                .env("OTEL_LOGS_EXPORTER", "none").env("OTEL_SERVICE_NAME", "traced-app")
                .env("OTEL_INSTRUMENTATION_METHODS_INCLUDE", TracedApp.Inference.class.getName() + "[run]");
    }

    private static Path otelAgentJar() {
        String jar = System.getProperty("numa.it.otelAgentJar");
        if (jar == null || !Path.of(jar).toFile().isFile()) {
            throw new IllegalStateException("the OpenTelemetry agent jar is missing (" + jar + "): mvn generate-test-resources -pl it");
        }
        return Path.of(jar);
    }

    private static List<Span> spans(HeldRun held) {
        List<Span> spans = new ArrayList<>();
        held.run().stderr().lines().forEach(l -> {
            Matcher m = SPAN.matcher(l);
            if (m.find()) {
                spans.add(new Span(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
            }
        });
        // with otel.javaagent.debug, OTel adds a second console exporter: each span is there twice
        return spans.stream().distinct().toList();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("runs")
    void both_agents_start(Jdk jdk, Order order) {
        HeldRun held = run(jdk, order);
        assertThat(held.run().exitCode()).as("exit status%s", held).isZero();
        assertThat(held.run().stderr()).as("OTel's start line%s", held)
                .contains("opentelemetry-javaagent - version: " + System.getProperty("numa.it.otelAgentVersion"));
        assertThat(held.run().agentLines()).as("numa-agent's start lines%s", held)
                .anyMatch(l -> l.startsWith("numa-agent: topology from "))
                .anyMatch(l -> l.startsWith("numa-agent: devices (static): 2"));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("runs")
    void otel_traces_the_server_the_client_and_the_method(Jdk jdk, Order order) {
        HeldRun held = run(jdk, order);
        List<Span> spans = spans(held);
        List<Span> calls = spans.stream().filter(s -> s.name().equals("Inference.run")).toList();
        assertThat(calls).as("Inference.run spans (methods instrumentation)%s", held).hasSize(2)
                .allMatch(s -> s.kind().equals("INTERNAL") && s.scope().equals("io.opentelemetry.methods"));
        for (Span call : calls) {
            // the client runs on io-0, handed over through a ThreadPoolExecutor: it has the call's
            // trace only if OTel's executor instrumentation carried the context across
            assertThat(spans).as("client span of %s's trace on io-0%s", call.thread(), held).anyMatch(s -> s.traceId().equals(call.traceId())
                    && s.kind().equals("CLIENT") && s.thread().equals("io-0") && s.scope().equals("io.opentelemetry.http-url-connection"));
            // and the server's span has it too: traceparent went over HTTP
            assertThat(spans).as("server span of %s's trace%s", call.thread(), held).anyMatch(s -> s.traceId().equals(call.traceId())
                    && s.kind().equals("SERVER") && s.name().equals("GET /infer") && s.scope().equals("io.opentelemetry.java-http-server"));
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("runs")
    void numa_agent_binds_its_threads(Jdk jdk, Order order) {
        HeldRun held = run(jdk, order);
        for (int w = 0; w < 2; w++) {
            String cpus = TOPOLOGY.cpusOf(w);
            assertThat(held.run().stdout()).as("gpu-worker-%d as it saw itself%s", w, held)
                    .contains("seen thread gpu-worker-" + w + " cpus=" + cpus);
            assertThat(held.tasks().get("gpu-worker-" + w)).as("gpu-worker-%d in /proc%s", w, held).isEqualTo(cpus);
        }
        for (String other : List.of("io-0", "http-handler-0")) {
            assertThat(held.tasks().get(other)).as("%s, named by no rule, in /proc%s", other, held).isEqualTo(Host.allowedCpuList());
        }
    }

    /**
     * Inference.run is rewritten by both agents: OTel's span around it, numa-agent's binding in it.
     * Inference is loaded between the two agents' start: with OTel first, numa-agent retransforms a
     * class OTel rewrote; with numa-agent first, OTel's retransformation runs numa-agent's
     * transformer again and keeps its rewrite (the binding in the call shows it).
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("runs")
    void a_method_both_agents_instrument_is_traced_and_bound(Jdk jdk, Order order) {
        HeldRun held = run(jdk, order);
        assertThat(held.run().stderr()).as("OTel rewrote it%s", held)
                .contains("Transformed " + TracedApp.Inference.class.getName() + " -- ");
        assertThat(held.run().agentLines()).as("numa-agent rewrote it%s", held)
                .anyMatch(l -> l.contains("rule inference: instrumented numa.it.agents.TracedApp$Inference.run(int)"));
        if (order == Order.OTEL_FIRST) {
            assertThat(held.run().agentLines()).as("numa-agent found it loaded%s", held)
                    .anyMatch(l -> l.contains("1 already loaded class(es) a method rule names were instrumented"));
        }
        assertThat(spans(held)).as("and traced it%s", held).anyMatch(s -> s.name().equals("Inference.run"));
        // gpu-worker-W calls run(1 - W): inside the call, the call's device's node, not the thread's
        for (int w = 0; w < 2; w++) {
            int device = 1 - w;
            assertThat(held.run().stdout()).as("gpu-worker-%d in run(%d)%s", w, device, held)
                    .contains("seen call device=" + device + " on gpu-worker-" + w + " cpus=" + TOPOLOGY.cpusOf(device));
        }
        // and after the call, back on the thread's own node (read above from /proc while holding)
        assertThat(held.tasks()).as("after the calls%s", held).containsEntry("gpu-worker-0", TOPOLOGY.cpusOf(0))
                .containsEntry("gpu-worker-1", TOPOLOGY.cpusOf(1));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("runs")
    void neither_agent_reports_a_problem(Jdk jdk, Order order) {
        HeldRun held = run(jdk, order);
        List<String> stderr = held.run().stderr().lines().toList();
        assertThat(stderr).as("OTel failed to transform a class%s", held).noneMatch(l -> l.contains("Failed to handle"));
        assertThat(stderr).as("OTel warnings or errors%s", held)
                .noneMatch(l -> l.startsWith("[otel.javaagent") && (l.contains("] WARN ") || l.contains("] ERROR ")));
        assertThat(stderr).as("errors or exceptions%s", held).noneMatch(l -> ERROR.matcher(l).find());
        assertThat(held.run().agentWarnings()).as("numa-agent warnings%s", held)
                .allMatch(OpenTelemetryAgentTest::isTheFakeNodesMemoryRefusal);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("runs")
    void the_app_does_what_it_does_without_agents(Jdk jdk, Order order) {
        HeldRun alone = withoutAgents(jdk);
        HeldRun held = run(jdk, order);
        assertThat(alone.results()).as("without agents%s", alone)
                .containsExactly("result device=0 status=200 body=ran 0", "result device=1 status=200 body=ran 1");
        assertThat(held.results()).as("with both%s", held).isEqualTo(alone.results());
    }

    /**
     * The one warning the fake topology may cause: node 1 is this machine's CPU 1, but a one-node
     * kernel has no memory on node 1 (see ThreadRuleBindingTest).
     */
    static boolean isTheFakeNodesMemoryRefusal(String warning) {
        return !Host.kernelHasMemoryOn(1) && warning.contains("refused memory policy") && warning.contains("node 1");
    }
}
