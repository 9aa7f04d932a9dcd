package numa.agent.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.bind.Binding;
import numa.agent.bind.MemPolicy;
import numa.agent.topology.CpuSet;

/** The JFR event, as a JFR user reads it back from a recording. */
class BindingEventTest {
    private static final Binding NODE1 = new Binding(1, 3, CpuSet.parse("1"), MemPolicy.onNode(MemPolicy.Mode.BIND, 1));

    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        BindingLog.clear();
    }

    @Test
    void each_binding_is_a_numa_agent_binding_event_while_a_recording_runs() throws Exception {
        Observations.threadStarted(new Thread(() -> { }, "before-any-recording"), "gpu-workers", NODE1, false, false, true, 5);
        Path file = tmp.resolve("bindings.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("numa.agent.Binding");
            recording.start();
            Observations.threadStarted(new Thread(() -> { }, "gpu-worker-3"), "gpu-workers", NODE1, false, false, true, 7400);
            Observations.threadFailed(new Thread(() -> { }, "gpu-worker-9"), BindingRecord.TRIGGER_THREAD_START, -1,
                    "gpu-workers", null, "device 9 does not exist");
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("numa.agent.Binding")).toList();
        assertThat(events).hasSize(2);
        RecordedEvent bound = events.get(0);
        assertThat(bound.getString("thread")).isEqualTo("gpu-worker-3");
        assertThat(bound.getString("rule")).isEqualTo("gpu-workers");
        assertThat(bound.getInt("device")).isEqualTo(3);
        assertThat(bound.getInt("node")).isEqualTo(1);
        assertThat(bound.getString("cpus")).isEqualTo("1");
        assertThat(bound.getString("memory")).isEqualTo("bind");
        assertThat(bound.getString("outcome")).isEqualTo("bound");
        assertThat(bound.getString("trigger")).isEqualTo("thread-start");
        assertThat(bound.getLong("cost")).isEqualTo(7400);
        assertThat(bound.getEventType().getCategoryNames()).containsExactly("numa-agent");
        assertThat(bound.getStackTrace()).isNull();
        RecordedEvent failed = events.get(1);
        assertThat(failed.getString("outcome")).isEqualTo("failed");
        assertThat(failed.getString("detail")).isEqualTo("device 9 does not exist");
    }
}
