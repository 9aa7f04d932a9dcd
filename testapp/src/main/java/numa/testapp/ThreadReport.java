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
 */
record ThreadReport(String kind, String name, Integer device, int tid, String cpus, String mems,
                    String policy, String phase) {
}
