package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Parsing expressions (what is accepted, what is refused and how) and evaluating the simple forms. */
class ExprsTest {
    private static final Position AT = new Position("config.yaml", 7, 13);

    private static Expr parse(String text, String regex) throws ConfigException {
        return Exprs.parse(text, AT, regex == null ? null : Pattern.compile(regex));
    }

    private static Expr parse(String text) throws ConfigException {
        return parse(text, null);
    }

    private static String parseError(String text, String regex) {
        try {
            parse(text, regex);
        } catch (ConfigException e) {
            assertThat(e.position()).isEqualTo(AT);
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + text);
    }

    @Test
    void integerLiteral() throws Exception {
        assertThat(parse("0").evaluate(new TestContext())).isZero();
        assertThat(parse("12").evaluate(new TestContext())).isEqualTo(12);
        assertThat(parse(" 3 ").evaluate(new TestContext())).isEqualTo(3);
        assertThat(parse("007").evaluate(new TestContext())).isEqualTo(7);
        assertThat(parse("+2").evaluate(new TestContext())).isEqualTo(2);
        assertThat(parse("2147483647").evaluate(new TestContext())).isEqualTo(Integer.MAX_VALUE);
        assertThat(parse("12").text()).isEqualTo("12");
        assertThat(parse("12")).hasToString("12");
    }

    @Test
    void integerLiteralOutOfRange() {
        assertThat(parseError("-1", null))
                .isEqualTo("config.yaml:7:13: expression: -1 is negative (device and node numbers start at 0)");
        assertThat(parseError("2147483648", null)).isEqualTo("config.yaml:7:13: expression: 2147483648 is too large");
    }

    @Test
    void numberedGroup() throws Exception {
        Expr expr = parse("$2", "w-(\\d+)-(\\d+)");
        assertThat(expr.evaluate(TestContext.matching("w-(\\d+)-(\\d+)", "w-1-23"))).isEqualTo(23);
        assertThat(parse("${1}", "w-(\\d+)").evaluate(TestContext.matching("w-(\\d+)", "w-4"))).isEqualTo(4);
        assertThat(parse("$0", "\\d+").evaluate(TestContext.matching("\\d+", "9"))).isEqualTo(9);
    }

    @Test
    void namedGroup() throws Exception {
        Expr expr = parse("${gpu}", "w-(?<gpu>\\d+)");
        assertThat(expr.evaluate(TestContext.matching("w-(?<gpu>\\d+)", "w-6"))).isEqualTo(6);
    }

    @Test
    void namedGroupsAreFoundWhateverTheRegexLooksLike() throws Exception {
        // named groups inside other groups, after lookarounds, in comments mode, after quoting
        parse("${a}", "(x(?<a>\\d))");
        parse("${a}", "(?<=x)(?<a>\\d)");
        parse("${a}", "(?x) (?<a> \\d+ ) # comment");
        parse("${a}", "\\Q(?<b>\\E(?<a>\\d)");
        assertThat(parseError("${b}", "\\Q(?<b>\\E(?<a>\\d)")).contains("refers to a group named 'b'");
        assertThat(parseError("${a}", "[(?<a>]")).contains("refers to a group named 'a'");
        assertThat(parseError("${a}", "\\(?<a>")).contains("refers to a group named 'a'");
    }

    @Test
    void groupErrors() {
        assertThat(parseError("$1", null)).isEqualTo("config.yaml:7:13: expression: $1 refers to a group of the rule's"
                + " regex, but there is no thread or process regex here");
        assertThat(parseError("$2", "(a)")).isEqualTo(
                "config.yaml:7:13: expression: $2 refers to group 2, but the regex \"(a)\" has only 1 group");
        assertThat(parseError("$99999999999", "(a)")).isEqualTo(
                "config.yaml:7:13: expression: $99999999999 refers to group 99999999999, but the regex \"(a)\" has only 1 group");
        assertThat(parseError("${x}", "(?<y>a)")).isEqualTo("config.yaml:7:13: expression: ${x} refers to a group named"
                + " 'x', but the regex \"(?<y>a)\" has none (name a group like this: (?<x>\\d+))");
        assertThat(parseError("$x", "(a)")).isEqualTo("config.yaml:7:13: expression: '$x' is not a group reference"
                + " (expected $N, or ${name} with a name of letters and digits)");
        assertThat(parseError("${my_gpu}", "(a)")).contains("'${my_gpu}' is not a group reference");
        assertThat(parseError("$", "(a)")).contains("'$' is not a group reference");
    }

    @Test
    void groupEvaluationErrors() throws Exception {
        String regex = "w-(\\w+)(-(\\d+))?";
        assertThatThrownBy(() -> parse("$1", regex).evaluate(TestContext.matching(regex, "w-abc")))
                .isInstanceOf(ExprException.class).hasMessage("$1 = 'abc' is not an integer");
        assertThatThrownBy(() -> parse("$3", regex).evaluate(TestContext.matching(regex, "w-abc")))
                .hasMessage("$3: the group took no part in the match");
        assertThatThrownBy(() -> parse("$1", regex).evaluate(new TestContext()))
                .hasMessage("$1: no regex match to take a group from");
        assertThatThrownBy(() -> parse("$1", regex).evaluate(TestContext.matching(regex, "w-99999999999")))
                .hasMessage("$1 = '99999999999' is too large");
    }

    @Test
    void environmentAndProperty() throws Exception {
        TestContext context = new TestContext().env("GPU", "3").property("gpu.index", " 5 ");
        assertThat(parse("env:GPU").evaluate(context)).isEqualTo(3);
        assertThat(parse("prop:gpu.index").evaluate(context)).isEqualTo(5);
        assertThat(parse("env:GPU").text()).isEqualTo("env:GPU");
    }

    @Test
    void environmentAndPropertyEvaluationErrors() throws Exception {
        TestContext context = new TestContext().env("BAD", "gpu0").env("NEG", "-1").property("p", "");
        assertThatThrownBy(() -> parse("env:GPU_INDEX").evaluate(context))
                .isInstanceOf(ExprException.class).hasMessage("env:GPU_INDEX is not set");
        assertThatThrownBy(() -> parse("env:BAD").evaluate(context)).hasMessage("env:BAD = 'gpu0' is not an integer");
        assertThatThrownBy(() -> parse("env:NEG").evaluate(context)).hasMessage("env:NEG = '-1' is negative");
        assertThatThrownBy(() -> parse("prop:p").evaluate(context)).hasMessage("prop:p = '' is not an integer");
        assertThatThrownBy(() -> parse("prop:q").evaluate(context)).hasMessage("prop:q is not set");
    }

    @Test
    void environmentAndPropertySyntaxErrors() {
        assertThat(parseError("env:", null)).isEqualTo("config.yaml:7:13: expression: 'env:' needs a variable name"
                + " without blanks after 'env:' (e.g. env:GPU_INDEX)");
        assertThat(parseError("prop: x", null)).isEqualTo("config.yaml:7:13: expression: 'prop: x' needs a property"
                + " name without blanks after 'prop:' (e.g. prop:gpu.index)");
        assertThat(parseError("env:A=B", null)).contains("needs a variable name");
    }

    @Test
    void roundRobin() throws Exception {
        TestContext context = new TestContext();
        Expr expr = parse("round-robin");
        assertThat(expr.evaluate(context)).isZero();
        assertThat(expr.evaluate(context)).isEqualTo(1);
        assertThat(expr.evaluate(context)).isEqualTo(2);
        assertThat(expr.text()).isEqualTo("round-robin");
    }

    @Test
    void paths() throws Exception {
        assertThat(parse("arg0")).isInstanceOf(PathExpr.class);
        assertThat(parse("arg12.a.b_c.$d")).isInstanceOf(PathExpr.class);
        assertThat(parse("this")).isInstanceOf(PathExpr.class);
        assertThat(parse("this.device.index").text()).isEqualTo("this.device.index");
        assertThat(((PathExpr) parse("this.x")).argument()).isEqualTo(PathExpr.THIS);
        assertThat(((PathExpr) parse("arg2.x")).argument()).isEqualTo(2);
    }

    @Test
    void pathSyntaxErrors() {
        String expected = " is not a valid path (expected argN or this, then .name steps with Java names, e.g. arg0.index)";
        for (String bad : new String[] {"arg", "arg0.", "arg0..x", "this.1x", "arg0.index()", "arg0.a-b"}) {
            assertThat(parseError(bad, null)).isEqualTo("config.yaml:7:13: expression: '" + bad + "'" + expected);
        }
        assertThat(parseError("arg255", null)).isEqualTo("config.yaml:7:13: expression: 'arg255': no method has an argument 255");
    }

    @Test
    void notAnExpression() {
        String forms = "(expected: an integer, $N, ${name}, argN or this followed by .prop steps, env:NAME, prop:NAME"
                + " or round-robin)";
        assertThat(parseError("gpu", null)).isEqualTo("config.yaml:7:13: expression: 'gpu' is not an expression " + forms);
        assertThat(parseError("1.5", null)).isEqualTo("config.yaml:7:13: expression: '1.5' is not an expression " + forms);
        assertThat(parseError("roundrobin", null)).isEqualTo("config.yaml:7:13: expression: 'roundrobin' is not an"
                + " expression " + forms + "; did you mean 'round-robin'?");
        assertThat(parseError("", null)).isEqualTo("config.yaml:7:13: expression is empty " + forms);
        assertThat(parseError("this-x", null)).contains("'this-x' is not an expression");
        assertThat(parseError("ENV:X", null)).contains("'ENV:X' is not an expression");
    }
}
