package numa.agent.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An {@link EvalContext} with everything set by the test. */
final class TestContext implements EvalContext {
    private Matcher match;
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();
    private int roundRobin;
    private Object self;
    private List<Object> args = List.of();

    /** A context whose match is {@code regex} matched against {@code input} (which must match). */
    static TestContext matching(String regex, String input) {
        TestContext context = new TestContext();
        Matcher m = Pattern.compile(regex).matcher(input);
        if (!m.matches()) {
            throw new IllegalArgumentException(regex + " does not match " + input);
        }
        context.match = m;
        return context;
    }

    static TestContext call(Object self, Object... args) {
        TestContext context = new TestContext();
        context.self = self;
        context.args = java.util.Arrays.asList(args);
        return context;
    }

    TestContext env(String name, String value) {
        env.put(name, value);
        return this;
    }

    TestContext property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    @Override
    public Matcher match() {
        return match;
    }

    @Override
    public String env(String name) {
        return env.get(name);
    }

    @Override
    public String property(String name) {
        return properties.get(name);
    }

    @Override
    public int nextRoundRobin() {
        return roundRobin++ % 4;
    }

    @Override
    public Object self() {
        return self;
    }

    @Override
    public Object arg(int index) {
        return args.get(index);
    }

    @Override
    public int argCount() {
        return args.size();
    }
}
