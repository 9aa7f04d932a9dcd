package numa.agent.instrument.samples;

public record Device(int index) {
}
