package numa.agent.config;

import java.util.List;

/**
 * The {@code devices} section.
 *
 * @param source      where devices come from
 * @param pci         {@code source: pci}: device i is the i-th bus id, as written
 * @param nodes       {@code source: static}: device i is on node nodes[i]
 * @param visibleEnv  variable that remaps logical to physical devices; "" to ignore
 * @param unknownNode what to do with a device whose node is unknown
 */
public record DevicesConfig(Source source, List<String> pci, List<Integer> nodes, String visibleEnv, UnknownNode unknownNode) {
    public enum Source { AUTO, NVIDIA, ACCEL, PCI, STATIC }

    public enum UnknownNode { SKIP, ROUND_ROBIN }

    public DevicesConfig {
        pci = List.copyOf(pci);
        nodes = List.copyOf(nodes);
    }

    public static DevicesConfig defaults() {
        return new DevicesConfig(Source.AUTO, List.of(), List.of(), "CUDA_VISIBLE_DEVICES", UnknownNode.SKIP);
    }
}
