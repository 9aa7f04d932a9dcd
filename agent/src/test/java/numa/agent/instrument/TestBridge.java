package numa.agent.instrument;

import java.util.ArrayList;
import java.util.List;

/** Stands in for java.lang.NumaAgentBridge in instrumented test classes: records what the advice calls. */
public final class TestBridge {
    private static final List<String> EVENTS = new ArrayList<>();

    private TestBridge() {
    }

    public static synchronized void methodEnter(Object value, int site) {
        EVENTS.add("enter " + site + " " + (value == null ? "null" : value.getClass().getSimpleName() + ":" + value));
    }

    public static synchronized void methodExit() {
        EVENTS.add("exit");
    }

    /** The events since the last call, cleared. */
    static synchronized List<String> take() {
        List<String> e = new ArrayList<>(EVENTS);
        EVENTS.clear();
        return e;
    }
}
