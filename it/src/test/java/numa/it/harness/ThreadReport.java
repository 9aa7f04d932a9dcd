package numa.it.harness;

import java.util.Map;

/**
 * One row of the demo engine's {@code --json} output: what one thread saw of itself.
 *
 * @param kind   worker, helper, pool, main or task
 * @param device the device a worker drives, or null
 * @param policy memory policy as the engine prints it ({@code unknown} before JDK 22)
 * @param phase  start, before, after or task
 */
public record ThreadReport(String name, String kind, Integer device, int tid, String cpus, String mems,
                           String policy, String phase) {

    static ThreadReport fromJson(Map<?, ?> row) {
        Object device = row.get("device");
        return new ThreadReport((String) row.get("name"), (String) row.get("kind"),
                device == null ? null : ((Long) device).intValue(), ((Long) row.get("tid")).intValue(),
                (String) row.get("cpus"), (String) row.get("mems"), (String) row.get("policy"),
                (String) row.get("phase"));
    }
}
