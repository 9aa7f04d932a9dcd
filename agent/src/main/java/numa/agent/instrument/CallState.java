package numa.agent.instrument;

import numa.agent.bind.Binding;

/**
 * What the agent keeps per thread for method and process rules:
 * <ul>
 * <li>the frames of advised calls in progress: {@code methodEnter} pushes what {@code methodExit}
 * needs, so the advice inlined into application code needs no local variable of its own (and the
 * application's stack map frames stay exactly as they were);</li>
 * <li>the innermost {@code bind: children} call in progress, which the thread and process hooks
 * consult;</li>
 * <li>the spawn window: while the thread is bound only to create a child process, threads it starts
 * (the JDK's "process reaper") must get what the thread had before, not the child's binding.</li>
 * </ul>
 * Only the thread itself reads or writes its state: no locks.
 */
final class CallState {
    private static final ThreadLocal<CallState> CURRENT = new ThreadLocal<>();

    private Object[] frames = new Object[8];
    private int depth;
    /** The innermost children scope, or null. */
    Scope scope;
    /** While a spawn binds this thread: what a thread it starts gets instead (null: none in progress). */
    Binding beforeSpawn;
    boolean spawning;
    /** What a {@code bind: caller} rule bound this thread to for good, or null. */
    Binding boundForGood;
    /** Set while the agent itself runs code of the application (a getter of an expression). */
    boolean evaluating;
    /** Set while the method hook works: calls it makes into instrumented classes do nothing. */
    boolean inHook;

    /** This thread's state, created on first use. */
    static CallState current() {
        CallState s = CURRENT.get();
        if (s == null) {
            s = new CallState();
            CURRENT.set(s);
        }
        return s;
    }

    /** This thread's state, or null when it never had any. */
    static CallState peek() {
        return CURRENT.get();
    }

    /**
     * Frames that could not be pushed (no memory to grow the stack): each exit then pops nothing.
     * Once one is lost, every later push is lost too until they are all popped, so that exits still
     * pair with their entries.
     */
    private int lost;

    /** Never throws: an exit must find what its entry pushed, or know that nothing was. */
    void push(Object frame) {
        if (lost == 0 && depth == frames.length) {
            try {
                frames = java.util.Arrays.copyOf(frames, depth * 2);
            } catch (Throwable outOfMemory) {
                lost = 1;
                return;
            }
        } else if (lost > 0) {
            lost++;
            return;
        }
        frames[depth++] = frame;
    }

    /** Replaces the innermost frame (pushed as a placeholder before the work that may fail). */
    void replaceTop(Object frame) {
        if (lost == 0) {
            frames[depth - 1] = frame;
        }
    }

    /** True when the innermost entry has a frame of its own (see {@link #lost}). */
    boolean topIsOwn() {
        return lost == 0 && depth > 0;
    }

    /** The innermost frame, removed; null when there is none (never entered, nothing to undo). */
    Object pop() {
        if (lost > 0) {
            lost--;
            return null;
        }
        if (depth == 0) {
            return null;
        }
        Object f = frames[--depth];
        frames[depth] = null;
        return f;
    }



    /** A {@code bind: children} call in progress on this thread. */
    static final class Scope {
        final MethodSites.Site site;
        final Object value;
        final Scope outer;
        private boolean resolved;
        private Binding binding;

        Scope(MethodSites.Site site, Object value, Scope outer) {
            this.site = site;
            this.value = value;
            this.outer = outer;
        }

        /** The binding of the scope, evaluated at the first thread or process started in it. */
        Binding binding(java.util.function.Supplier<Binding> resolve) {
            if (!resolved) {
                binding = resolve.get();
                resolved = true;
            }
            return binding;
        }
    }
}
