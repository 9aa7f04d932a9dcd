package numa.it.stress;

/**
 * The methods the stress config's method rules name, each with the device as its first argument
 * ({@code device: arg0}): {@code outer} and {@code inner} are {@code bind: call}, {@code scoped} is
 * {@code bind: children}. What they do inside is the caller's business (a {@link Runnable}).
 */
final class Placements {
    private Placements() {
    }

    /** Rule call-outer ({@code bind: call}). */
    static void outer(int device, Runnable body) {
        body.run();
    }

    /** Rule call-inner ({@code bind: call}); may throw, which must restore the caller too. */
    static void inner(int device, Runnable body) {
        body.run();
    }

    /** Rule scope ({@code bind: children}). */
    static void scoped(int device, Runnable body) {
        body.run();
    }
}
