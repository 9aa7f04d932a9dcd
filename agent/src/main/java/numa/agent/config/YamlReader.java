package numa.agent.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns YAML text into a node tree with a position on every node, and nothing else: no object is
 * ever constructed from the text (tags stay labels that the config reader rejects), and the
 * limits below keep a hostile or broken file from costing more than a small one.
 */
final class YamlReader {
    /**
     * A config is a page or two; a MB is certainly a mistake. The engine's nodes cost some 200 bytes
     * of allocation per character of dense YAML (1 MB of short keys: 230 MB), so this bounds what
     * loading can cost at start-up to a few hundred MB of short-lived garbage.
     */
    static final int MAX_CODE_POINTS = 1024 * 1024;
    /** The config nests three levels deep; anything near this is not a config. */
    static final int MAX_DEPTH = 32;
    /** Enough to share a rule part or two; far too few for an alias bomb ("billion laughs"). */
    static final int MAX_ALIASES = 50;

    private YamlReader() {
    }

    /**
     * The document's root node, or empty when the text holds no document (empty, or comments only).
     *
     * @param file how messages name the file
     */
    static Optional<Node> read(String file, String text) throws ConfigException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark is not content
        }
        if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new ConfigException(null, file + ": the file is too large for a config (more than "
                    + MAX_CODE_POINTS + " characters)");
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setSchema(new CoreSchema())
                .setUseMarks(true)
                .setAllowDuplicateKeys(true)      // reported by the config reader, with both places
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setCodePointLimit(MAX_CODE_POINTS + 1)
                .setParseComments(false)
                // The engine's reader keeps the current token in a window it copies whole each time it
                // reads another buffer: a long line costs length^2 / buffer (a 1 MB comment allocated
                // 2 GB with the default 1 KiB). The text is in memory already: read it in one go.
                .setBufferSize(text.length() + 1)
                .build();
        try {
            LimitingParser parser = new LimitingParser(new ParserImpl(settings, new StreamReader(settings, text)), file);
            return new Composer(settings, parser).getSingleNode();
        } catch (LimitingParser.LimitExceeded e) {
            throw e.error;
        } catch (MarkedYamlEngineException e) {
            throw syntaxError(file, e);
        } catch (ReaderException e) {
            throw new ConfigException(positionOf(file, text, e.getPosition()),
                    "character " + describeCodePoint(e.getCodePoint()) + " is not allowed in YAML");
        } catch (YamlEngineException e) {
            // limits checked by the engine itself carry no mark; LimitingParser reports those it can place
            throw new ConfigException(new Position(file, 1, 1), "YAML error: " + oneLine(e.getMessage()));
        }
    }

    static Position position(String file, Mark mark) {
        return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static ConfigException syntaxError(String file, MarkedYamlEngineException e) {
        Optional<Mark> where = e.getProblemMark().or(e::getContextMark);
        Position position = where.map(m -> position(file, m)).orElse(new Position(file, 1, 1));
        if (e.getContext() != null && e.getContext().startsWith("expected a single document")) {
            return new ConfigException(position, "a second YAML document starts here; a config is one document"
                    + " (remove the '---' line)");
        }
        StringBuilder problem = new StringBuilder("YAML syntax error: ").append(oneLine(e.getProblem()));
        String context = e.getContext();
        if (context != null && !context.isBlank()) {
            problem.append(" (").append(oneLine(context));
            e.getContextMark().ifPresent(m -> problem.append(" that starts at line ").append(m.getLine() + 1)
                    .append(", column ").append(m.getColumn() + 1));
            problem.append(')');
        }
        String hint = hint(e.getProblem());
        if (hint != null) {
            problem.append("; ").append(hint);
        }
        return new ConfigException(position, problem.toString());
    }

    /**
     * What usually causes a parser's complaint, in the config's terms: the parser says what token it
     * found, people need to know that a key is indented one column off or that a regex's backslash
     * started a YAML escape.
     */
    static String hint(String problem) {
        if (problem == null) {
            return null;
        }
        if (problem.contains("unknown escape character")) {
            return "in double quotes a backslash starts a YAML escape: write \\\\d there (\"gpu-(\\\\d+)\"),"
                    + " or use single quotes, where a backslash is kept as written ('gpu-(\\d+)')";
        }
        if (problem.contains("expected <block end>") || problem.contains("mapping values are not allowed")
                || problem.contains("could not find expected ':'") || problem.contains("did not find expected key")
                || problem.contains("did not find expected '-' indicator")) {
            return "check the indentation here and on the line above: the keys of one mapping (a rule's name,"
                    + " thread, device, ...) start in the same column, and a list item's '-' lines up with its siblings";
        }
        return null;
    }

    /** Line and column of a code point index (the reader counts code points, not chars). */
    private static Position positionOf(String file, String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int seen = 0; i < text.length() && seen < codePointIndex; seen++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(file, line, column);
    }

    private static String describeCodePoint(int c) {
        return String.format("U+%04X", c);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }
}
