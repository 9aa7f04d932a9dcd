package numa.agent.config;

import java.util.List;

/**
 * The {@code devices} section.
 *
 * @param source      where devices come from
 * @param pci         {@code source: pci}: device i is the i-th bus id, as written; with a family
 *                    ({@code amd}, {@code ascend}, ...): the family's devices in its runtime's order
 * @param nodes       {@code source: static}: device i is on node nodes[i]
 * @param visibleEnv  variable that remaps logical to physical devices; "" to ignore; null for the
 *                    family's own ({@code CUDA_VISIBLE_DEVICES}, {@code ROCR_VISIBLE_DEVICES} then
 *                    {@code HIP_VISIBLE_DEVICES}, ...)
 * @param unknownNode what to do with a device whose node is unknown
 * @param vendor      {@code source: vendor}: the PCI vendor id to scan for; null otherwise
 */
public record DevicesConfig(Source source, List<String> pci, List<Integer> nodes, String visibleEnv, UnknownNode unknownNode,
                            Integer vendor) {
    public enum Source { AUTO, NVIDIA, ACCEL, PCI, STATIC, AMD, ASCEND, CAMBRICON, INTEL, VENDOR }

    public enum UnknownNode { SKIP, ROUND_ROBIN }

    public DevicesConfig {
        pci = List.copyOf(pci);
        nodes = List.copyOf(nodes);
    }

    public DevicesConfig(Source source, List<String> pci, List<Integer> nodes, String visibleEnv, UnknownNode unknownNode) {
        this(source, pci, nodes, visibleEnv, unknownNode, null);
    }

    public static DevicesConfig defaults() {
        return new DevicesConfig(Source.AUTO, List.of(), List.of(), null, UnknownNode.SKIP);
    }

    /** The same section with {@code visible-env} set to {@code name} ("" reads no variable). */
    public DevicesConfig withVisibleEnv(String name) {
        return new DevicesConfig(source, pci, nodes, name, unknownNode, vendor);
    }

    /** Sources that may be given {@code pci}: a family's devices in its runtime's order. */
    public static boolean ordersByPci(Source source) {
        return source == Source.AMD || source == Source.ASCEND || source == Source.CAMBRICON || source == Source.INTEL
                || source == Source.VENDOR;
    }
}
