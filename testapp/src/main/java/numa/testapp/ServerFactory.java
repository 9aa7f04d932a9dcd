package numa.testapp;

/** A factory interface: a rule naming {@code ServerFactory#newServer} binds calls of its implementations. */
public interface ServerFactory {
    String newServer(Device device);
}
