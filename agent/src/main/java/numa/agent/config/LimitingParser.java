package numa.agent.config;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A parser that stops a document nesting too deep (the composer recurses per level and would
 * overflow the stack) or using too many aliases (an alias bomb), with the place where it happens.
 * The engine has an alias limit of its own, but its error carries no position.
 */
final class LimitingParser implements Parser {
    /** Thrown through the composer, which only lets unchecked exceptions by. */
    static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ConfigException error;

        LimitExceeded(ConfigException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    private final Parser delegate;
    private final String file;
    private int depth;
    private int aliases;

    LimitingParser(Parser delegate, String file) {
        this.delegate = delegate;
        this.file = file;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return delegate.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        Event event = delegate.next();
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                if (++depth > YamlReader.MAX_DEPTH) {
                    throw exceeded(event, "nesting deeper than " + YamlReader.MAX_DEPTH
                            + " levels; a numa-agent config needs 3");
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            case Alias -> {
                if (++aliases > YamlReader.MAX_ALIASES) {
                    throw exceeded(event, "more than " + YamlReader.MAX_ALIASES
                            + " aliases (*name); write the values out instead");
                }
            }
            default -> {
            }
        }
        return event;
    }

    private LimitExceeded exceeded(Event event, String problem) {
        Position position = event.getStartMark().map(m -> YamlReader.position(file, m)).orElse(new Position(file, 1, 1));
        return new LimitExceeded(new ConfigException(position, problem));
    }
}
