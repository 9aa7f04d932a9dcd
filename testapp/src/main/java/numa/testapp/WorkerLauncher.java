package numa.testapp;

import java.io.IOException;
import java.util.List;

/** Starts the worker process of a device inside a method that receives the device. */
public final class WorkerLauncher {
    public Process launch(Device device, List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
