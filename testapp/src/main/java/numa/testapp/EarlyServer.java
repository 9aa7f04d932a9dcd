package numa.testapp;

/**
 * A class the engine may load before the agent starts (with {@code -javaagent:testapp.jar=...}
 * placed before the agent, see {@link Preload}): the agent must instrument it by retransformation.
 */
public final class EarlyServer {
    private EarlyServer() {
    }

    public static String create(Device device) {
        Calls.record("call", device.index(), "in-call");
        return "early server for " + device;
    }
}
