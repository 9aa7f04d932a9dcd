package numa.agent.instrument.samples;

/** Two levels below the named class, overriding nothing but serve. */
public class DeepLauncher extends GpuLauncher {
    @Override
    public String serve(Device device) {
        return "deep-" + device.index();
    }
}
