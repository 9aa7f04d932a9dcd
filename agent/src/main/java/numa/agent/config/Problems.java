package numa.agent.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects config errors (and warnings) while loading goes on, so that one pass reports all of them; thrown
 * together, in file order, at the end.
 */
final class Problems {
    /**
     * Line, then column. A class, not Comparator.comparingInt with lambdas: this class is loaded at
     * premain (settings) and each lambda there costs a millisecond or more of spinning, cold.
     */
    private static final Comparator<ConfigException> FILE_ORDER = new Comparator<>() {
        @Override
        public int compare(ConfigException a, ConfigException b) {
            int byLine = Integer.compare(line(a), line(b));
            return byLine != 0 ? byLine : Integer.compare(column(a), column(b));
        }

        private int line(ConfigException e) {
            return e.position() == null ? 0 : e.position().line();
        }

        private int column(ConfigException e) {
            return e.position() == null ? 0 : e.position().column();
        }
    };

    /**
     * More errors than anyone reads: a file with more is not a numa-agent config (or not YAML meant as
     * one). Keeping each costs an exception; 100,000 unknown keys cost 600 MB and seconds at start-up.
     */
    static final int MAX_LISTED = 100;

    private final List<ConfigException> errors = new ArrayList<>();
    private final List<ConfigException> warnings = new ArrayList<>();
    private int unlistedErrors;
    private Position firstUnlisted;

    void add(Position position, String problem) {
        if (errors.size() >= MAX_LISTED) {
            unlisted(position);
            return;
        }
        errors.add(new ConfigException(position, problem));
    }

    void add(ConfigException error) {
        for (ConfigException e : error.all()) {
            if (errors.size() >= MAX_LISTED) {
                unlisted(e.position());
            } else {
                errors.add(e);
            }
        }
    }

    /** True when a further error would not be listed: no need to spend on its message. */
    boolean listingFull() {
        return errors.size() >= MAX_LISTED;
    }

    private void unlisted(Position position) {
        if (unlistedErrors++ == 0) {
            firstUnlisted = position;
        }
    }

    /** Something that loads but is likely not what was meant; it does not stop loading. */
    void warn(Position position, String problem) {
        if (warnings.size() < MAX_LISTED) {
            warnings.add(new ConfigException(position, problem));
        }
    }

    /** The warnings, in file order. */
    List<ConfigException> warnings() {
        List<ConfigException> sorted = new ArrayList<>(warnings);
        sorted.sort(FILE_ORDER);
        return sorted;
    }

    int count() {
        return errors.size() + unlistedErrors;
    }

    /** Throws every error collected so far, the first in the file as the message. */
    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            List<ConfigException> sorted = new ArrayList<>(errors);
            sorted.sort(FILE_ORDER); // stable: errors at one place keep the order they were found in
            if (unlistedErrors > 0) {
                sorted.add(new ConfigException(firstUnlisted, unlistedErrors + " more error"
                        + (unlistedErrors == 1 ? "" : "s") + " from here on, not listed: only the first " + MAX_LISTED
                        + " are (is this file a numa-agent config?)"));
            }
            throw ConfigException.of(sorted);
        }
    }
}
