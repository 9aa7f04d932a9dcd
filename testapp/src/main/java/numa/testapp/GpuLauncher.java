package numa.testapp;

/** Overrides {@link BaseLauncher#launch} without calling it. */
public final class GpuLauncher extends BaseLauncher {
    @Override
    public String launch(Device device) {
        Calls.record("call", device.index(), "in-call");
        return "gpu launched " + device;
    }
}
