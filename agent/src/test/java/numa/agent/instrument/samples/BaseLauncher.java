package numa.agent.instrument.samples;

public abstract class BaseLauncher {
    public String launch(Device device) {
        return "base-" + device.index();
    }

    public abstract String serve(Device device);
}
