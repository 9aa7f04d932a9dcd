package numa.agent.config;

/** {@code 3}: always that number. */
public record LiteralExpr(String text, int value) implements Expr {
    @Override
    public int evaluate(EvalContext context) {
        return value;
    }

    @Override
    public String toString() {
        return text;
    }
}
