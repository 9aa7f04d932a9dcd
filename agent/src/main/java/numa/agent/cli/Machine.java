package numa.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import numa.agent.config.AgentSettings;
import numa.agent.config.DevicesConfig;
import numa.agent.device.DeviceDiscovery;
import numa.agent.topology.CpuCores;
import numa.agent.topology.CpuSet;
import numa.agent.topology.SysfsTopologyReader;
import numa.agent.topology.Topology;

/**
 * The machine as the commands see it: the NUMA topology under a sysfs root, the CPUs this process
 * may use, and, on request, the devices. What cannot be known is a warning, not a failure, except
 * the topology itself, without which there is nothing to show.
 */
final class Machine {
    private final Path sysfs;
    private final Topology topology;
    private final Optional<CpuSet> allowedCpus;
    private final List<String> warnings;
    private final Host host;

    private Machine(Path sysfs, Topology topology, Optional<CpuSet> allowedCpus, List<String> warnings, Host host) {
        this.sysfs = sysfs;
        this.topology = topology;
        this.allowedCpus = allowedCpus;
        this.warnings = warnings;
        this.host = host;
    }

    /**
     * Reads the topology under {@code sysfs} and this process's allowed CPUs.
     *
     * @throws IOException when the topology cannot be read; the message names the file and what was
     *                     expected there
     */
    static Machine read(Path sysfs, Host host) throws IOException {
        Topology topology = new SysfsTopologyReader(sysfs).read();
        List<String> warnings = new ArrayList<>();
        Optional<CpuSet> allowed;
        try {
            allowed = Optional.of(host.allowedCpus().read());
        } catch (IOException e) {
            allowed = Optional.empty();
            warnings.add("the CPUs this process may use are unknown (" + e.getMessage()
                    + "); plans assume every online CPU (" + topology.onlineCpus() + ")");
        }
        if (!topology.isNuma()) {
            warnings.add("no NUMA nodes under " + sysfs + ": not a NUMA machine, or a kernel without NUMA;"
                    + " the agent binds nothing here");
        }
        return new Machine(sysfs, topology, allowed, warnings, host);
    }

    /** True when {@code sysfs} does not exist and is the default: not Linux, where the agent does nothing. */
    static boolean isMissingDefault(Path sysfs) {
        return sysfs.equals(Path.of(AgentSettings.DEFAULT_SYSFS)) && !Files.isDirectory(sysfs);
    }

    Path sysfs() {
        return sysfs;
    }

    Topology topology() {
        return topology;
    }

    /** The CPUs this process may use, when they could be read. */
    Optional<CpuSet> allowedCpus() {
        return allowedCpus;
    }

    /** What plans are computed with: the allowed CPUs, or every online CPU when they are unknown. */
    CpuSet usableCpus() {
        return allowedCpus.orElse(topology.onlineCpus());
    }

    CpuCores cores() {
        return new CpuCores(sysfs);
    }

    /** What could not be known, one line each, in the order found. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Finds the devices as the agent would ({@link DeviceDiscovery}). NVML is asked only when the
     * tree is this machine's own {@code /sys}: NVML reports the GPUs of this machine's driver,
     * which a copied or fake tree under {@code --sysfs} does not describe.
     */
    DeviceDiscovery.Result devices(DevicesConfig config, boolean needed) {
        return DeviceDiscovery.discover(config, sysfs, topology, needed, describesThisMachine(), host.env());
    }

    private boolean describesThisMachine() {
        return sysfs.toAbsolutePath().normalize().equals(Path.of(AgentSettings.DEFAULT_SYSFS));
    }
}
