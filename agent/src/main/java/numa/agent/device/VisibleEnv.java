package numa.agent.device;

/**
 * A visibility variable ({@code CUDA_VISIBLE_DEVICES}, {@code ROCR_VISIBLE_DEVICES}, ...) and how
 * the runtime that reads it reads its entries. {@link VisibleDevices} applies one;
 * {@link Visibility} chains a family's.
 *
 * @param name      the variable
 * @param runtime   who reads it, for messages ({@code CUDA}, {@code ROCr}, ...)
 * @param entries   what an entry may be
 * @param ascending true when the runtime numbers the devices it shows in their own order, not in
 *                  the order the variable lists them (a set, not a list)
 */
public record VisibleEnv(String name, String runtime, Entries entries, boolean ascending) {
    /** What the entries of a variable name. */
    public enum Entries {
        /** an index, {@code GPU-<uuid>} (or a unique prefix), {@code MIG-<uuid>}: CUDA's reading */
        CUDA,
        /** an index or {@code GPU-<16 hex digits of the KFD unique_id>}: ROCr's reading */
        INDEX_OR_UUID,
        /** an index only */
        INDEX,
        /** {@code device} or {@code device.subdevice}: Level Zero's {@code ZE_AFFINITY_MASK} */
        LEVEL_ZERO,
        /** a Habana module id ({@code accelN/device/module_id}) */
        MODULE_ID
    }

    /** A variable read as CUDA reads {@code CUDA_VISIBLE_DEVICES}: what any variable named by {@code visible-env} was. */
    public static VisibleEnv cudaStyle(String name) {
        return new VisibleEnv(name, "CUDA", Entries.CUDA, false);
    }
}
