package numa.agent.config;

import java.util.List;
import java.util.Locale;

/** "Did you mean ...?" for a misspelt key or value: the closest allowed word, when close enough. */
final class Suggestions {
    private Suggestions() {
    }

    /**
     * The allowed word nearest to {@code given} (case-insensitive edit distance), or null when none
     * is near enough to be a likely typo: at most 2 edits, and fewer than half the word's length;
     * or else the allowed word that starts {@code given} or that it starts ({@code warning} -> warn,
     * {@code mem} -> memory), at least 3 letters in common.
     */
    static String closest(String given, List<String> allowed) {
        String lower = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null) {
            return null;
        }
        int limit = Math.min(2, Math.max(1, Math.max(given.length(), best.length()) / 2 - 1));
        if (bestDistance <= limit) {
            return best;
        }
        for (String candidate : allowed) {
            String word = candidate.toLowerCase(Locale.ROOT);
            if (Math.min(word.length(), lower.length()) >= 3 && (lower.startsWith(word) || word.startsWith(lower))) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code "; did you mean 'x'?"} or {@code ""}: the tail of an error message. */
    static String didYouMean(String given, List<String> allowed) {
        String best = closest(given, allowed);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
