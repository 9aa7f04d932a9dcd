package numa.testapp;

/**
 * The entry where the engine creates the worker of a device, as xLLM's
 * {@code WorkerServer::create_server}: called on the thread that will be the worker, with the
 * device. Overloads take the device as a number or as text. Each records what its caller sees
 * inside the call, and starts one thread of its own during the call.
 */
public class WorkerServer {
    public String createServer(Device device) {
        Calls.record("call", device.index(), "in-call");
        Calls.startRecording(Thread.currentThread().getName() + "-inner", "inner", device.index());
        return "server for " + device;
    }

    public String createServer(int device) {
        Calls.record("call", device, "in-call");
        return "server for device " + device;
    }

    public String createServer(String device) {
        Calls.record("call", Integer.parseInt(device), "in-call");
        return "server for device " + device;
    }

    /** Fails after it has looked at itself: a {@code bind: call} rule must still restore the caller. */
    public String createFailingServer(Device device) {
        Calls.record("call", device.index(), "in-call");
        throw new IllegalStateException("device " + device.index() + " failed to initialise");
    }
}
