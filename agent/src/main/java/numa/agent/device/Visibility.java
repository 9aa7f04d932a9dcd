package numa.agent.device;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A family's visibility variables, applied in turn: each step reads the first of its variables
 * that is set and renumbers what the step before left ({@code ROCR_VISIBLE_DEVICES} selects from
 * the KFD's GPUs, then {@code HIP_VISIBLE_DEVICES} re-indexes those). {@code devices.visible-env}
 * replaces the whole chain by one variable, or by none.
 */
public final class Visibility {
    /** No variable: every device, in the source's order. */
    public static final Visibility NONE = new Visibility(List.of());
    /** {@code CUDA_VISIBLE_DEVICES}: NVIDIA GPUs and the {@code pci} and {@code static} sources. */
    public static final Visibility CUDA = of(VisibleEnv.cudaStyle("CUDA_VISIBLE_DEVICES"));

    /**
     * What applying the variables did.
     *
     * @param devices  the logical devices
     * @param applied  the name of each variable that was set, in the order applied
     * @param leftOut  each device a variable hid, with which one
     * @param warnings one line each about entries that were not what they seemed
     */
    public record Applied(List<Device> devices, List<String> applied, List<LeftOut> leftOut, List<String> warnings) {
        public Applied {
            devices = List.copyOf(devices);
            applied = List.copyOf(applied);
            leftOut = List.copyOf(leftOut);
            warnings = List.copyOf(warnings);
        }
    }

    private final List<List<VisibleEnv>> steps;

    private Visibility(List<List<VisibleEnv>> steps) {
        this.steps = steps.stream().map(List::copyOf).toList();
    }

    /** @param steps in order; within a step, the first variable that is set is read */
    static Visibility of(List<List<VisibleEnv>> steps) {
        return new Visibility(steps);
    }

    /** One step: the first of {@code alternatives} that is set is read. */
    static Visibility of(VisibleEnv... alternatives) {
        return new Visibility(List.of(List.of(alternatives)));
    }

    /**
     * {@code devices.visible-env} given: {@code ""} reads none; a name reads that variable alone,
     * as this family's runtime reads it when it is one of the family's, else as CUDA reads its own.
     */
    public Visibility override(String name) {
        if (name.isEmpty()) {
            return NONE;
        }
        for (List<VisibleEnv> step : steps) {
            for (VisibleEnv v : step) {
                if (v.name().equals(name)) {
                    return of(List.of(List.of(v)));
                }
            }
        }
        return of(List.of(List.of(VisibleEnv.cudaStyle(name))));
    }

    /** The variables' names, for messages: {@code ROCR_VISIBLE_DEVICES, then HIP_VISIBLE_DEVICES (or CUDA_VISIBLE_DEVICES)}. */
    public String describe() {
        if (steps.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (List<VisibleEnv> step : steps) {
            StringBuilder s = new StringBuilder(step.get(0).name());
            if (step.size() > 1) {
                s.append(" (or ").append(String.join(", or ", step.subList(1, step.size()).stream().map(VisibleEnv::name).toList()))
                        .append(" when it is unset)");
            }
            parts.add(s.toString());
        }
        return String.join(", then ", parts);
    }

    /** Applies the chain to {@code physical}, reading variables through {@code env}. */
    public Applied apply(List<Device> physical, UnaryOperator<String> env, Nvml nvmlOrNull) {
        List<Device> current = physical;
        List<String> applied = new ArrayList<>();
        List<LeftOut> leftOut = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (List<VisibleEnv> step : steps) {
            for (VisibleEnv variable : step) {
                String value = env.apply(variable.name());
                if (value == null) {
                    continue;
                }
                VisibleDevices.Result r = VisibleDevices.remap(variable, value, current, nvmlOrNull);
                warnings.addAll(r.warnings());
                String setting = variable.name() + "='" + value + "'";
                applied.add(variable.name());
                Set<Integer> kept = new HashSet<>();
                r.devices().forEach(d -> kept.add(d.physicalIndex()));
                for (Device d : current) {
                    if (!kept.contains(d.physicalIndex())) {
                        leftOut.add(new LeftOut(d.physicalIndex(), "physical device " + d.physicalIndex() + " ("
                                + d.source() + (d.busId() == null ? "" : " " + d.busId()) + ")", "hidden by " + setting));
                    }
                }
                current = r.devices();
                break;
            }
        }
        return new Applied(current, applied, leftOut, warnings);
    }

    @Override
    public String toString() {
        return describe();
    }
}
