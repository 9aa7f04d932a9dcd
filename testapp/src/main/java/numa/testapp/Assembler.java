package numa.testapp;

/** Implements {@link ServerFactory} under a name no glob on the interface's name matches. */
public final class Assembler implements ServerFactory {
    @Override
    public String newServer(Device device) {
        Calls.record("call", device.index(), "in-call");
        return "assembled " + device;
    }
}
