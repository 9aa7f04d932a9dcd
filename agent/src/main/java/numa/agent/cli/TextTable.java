package numa.agent.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with a header row, columns padded to their widest cell, two spaces between
 * them, as {@code numactl --hardware} and {@code nvidia-smi topo -m} print theirs. Columns of
 * numbers can be right-aligned so that digits line up.
 */
final class TextTable {
    private final List<String> header;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
        this.rightAligned = new boolean[header.length];
    }

    /** Right-aligns the given columns (0-based). */
    TextTable alignRight(int... columns) {
        for (int c : columns) {
            rightAligned[c] = true;
        }
        return this;
    }

    /** Adds a row; each cell is shown with {@link String#valueOf(Object)}. */
    TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + header.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    /** The table, each line indented by {@code indent} and ending in a newline; trailing blanks trimmed. */
    String render(String indent) {
        int[] widths = new int[header.size()];
        for (List<String> r : allRows()) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], r.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> r : allRows()) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < widths.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = r.get(c);
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(rightAligned[c] ? pad + cell : cell + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
