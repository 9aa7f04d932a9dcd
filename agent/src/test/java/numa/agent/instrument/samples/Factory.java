package numa.agent.instrument.samples;

public interface Factory {
    String newServer(Device device);

    default String defaultServer(Device device) {
        return "default-" + device.index();
    }
}
