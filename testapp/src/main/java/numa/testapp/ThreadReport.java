package numa.testapp;

/**
 * What one thread saw of itself at one moment: the kernel's view of its CPU affinity, allowed
 * memory nodes and memory policy. {@code device} is null where the thread drives no device. A
 * virtual thread sees (and reports the tid of) the carrier it runs on at that moment.
 *
 * @param kind   worker, helper, pool, main or task (a row of /proc/self/task read by main)
 * @param phase  start (first line of run()), before/after (main, around starting the workers), task
 * @param policy memory policy as {@code default}, {@code preferred:N}, {@code bind:N,M},
 *               {@code interleave:...}, {@code local}, or {@code unknown} where it cannot be read
 * @param placed where memory the thread allocated and touched after its first line landed
 *               ({@code --touch-mb}), or null when it touched none
 */
record ThreadReport(String kind, String name, Integer device, int tid, String cpus, String mems,
                    String policy, String phase, PageNodes.Placement placed) {
    ThreadReport(String kind, String name, Integer device, int tid, String cpus, String mems, String policy, String phase) {
        this(kind, name, device, tid, cpus, mems, policy, phase, null);
    }

    /** This reading, plus memory the thread then allocated and touched ({@code mib} 0: none). */
    ThreadReport touching(long mib) {
        if (mib <= 0) {
            return this;
        }
        return new ThreadReport(kind, name, device, tid, cpus, mems, policy, phase, PageNodes.touch(mib << 20));
    }
}
