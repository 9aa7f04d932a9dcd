package numa.agent.config.other;

/**
 * An application object the agent knows nothing of: a package-private class with private members,
 * in a package of its own, handed out through a public factory as application code would.
 */
public final class HiddenDevice {
    private HiddenDevice() {
    }

    /** What an application would pass to an intercepted method. */
    public static Object create(int index) {
        return new Device(index);
    }

    static final class Device {
        private final int index;

        Device(int index) {
            this.index = index;
        }

        private int ordinal() {
            return index + 100;
        }
    }
}
