package numa.vm.harness;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** The kernel's list form of CPU and node sets ({@code 0-3,8}), both ways. */
public final class CpuList {
    private CpuList() {
    }

    public static SortedSet<Integer> parse(String list) {
        SortedSet<Integer> out = new TreeSet<>();
        if (list == null || list.isBlank()) {
            return out;
        }
        for (String part : list.trim().split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0].trim());
            int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
            for (int c = from; c <= to; c++) {
                out.add(c);
            }
        }
        return out;
    }

    public static String format(java.util.Collection<Integer> cpus) {
        List<Integer> sorted = new TreeSet<>(cpus).stream().toList();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            list.append(list.length() > 0 ? "," : "").append(sorted.get(i));
            if (j > i) {
                list.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return list.toString();
    }

    /** {@code a} ∩ {@code b} in list form. */
    public static String intersect(String a, String b) {
        SortedSet<Integer> s = parse(a);
        s.retainAll(parse(b));
        return format(s);
    }
}
