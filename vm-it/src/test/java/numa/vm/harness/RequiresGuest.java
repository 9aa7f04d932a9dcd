package numa.vm.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that needs a QEMU guest. Where none can boot, its tests are skipped with the
 * reason, unless the run requires guests ({@link VmScript#required()}): then they run, and the
 * boot fails with the reason. Printed once on stdout either way, so a skipped suite is never silent.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresGuest.Condition.class)
public @interface RequiresGuest {

    final class Condition implements ExecutionCondition {
        private static boolean told;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String why = VmScript.unavailableReason();
            if (why == null) {
                return ConditionEvaluationResult.enabled("a QEMU guest can boot here");
            }
            if (VmScript.required()) {
                return ConditionEvaluationResult.enabled("guests are required (numa.vm.required): the boot will fail: " + why);
            }
            String message = "SKIPPED the multi-node suite (vm-it): no QEMU guest can boot here: " + why + ". To run it, "
                    + VmScript.howToGetOne() + ". To make this a failure: -Dnuma.vm.required=true or NUMA_VM_REQUIRED=1";
            synchronized (Condition.class) {
                if (!told) {
                    System.out.println("[WARNING] " + message);
                    told = true;
                }
            }
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
