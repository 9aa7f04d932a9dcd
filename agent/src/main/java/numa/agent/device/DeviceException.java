package numa.agent.device;

/**
 * Devices could not be found or numbered. The message is for people: it names the device, the
 * file or call that failed, and what to do about it.
 */
public final class DeviceException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
