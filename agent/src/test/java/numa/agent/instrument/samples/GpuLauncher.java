package numa.agent.instrument.samples;

/** Overrides launch and implements serve; a subclass of a class the rule names. */
public class GpuLauncher extends BaseLauncher {
    @Override
    public String launch(Device device) {
        return "gpu-" + super.launch(device);
    }

    @Override
    public String serve(Device device) {
        return "serve-" + device.index();
    }
}
