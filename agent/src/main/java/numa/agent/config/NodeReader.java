package numa.agent.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reads from YAML nodes for the config reader: each read either gives a value or records a
 * positioned error for people and gives null, so that loading can go on and report every error.
 *
 * <p>{@code label} arguments name the value in messages ({@code binding.cpus},
 * {@code thread in rule 'gpu-workers'}); {@code expected} ones say what it should be
 * ({@code a list of PCI bus ids}).
 */
final class NodeReader {
    /** What plain YAML gives; anything else was asked for with an explicit tag and is refused. */
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.SEQ,
            Tag.MAP, Tag.ENV_TAG /* how the core schema labels a plain "${name}" */);
    /** Scalars whose text can stand for a string. */
    private static final Set<Tag> TEXT_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.ENV_TAG);

    private final String file;
    private final Problems problems;

    NodeReader(String file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    String file() {
        return file;
    }

    Problems problems() {
        return problems;
    }

    Position at(Node node) {
        return node.getStartMark().map(m -> YamlReader.position(file, m)).orElse(new Position(file, 1, 1));
    }

    void error(Node node, String problem) {
        problems.add(at(node), problem);
    }

    void warn(Node node, String problem) {
        problems.warn(at(node), problem);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /**
     * True when the node has no explicit tag the config does not know ({@code !!java.lang.Object},
     * {@code !custom}); such a tag is reported here.
     */
    boolean plain(Node node) {
        if (PLAIN_TAGS.contains(node.getTag())) {
            return true;
        }
        error(node, "unsupported tag '" + displayTag(node.getTag())
                + "' (a numa-agent config is plain YAML: maps, lists, strings, numbers, true/false)");
        return false;
    }

    /**
     * The entries of a map by key, in file order. Reports keys that are not names, repeated keys
     * and unknown keys (and leaves them out), and values with an unsupported tag (left out too).
     *
     * @param where where the map is, for messages: {@code in binding}, {@code at the top level}
     */
    Map<String, NodeTuple> entries(MappingNode map, String where, List<String> keys) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!plain(keyNode)) {
                continue;
            }
            if (!(keyNode instanceof ScalarNode scalar) || isNull(keyNode)) {
                error(keyNode, "keys " + where + " must be names, not " + describe(keyNode)
                        + " (expected: " + String.join(", ", keys) + ")");
                continue;
            }
            String key = scalar.getValue();
            NodeTuple first = entries.get(key);
            if (first != null) {
                error(keyNode, "duplicate key '" + key + "' " + where + " (first given at line "
                        + at(first.getKeyNode()).line() + ")");
            } else if (!keys.contains(key)) {
                if (problems.listingFull()) { // a flood of keys: count them, spend nothing on suggestions
                    error(keyNode, "unknown key");
                    continue;
                }
                error(keyNode, "unknown key '" + key + "' " + where + " (expected: " + String.join(", ", keys) + ")"
                        + Suggestions.didYouMean(key, keys));
            } else if (plain(tuple.getValueNode())) {
                entries.put(key, tuple);
            }
        }
        return entries;
    }

    /** The node as a map, or null (reported) when it is something else. */
    MappingNode map(Node node, String label, String expected) {
        if (node instanceof MappingNode map) {
            return map;
        }
        error(node, label + " must be " + expected + ", not " + describe(node));
        return null;
    }

    /**
     * The items of a list, in order; an item with an unsupported tag is null (reported), so that
     * indexes in messages stay those of the file. Null (reported) when the node is not a list.
     */
    List<Node> items(Node node, String label, String expected) {
        if (!(node instanceof SequenceNode list)) {
            error(node, label + " must be " + expected + ", not " + describe(node));
            return null;
        }
        List<Node> items = new ArrayList<>();
        for (Node item : list.getValue()) {
            items.add(plain(item) ? item : null);
        }
        return items;
    }

    /** A scalar's text (strings, and numbers or booleans as written), or null when it is none. */
    String text(Node node, String label, String expected) {
        if (node instanceof ScalarNode scalar && TEXT_TAGS.contains(node.getTag())) {
            return scalar.getValue();
        }
        error(node, label + " must be " + expected + ", not " + describe(node));
        return null;
    }

    /** Same as {@link #text}, also refusing an empty or blank string. */
    String nonEmptyText(Node node, String label, String expected) {
        String text = text(node, label, expected);
        if (text != null && text.isBlank()) {
            error(node, label + " must be " + expected + ", not an empty string");
            return null;
        }
        return text;
    }

    /** A YAML integer that is 0 or more and fits an int; null (reported) otherwise. */
    Integer nonNegativeInt(Node node, String label, String expected) {
        if (!(node instanceof ScalarNode scalar) || !Tag.INT.equals(node.getTag())) {
            error(node, label + " must be " + expected + ", not " + describe(node));
            return null;
        }
        BigInteger value = yamlInteger(scalar.getValue());
        if (value == null) {
            error(node, label + " must be " + expected + ", not '" + scalar.getValue() + "'");
            return null;
        }
        if (value.signum() < 0) {
            error(node, label + " must be " + expected + ", not the negative number " + scalar.getValue());
            return null;
        }
        if (value.bitLength() > 31) {
            error(node, label + " must be " + expected + "; " + scalar.getValue() + " is too large");
            return null;
        }
        return value.intValue();
    }

    /**
     * A {@code device} or {@code node} expression: a YAML integer or a string, parsed by
     * {@link Exprs}; null (reported) when it is neither or does not parse.
     *
     * @param regex the rule's regex, whose groups the expression may name; null when none
     */
    Expr expr(Node node, String label, java.util.regex.Pattern regex) {
        boolean scalar = node instanceof ScalarNode && (Tag.STR.equals(node.getTag()) || Tag.INT.equals(node.getTag())
                || Tag.ENV_TAG.equals(node.getTag()));
        if (!scalar) {
            error(node, label + " must be a number or an expression (" + Exprs.FORMS + "), not " + describe(node));
            return null;
        }
        try {
            return Exprs.parse(label, ((ScalarNode) node).getValue(), at(node), regex);
        } catch (ConfigException e) {
            problems.add(e);
            return null;
        }
    }

    /** Of two nodes, the one written later: where "not both" errors point. */
    Node later(Node a, Node b) {
        Position pa = at(a);
        Position pb = at(b);
        boolean aFirst = pa.line() < pb.line() || pa.line() == pb.line() && pa.column() < pb.column();
        return aFirst ? b : a;
    }

    /**
     * One of an enum's values, written in YAML as its name in lower case with '-' for '_'
     * ({@code ROUND_ROBIN} is {@code round-robin}); null (reported) otherwise.
     */
    <E extends Enum<E>> E choice(Node node, String label, Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(yamlName(constant));
        }
        String expected = "one of " + String.join(", ", names);
        String text = text(node, label, expected);
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (yamlName(constant).equals(text)) {
                return constant;
            }
        }
        error(node, "invalid value '" + text + "' for " + label + " (expected: " + String.join(", ", names) + ")"
                + Suggestions.didYouMean(text, names));
        return null;
    }

    static String yamlName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What a node is, for "must be X, not Y" messages. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String value = ((ScalarNode) node).getValue();
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return "an empty value";
        }
        if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
            return "the number " + value;
        }
        if (Tag.BOOL.equals(tag)) {
            return value;
        }
        return "the string '" + (value.length() > 60 ? value.substring(0, 57) + "..." : value) + "'";
    }

    private static String displayTag(Tag tag) {
        String value = tag.getValue();
        return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
    }

    /** The core schema's integer forms: decimal with a sign, 0o octal, 0x hex; null for other text (!!int abc). */
    private static BigInteger yamlInteger(String text) {
        try {
            return parseYamlInteger(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BigInteger parseYamlInteger(String text) {
        String digits = text;
        boolean negative = false;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            negative = digits.startsWith("-");
            digits = digits.substring(1);
        }
        BigInteger value;
        if (digits.startsWith("0x")) {
            value = new BigInteger(digits.substring(2), 16);
        } else if (digits.startsWith("0o")) {
            value = new BigInteger(digits.substring(2), 8);
        } else {
            value = new BigInteger(digits);
        }
        return negative ? value.negate() : value;
    }
}
