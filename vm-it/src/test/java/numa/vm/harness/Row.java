package numa.vm.harness;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of the demo engine's {@code --json} output: what one thread saw of itself at its first
 * line, and (with {@code --touch-mb}) where the memory it then allocated and touched landed.
 *
 * @param pages    node to page count by the engine's best way ({@code pagesVia}); -1 counts pages
 *                 of no known node; null when nothing was measured or it could not be
 * @param pagemap  the same by /proc/self/pagemap (root only; null when unreadable)
 * @param movePages the same by move_pages(2) (JDK 22+; null when not asked), to cross-check pagemap
 * @param edgePages the pages of the partial huge pages at the buffers' ends, not counted above: a
 *                 neighbouring mapping's huge page fault may have placed them (see testapp's PageNodes)
 */
public record Row(String name, String kind, Integer device, int tid, String cpus, String mems, String policy,
                  String phase, long touchedMb, Map<Integer, Long> pages, String pagesVia, Map<Integer, Long> pagemap,
                  Map<Integer, Long> movePages, Map<Integer, Long> edgePages) {

    static Row fromJson(Map<?, ?> row) {
        Object device = row.get("device");
        Object touched = row.get("touchedMb");
        return new Row((String) row.get("name"), (String) row.get("kind"),
                device == null ? null : ((Long) device).intValue(), ((Long) row.get("tid")).intValue(),
                (String) row.get("cpus"), (String) row.get("mems"), (String) row.get("policy"), (String) row.get("phase"),
                touched == null ? 0 : (Long) touched, pages((String) row.get("pages")), (String) row.get("pagesVia"),
                pages((String) row.get("pagemap")), pages((String) row.get("movePages")), pages((String) row.get("edgePages")));
    }

    /** {@code 0:12,1:4084,?:3} to a map (? becomes -1); null for absent or {@code unknown}. */
    static Map<Integer, Long> pages(String text) {
        if (text == null || text.equals("unknown")) {
            return null;
        }
        Map<Integer, Long> out = new TreeMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split(":");
            out.put(kv[0].equals("?") ? -1 : Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
        }
        return Collections.unmodifiableMap(out);
    }

    public long pagesOn(int node) {
        return pages == null ? 0 : pages.getOrDefault(node, 0L);
    }

    public long pagesTotal() {
        return pages == null ? 0 : pages.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every measured page, interior and edges. */
    public long pagesTotalWithEdges() {
        return pagesTotal() + (edgePages == null ? 0 : edgePages.values().stream().mapToLong(Long::longValue).sum());
    }

    @Override
    public String toString() {
        return kind + " " + name + (device == null ? "" : " device=" + device) + " tid=" + tid + " cpus=" + cpus
                + " policy=" + policy + (pages == null ? "" : " pages=" + pages + " via " + pagesVia);
    }
}
