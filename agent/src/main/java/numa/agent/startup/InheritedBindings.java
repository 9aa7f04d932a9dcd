package numa.agent.startup;

import org.slf4j.Logger;

import numa.agent.bind.InheritedBinding;
import numa.agent.topology.CpuSet;

/** The binding a parent JVM's agent gave this JVM through {@value InheritedBinding#VARIABLE}, checked. */
final class InheritedBindings {
    private InheritedBindings() {
    }

    /**
     * The binding the parent's agent gave this JVM, or null when there is none, or it is stale or
     * unreadable (reported).
     */
    static InheritedBinding fromParent(Logger log, CpuSet allowed) {
        String value = System.getenv(InheritedBinding.VARIABLE);
        if (value == null || value.isBlank()) {
            return null;
        }
        InheritedBinding inherited;
        try {
            inherited = InheritedBinding.parse(value);
        } catch (RuntimeException e) {
            log.warn("{}='{}' cannot be read ({}); it is ignored", InheritedBinding.VARIABLE, value, e.getMessage());
            return null;
        }
        if (!inherited.cpus().equals(allowed)) {
            log.info("{} says cpus={} but this process may use {} (re-bound since its parent started it): ignored",
                    InheritedBinding.VARIABLE, inherited.cpus(), allowed);
            return null;
        }
        log.info("this JVM was bound by its parent's agent: {}; threads reset under children: reset get this binding",
                inherited.describe());
        return inherited;
    }
}
