package numa.it;

/**
 * The usual config of these tests: four devices, two per node, one rule for {@code gpu-worker-N}.
 * Shared by the tests whose subject is not the config but what turns it on or off.
 */
final class BoundConfig {
    /** Devices 0 and 1 on node 0, devices 2 and 3 on node 1. */
    static final int[] NODE_OF_DEVICE = {0, 0, 1, 1};

    // YAML single quotes keep the backslash as it is: the regex is gpu-worker-(\d+)
    static final String YAML = """
            devices:
              source: static
              nodes: [0, 0, 1, 1]
            binding:
              cpus: node
              memory: preferred
            rules:
              - name: gpu-workers
                thread: 'gpu-worker-(\\d+)'
                device: "$1"
            """;

    private BoundConfig() {
    }
}
