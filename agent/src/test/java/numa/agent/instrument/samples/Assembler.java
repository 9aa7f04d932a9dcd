package numa.agent.instrument.samples;

/** Implements Factory under a name no glob names: matched through its interface. */
public class Assembler implements Factory {
    @Override
    public String newServer(Device device) {
        return "assembled-" + device.index();
    }

    /** Same name, but static: cannot implement anything, never matched through the interface. */
    public static String newServer(int index) {
        return "static-" + index;
    }

    private String newServer(String index) {
        return "private-" + index;
    }

    public String callPrivate(String index) {
        return newServer(index);
    }
}
