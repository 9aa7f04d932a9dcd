package numa.it.harness;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** All rows the demo engine printed, with the look-ups tests need. */
public record Reports(List<ThreadReport> all) {

    public static Reports parse(String json) {
        List<?> rows = (List<?>) Json.parse(json);
        return new Reports(rows.stream().map(r -> ThreadReport.fromJson((Map<?, ?>) r)).toList());
    }

    public List<ThreadReport> ofKind(String kind) {
        return all.stream().filter(r -> r.kind().equals(kind)).toList();
    }

    public List<ThreadReport> workers() {
        return ofKind("worker");
    }

    public List<ThreadReport> helpers() {
        return ofKind("helper");
    }

    public List<ThreadReport> pool() {
        return ofKind("pool");
    }

    /** Every thread of the JVM as /proc/self/task listed it (only with {@code --tasks}). */
    public List<ThreadReport> tasks() {
        return ofKind("task");
    }

    /** The main thread's reading before ({@code before}) or after ({@code after}) starting the workers. */
    public ThreadReport main(String phase) {
        return all.stream().filter(r -> r.kind().equals("main") && r.phase().equals(phase)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no main/" + phase + " row in " + all));
    }

    /** The row of {@code name} at {@code phase} ({@code in-call}, {@code after-call}, {@code start}, ...). */
    public ThreadReport row(String name, String phase) {
        return all.stream().filter(r -> r.name().equals(name) && r.phase().equals(phase)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no row " + name + "/" + phase + " in " + all));
    }

    public ThreadReport named(String name) {
        return all.stream().filter(r -> r.name().equals(name) && !r.kind().equals("task")).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no row named " + name + " in " + all));
    }
}
