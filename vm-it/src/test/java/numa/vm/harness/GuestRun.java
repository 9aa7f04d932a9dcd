package numa.vm.harness;

import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One booted guest and everything its steps did: the guest's facts, each step's result, how long
 * the boot took on this machine's clock, and the guest's own timeline of steps.
 */
public record GuestRun(String label, GuestTopology topology, Path dir, GuestFacts facts, Map<String, StepResult> steps,
                       double hostSeconds, String timeline, String console) {

    public StepResult step(String name) {
        StepResult s = steps.get(name);
        if (s == null) {
            throw new NoSuchElementException("guest " + label + " ran no step " + name + " (steps: " + steps.keySet() + ")");
        }
        return s;
    }

    @Override
    public String toString() {
        return "guest " + label + " (" + topology + "), " + String.format("%.0f", hostSeconds) + " s, work folder " + dir;
    }
}
