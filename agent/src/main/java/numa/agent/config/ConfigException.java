package numa.agent.config;

/**
 * A config error for people: {@code file:line:column: what is wrong (what was expected)}.
 */
public final class ConfigException extends Exception {
    private final Position position;
    private final String problem;

    public ConfigException(Position position, String problem) {
        super(position == null ? problem : position + ": " + problem);
        this.position = position;
        this.problem = problem;
    }

    /** May be null when the error has no place (e.g. the file cannot be read). */
    public Position position() {
        return position;
    }

    public String problem() {
        return problem;
    }
}
