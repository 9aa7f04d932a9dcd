package numa.agent.config;

import java.util.regex.Matcher;

/** {@code $N} or {@code ${name}}: a group of the rule's regex in the thread name or command line. */
record GroupExpr(String text, int number, String name) implements Expr {
    static GroupExpr numbered(String text, int number) {
        return new GroupExpr(text, number, null);
    }

    static GroupExpr named(String text, String name) {
        return new GroupExpr(text, -1, name);
    }

    @Override
    public int evaluate(EvalContext context) throws ExprException {
        Matcher match = context.match();
        if (match == null) {
            throw new ExprException(text + ": no regex match to take a group from");
        }
        String value;
        try {
            value = name != null ? match.group(name) : match.group(number);
        } catch (IllegalStateException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new ExprException(text + ": " + e.getMessage());
        }
        if (value == null) {
            throw new ExprException(text + ": the group took no part in the match");
        }
        Integers.Result result = Integers.parse(value);
        if (result.negative()) {
            throw ExprException.negativeNumber(text + " = '" + value + "' " + result.whyNot(), text + " is negative");
        }
        if (!result.ok()) {
            throw new ExprException(text + " = '" + value + "' " + result.whyNot());
        }
        return result.value();
    }

    @Override
    public String toString() {
        return text;
    }
}
