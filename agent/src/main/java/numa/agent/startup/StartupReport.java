package numa.agent.startup;

import org.slf4j.Logger;

import numa.agent.device.Device;
import numa.agent.device.DeviceDiscovery;
import numa.agent.topology.CpuSet;
import numa.agent.topology.NumaNode;
import numa.agent.topology.Topology;

/** The start-up lines: the topology and the devices the agent will bind against, once. */
final class StartupReport {
    private StartupReport() {
    }

    static void log(Logger log, Topology topology, CpuSet allowed, DeviceDiscovery.Result devices) {
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info("topology from {}: {} node{}, this process may use cpus={}", topology.source(), topology.nodes().size(),
                topology.nodes().size() == 1 ? "" : "s", allowed);
        for (NumaNode n : topology.nodes()) {
            log.info("  node {} cpus={} memory={}", n.id(), n.cpus().isEmpty() ? "none" : n.cpus().toString(),
                    n.hasMemory() ? mib(n.memTotalBytes()) : "none");
        }
        if (devices.searched()) {
            log.info("devices ({}): {}", devices.description(), devices.devices().size());
            if (devices.family() != null) {
                log.info("  family {}, numbered in {}; visibility: {}", devices.family(), devices.numbering(),
                        devices.visibility());
            }
            for (Device d : devices.devices()) {
                log.info("  device {}{} node {}{}", d.index(), d.physicalIndex() != d.index() ? " (physical " + d.physicalIndex() + ")" : "",
                        d.nodeKnown() ? Integer.toString(d.node()) : "unknown",
                        d.busId() == null ? "" : " bus " + d.busId());
            }
        }
        for (String w : devices.warnings()) {
            log.warn("{}", w);
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
