package numa.vm.harness;

import java.util.function.Supplier;

/**
 * A guest booted once per test JVM and shared by every test class that checks it; a boot that
 * failed fails each of them with the same cause instead of booting again.
 */
public final class Memo<T> {
    private final Supplier<T> supplier;
    private T value;
    private RuntimeException failure;
    private boolean done;

    public Memo(Supplier<T> supplier) {
        this.supplier = supplier;
    }

    public synchronized T get() {
        if (!done) {
            try {
                value = supplier.get();
            } catch (RuntimeException e) {
                failure = e;
            }
            done = true;
        }
        if (failure != null) {
            throw new IllegalStateException("the guest could not be used: " + failure.getMessage(), failure);
        }
        return value;
    }
}
