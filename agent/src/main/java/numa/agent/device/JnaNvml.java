package numa.agent.device;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@link Nvml} over the driver's {@code libnvidia-ml.so.1}, through JNA.
 *
 * <p>Get one with {@link #tryLoad()}, which never throws: a machine without the NVIDIA driver
 * (or a container without the library mounted) is normal, and the caller then falls back to the
 * PCI scan. {@link #close()} shuts NVML down once devices are found and remapped.
 */
public final class JnaNvml implements Nvml, AutoCloseable {
    static final String LIBRARY = "libnvidia-ml.so.1";

    private static final int NVML_SUCCESS = 0;
    private static final int NVML_ERROR_INVALID_ARGUMENT = 2;
    private static final int NVML_ERROR_NOT_FOUND = 6;
    // nvmlPciInfo_t: char busIdLegacy[16]; unsigned int domain, bus, device, pciDeviceId,
    // pciSubSystemId; char busId[32]  -> 68 bytes, busId at offset 36
    private static final int PCI_INFO_SIZE = 68;
    private static final int PCI_INFO_BUS_ID_OFFSET = 36;
    private static final int UUID_BUFFER_SIZE = 96; // NVML_DEVICE_UUID_V2_BUFFER_SIZE

    /** The C functions used; nvmlDevice_t is an opaque pointer. */
    interface Lib extends Library {
        int nvmlInit_v2();

        int nvmlShutdown();

        String nvmlErrorString(int result);

        int nvmlDeviceGetCount_v2(IntByReference count);

        int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

        int nvmlDeviceGetHandleByUUID(String uuid, PointerByReference device);

        int nvmlDeviceGetPciInfo_v3(Pointer device, Pointer pciInfo);

        int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

        int nvmlDeviceGetDeviceHandleFromMigDeviceHandle(Pointer migDevice, PointerByReference device);

        int nvmlDeviceGetIndex(Pointer device, IntByReference index);
    }

    /**
     * What {@link #tryLoad()} found.
     *
     * @param nvml   the initialised library, or empty
     * @param reason one line for the log: that NVML is in use, or why not
     */
    public record LoadResult(Optional<JnaNvml> nvml, String reason) {
    }

    private final Lib lib;

    private JnaNvml(Lib lib) {
        this.lib = lib;
    }

    /** Loads {@code libnvidia-ml.so.1} and initialises NVML; never throws. */
    public static LoadResult tryLoad() {
        Lib lib;
        try {
            numa.agent.jna.JnaStub.load(); // JNA's native stub goes through a private directory
            lib = Native.load(LIBRARY, Lib.class);
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError when the driver is absent; also JNA's own stub failing to load
            return new LoadResult(Optional.empty(), LIBRARY + " not loaded (" + firstLine(e)
                    + "); NVIDIA GPUs are found by a PCI scan and GPU-/MIG- ids cannot be matched");
        }
        try {
            int rc = lib.nvmlInit_v2();
            if (rc != NVML_SUCCESS) {
                return new LoadResult(Optional.empty(), LIBRARY + " loaded but nvmlInit_v2 failed: "
                        + describe(lib, rc) + "; check `nvidia-smi`. NVIDIA GPUs are found by a PCI scan");
            }
        } catch (LinkageError | RuntimeException e) {
            return new LoadResult(Optional.empty(), LIBRARY + " has no usable nvmlInit_v2 (" + firstLine(e)
                    + "); the driver is too old. NVIDIA GPUs are found by a PCI scan");
        }
        return new LoadResult(Optional.of(new JnaNvml(lib)), "NVML (" + LIBRARY + ") in use");
    }

    @Override
    public int deviceCount() throws DeviceException {
        IntByReference count = new IntByReference();
        check(call(() -> lib.nvmlDeviceGetCount_v2(count)), "nvmlDeviceGetCount_v2");
        return count.getValue();
    }

    @Override
    public String pciBusId(int index) throws DeviceException {
        Pointer device = handle(index);
        Memory info = new Memory(PCI_INFO_SIZE);
        info.clear();
        check(call(() -> lib.nvmlDeviceGetPciInfo_v3(device, info)), "nvmlDeviceGetPciInfo_v3 of GPU " + index);
        return info.getString(PCI_INFO_BUS_ID_OFFSET, StandardCharsets.US_ASCII.name());
    }

    @Override
    public String uuid(int index) throws DeviceException {
        Pointer device = handle(index);
        byte[] buf = new byte[UUID_BUFFER_SIZE];
        check(call(() -> lib.nvmlDeviceGetUUID(device, buf, buf.length)), "nvmlDeviceGetUUID of GPU " + index);
        return Native.toString(buf, StandardCharsets.US_ASCII);
    }

    @Override
    public OptionalInt parentOfMig(String migUuid) throws DeviceException {
        PointerByReference mig = new PointerByReference();
        int rc = call(() -> lib.nvmlDeviceGetHandleByUUID(migUuid, mig));
        if (rc == NVML_ERROR_NOT_FOUND || rc == NVML_ERROR_INVALID_ARGUMENT) {
            return OptionalInt.empty();
        }
        check(rc, "nvmlDeviceGetHandleByUUID(" + migUuid + ")");
        PointerByReference parent = new PointerByReference();
        rc = call(() -> lib.nvmlDeviceGetDeviceHandleFromMigDeviceHandle(mig.getValue(), parent));
        if (rc == NVML_ERROR_NOT_FOUND || rc == NVML_ERROR_INVALID_ARGUMENT) {
            return OptionalInt.empty(); // the UUID names a whole GPU, not a MIG slice
        }
        check(rc, "nvmlDeviceGetDeviceHandleFromMigDeviceHandle(" + migUuid + ")");
        IntByReference index = new IntByReference();
        check(call(() -> lib.nvmlDeviceGetIndex(parent.getValue(), index)), "nvmlDeviceGetIndex of " + migUuid + "'s GPU");
        return OptionalInt.of(index.getValue());
    }

    /** Shuts NVML down; the object is unusable afterwards. */
    @Override
    public void close() {
        try {
            lib.nvmlShutdown();
        } catch (LinkageError | RuntimeException e) {
            // nothing useful to do at shutdown
        }
    }

    private Pointer handle(int index) throws DeviceException {
        PointerByReference device = new PointerByReference();
        check(call(() -> lib.nvmlDeviceGetHandleByIndex_v2(index, device)), "nvmlDeviceGetHandleByIndex_v2(" + index + ")");
        return device.getValue();
    }

    private interface NativeCall {
        int run();
    }

    /** A function missing from an old driver surfaces as UnsatisfiedLinkError at its first call. */
    private static int call(NativeCall c) throws DeviceException {
        try {
            return c.run();
        } catch (UnsatisfiedLinkError e) {
            throw new DeviceException(LIBRARY + " lacks a function the agent needs (" + firstLine(e)
                    + "); update the NVIDIA driver, or set devices.source: pci or static", e);
        }
    }

    /**
     * JNA's message is a header line and then one line per place it tried, often repeated; the
     * header and the first reason make one readable log line.
     */
    private static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().map(String::strip).filter(l -> !l.isEmpty())
                .distinct().limit(2).collect(java.util.stream.Collectors.joining(" "));
    }

    private void check(int rc, String what) throws DeviceException {
        if (rc != NVML_SUCCESS) {
            throw new DeviceException(what + " failed: " + describe(lib, rc)
                    + "; check `nvidia-smi`, or set devices.source: pci or static to bypass NVML");
        }
    }

    private static String describe(Lib lib, int rc) {
        try {
            return lib.nvmlErrorString(rc) + " (NVML error " + rc + ")";
        } catch (LinkageError | RuntimeException e) {
            return "NVML error " + rc;
        }
    }
}
