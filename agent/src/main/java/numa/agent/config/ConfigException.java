package numa.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A config error for people: {@code file:line:column: what is wrong (what was expected)}.
 *
 * <p>Loading goes on after the first error so that {@code check} can show every one at once:
 * the exception then stands for the first error (its message is exactly that error's) and
 * {@link #all()} gives them all, in file order.
 */
// its position and further errors are for people, not for serialization, which the agent never uses
@SuppressWarnings("serial")
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Position position;
    private final String problem;
    private final List<ConfigException> more;

    public ConfigException(Position position, String problem) {
        this(position, problem, List.of());
    }

    private ConfigException(Position position, String problem, List<ConfigException> more) {
        super(position == null ? problem : position + ": " + problem);
        this.position = position;
        this.problem = problem;
        this.more = more;
    }

    /**
     * One exception for several errors, in the order given: the first is the message, {@link #all()}
     * has them all.
     *
     * @throws IllegalArgumentException when {@code errors} is empty
     */
    public static ConfigException of(List<ConfigException> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        if (errors.size() == 1) {
            return errors.get(0);
        }
        List<ConfigException> all = new ArrayList<>();
        for (ConfigException e : errors) {
            all.addAll(e.all());
        }
        ConfigException first = all.get(0);
        return new ConfigException(first.position, first.problem, List.copyOf(all.subList(1, all.size())));
    }

    /** May be null when the error has no place (e.g. the file cannot be read). */
    public Position position() {
        return position;
    }

    public String problem() {
        return problem;
    }

    /** This error and every other one found in the same pass, first to last; never empty. */
    public List<ConfigException> all() {
        if (more.isEmpty()) {
            return List.of(this);
        }
        List<ConfigException> all = new ArrayList<>(more.size() + 1);
        all.add(new ConfigException(position, problem));
        all.addAll(more);
        return Collections.unmodifiableList(all);
    }
}
