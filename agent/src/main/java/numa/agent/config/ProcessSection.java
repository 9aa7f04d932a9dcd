package numa.agent.config;

/**
 * The {@code process} section: bind the whole JVM at start. Exactly one of device/node is set.
 */
public record ProcessSection(Expr device, Expr node, Position position) {
}
