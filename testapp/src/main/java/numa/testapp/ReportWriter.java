package numa.testapp;

import java.util.List;

/**
 * Prints the reports: a table for people, one line per thread, or a JSON array for tests. The JSON
 * is written by hand (the engine has no dependencies); its keys and their order are stable.
 */
final class ReportWriter {
    private ReportWriter() {
    }

    /** {@code worker gpu-worker-2 device=2 tid=1234 cpus=1 mems=0 policy=preferred:1 phase=start}. */
    static String table(List<ThreadReport> reports) {
        StringBuilder out = new StringBuilder();
        for (ThreadReport r : reports) {
            out.append(r.kind()).append(' ').append(r.name())
                    .append(" device=").append(r.device() == null ? "-" : r.device().toString())
                    .append(" tid=").append(r.tid())
                    .append(" cpus=").append(r.cpus())
                    .append(" mems=").append(r.mems())
                    .append(" policy=").append(r.policy())
                    .append(" phase=").append(r.phase());
            if (r.placed() != null) {
                out.append(" pages=").append(PageNodes.Placement.format(r.placed().pages()))
                        .append(" via=").append(r.placed().via());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Reads back a line of {@link #table}: how a spawned worker's rows reach the engine that spawned it. */
    static ThreadReport parseTableRow(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length != 8) {
            throw new IllegalArgumentException("not a report row: '" + line + "'");
        }
        java.util.Map<String, String> f = new java.util.HashMap<>();
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            f.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        String device = f.get("device");
        return new ThreadReport(parts[0], parts[1], device.equals("-") ? null : Integer.valueOf(device),
                Integer.parseInt(f.get("tid")), f.get("cpus"), f.get("mems"), f.get("policy"), f.get("phase"));
    }

    static String json(List<ThreadReport> reports) {
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < reports.size(); i++) {
            ThreadReport r = reports.get(i);
            out.append("  {\"name\":").append(quote(r.name()))
                    .append(",\"kind\":").append(quote(r.kind()))
                    .append(",\"device\":").append(r.device() == null ? "null" : r.device().toString())
                    .append(",\"tid\":").append(r.tid())
                    .append(",\"cpus\":").append(quote(r.cpus()))
                    .append(",\"mems\":").append(quote(r.mems()))
                    .append(",\"policy\":").append(quote(r.policy()))
                    .append(",\"phase\":").append(quote(r.phase()));
            if (r.placed() != null) {
                // node:pages by the best way (pagesVia), and as /proc/self/pagemap and move_pages(2) each say, "unknown" where unreadable;
                // edgePages: the partial huge pages at the buffers' ends (see PageNodes)
                out.append(",\"touchedMb\":").append(r.placed().bytes() >> 20)
                        .append(",\"pages\":").append(quote(PageNodes.Placement.format(r.placed().pages())))
                        .append(",\"pagesVia\":").append(quote(r.placed().via()))
                        .append(",\"pagemap\":").append(quote(PageNodes.Placement.format(r.placed().pagemap())))
                        .append(",\"movePages\":").append(quote(PageNodes.Placement.format(r.placed().moved())))
                        .append(",\"edgePages\":").append(quote(PageNodes.Placement.format(r.placed().edges())));
            }
            out.append('}').append(i + 1 < reports.size() ? ",\n" : "\n");
        }
        return out.append("]\n").toString();
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
