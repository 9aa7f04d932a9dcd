package numa.agent.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code argN} or {@code this}, then {@code .prop} steps: a value read from the intercepted call,
 * e.g. {@code arg0.index} for {@code createServer(Device device)} where {@code Device} has
 * {@code index()}, {@code getIndex()} or a field {@code index}. See {@link MemberAccess}.
 */
final class PathExpr implements Expr {
    /** The root {@code this} instead of an argument. */
    static final int THIS = -1;

    private final String text;
    private final int argument;
    private final List<Step> steps;

    /** One {@code .prop}, with the accessor found for each class it met (found once per class). */
    private static final class Step extends ClassValue<Optional<MemberAccess.Accessor>> {
        final String name;

        Step(String name) {
            this.name = name;
        }

        @Override
        protected Optional<MemberAccess.Accessor> computeValue(Class<?> type) {
            return Optional.ofNullable(MemberAccess.find(type, name));
        }
    }

    PathExpr(String text, int argument, List<String> steps) {
        this.text = text;
        this.argument = argument;
        this.steps = steps.stream().map(Step::new).toList();
    }

    /** Which argument the path starts from, or {@link #THIS}. */
    int argument() {
        return argument;
    }

    @Override
    public int callRoot() {
        return argument; // THIS is CALL_THIS
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public int evaluate(EvalContext context) throws ExprException {
        String path = argument == THIS ? "this" : "arg" + argument;
        Object value = root(context, path);
        String source = path + " is";
        for (Step step : steps) {
            if (value == null) {
                throw new ExprException(text + ": " + path + " is null");
            }
            Class<?> type = value.getClass();
            MemberAccess.Accessor accessor = step.get(type).orElse(null);
            if (accessor == null) {
                throw new ExprException(text + ": " + type.getName() + " has no method " + step.name + "() or "
                        + MemberAccess.getterName(step.name) + "() and no field " + step.name);
            }
            value = accessor.get(value, text);
            path = path + "." + step.name;
            source = accessor.describe() + " " + accessor.verb();
        }
        Integers.Result result = Integers.of(value);
        if (!result.ok()) {
            String expected = switch (result.whyNot()) {
                case "is negative" -> "a non-negative integer";
                case "is too large" -> "an integer up to " + Integer.MAX_VALUE;
                default -> "an integer";
            };
            // once per getter and kind of wrong value, not once per value
            if (result.negative()) {
                throw ExprException.negativeNumber(text + ": " + source + " " + show(value) + " (expected " + expected + ")",
                        text + ": " + source + " " + result.whyNot());
            }
            throw new ExprException(text + ": " + source + " " + show(value) + " (expected " + expected + ")",
                    text + ": " + source + " " + result.whyNot());
        }
        return result.value();
    }

    private Object root(EvalContext context, String name) throws ExprException {
        if (argument == THIS) {
            Object self = context.self();
            if (self == null) {
                throw new ExprException(text + ": no 'this' here (a static method, or not a method call)");
            }
            return self;
        }
        int count = context.argCount();
        if (argument >= count) {
            throw new ExprException(text + ": the call has " + count + (count == 1 ? " argument" : " arguments")
                    + ", so no " + name);
        }
        return context.arg(argument);
    }

    private static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "'" + value + "'";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        return "a " + value.getClass().getName();
    }

    @Override
    public String toString() {
        return text;
    }
}
