package numa.testapp;

/** A base class whose {@code launch} subclasses inherit ({@link PlainLauncher}) or override ({@link GpuLauncher}). */
public abstract class BaseLauncher {
    public String launch(Device device) {
        Calls.record("call", device.index(), "in-call");
        return "launched " + device;
    }
}
