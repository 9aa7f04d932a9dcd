package numa.agent.config;

/** {@code env:NAME} or {@code prop:NAME}: an environment variable or system property, read each time. */
record LookupExpr(String text, boolean environment, String name) implements Expr {
    @Override
    public int evaluate(EvalContext context) throws ExprException {
        String value = environment ? context.env(name) : context.property(name);
        if (value == null) {
            throw new ExprException(text + " is not set");
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
