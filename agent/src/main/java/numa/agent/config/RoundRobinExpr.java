package numa.agent.config;

/** {@code round-robin}: the rule's next device (or node) in turn, counted by the caller. */
record RoundRobinExpr(String text) implements Expr {
    @Override
    public int evaluate(EvalContext context) {
        return context.nextRoundRobin();
    }

    @Override
    public String toString() {
        return text;
    }
}
