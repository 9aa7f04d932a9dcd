package numa.testapp;

/** A device of the engine, as engines pass it around: a handle with an {@code index()}. */
public final class Device {
    private final int index;

    public Device(int index) {
        this.index = index;
    }

    public int index() {
        return index;
    }

    @Override
    public String toString() {
        return "device " + index;
    }
}
