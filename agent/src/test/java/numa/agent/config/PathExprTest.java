package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import numa.agent.config.other.HiddenDevice;
import org.junit.jupiter.api.Test;

/** Path expressions read by reflection: every kind of member and value, and every way it can fail. */
class PathExprTest {

    private static int eval(String expr, Object self, Object... args) throws Exception {
        return Exprs.parse(expr, new Position("c.yaml", 1, 1), null).evaluate(TestContext.call(self, args));
    }

    private static String failure(String expr, Object self, Object... args) {
        try {
            eval(expr, self, args);
        } catch (ExprException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("evaluated: " + expr);
    }

    // --- application-like classes ------------------------------------------------------------

    public record DeviceRecord(int index, String name) {
    }

    public static final class Primitives {
        public byte b = 1;
        public short s = 2;
        public int i = 3;
        public long l = 4L;
        public char c = '5';
        public double whole = 6.0;
        public float half = 6.5f;
        public boolean flag = true;
    }

    public static final class Boxed {
        public Byte b = 1;
        public Short s = 2;
        public Integer i = 3;
        public Long l = 4L;
        public BigInteger big = BigInteger.valueOf(5);
        public BigDecimal decimal = new BigDecimal("6.00");
        public BigDecimal fraction = new BigDecimal("6.5");
        public AtomicInteger atomic = new AtomicInteger(7);
        public AtomicLong atomicLong = new AtomicLong(8);
        public Integer missing = null;
        public Long huge = 1L << 40;
        public Integer negative = -3;
    }

    public static final class Strings {
        public String digits = "12";
        public String padded = " 13\n";
        public StringBuilder builder = new StringBuilder("14");
        public String word = "abc";
        public String empty = "";
        public String negative = "-2";
    }

    static class Base {
        private int secret = 41;

        int baseMethod() {
            return 40;
        }

        public int getInherited() {
            return 42;
        }
    }

    static final class Derived extends Base {
        private int own = 43;
        private final Base parent = new Base();

        private int getHidden() {
            return 44;
        }

        int both() {
            return 1; // the no-prefix method wins over getBoth()
        }

        int getBoth() {
            return 2;
        }
    }

    interface WithDefault {
        default int fromInterface() {
            return 45;
        }
    }

    static final class Impl implements WithDefault {
    }

    static final class Device {
        int getIndex() {
            return 0;
        }
    }

    static final class Server {
        private final Device device = new Device();
        private final Object nothing = null;
        private final List<String> list = List.of("a");

        public Device device() {
            return device;
        }

        public String index() {
            return "abc";
        }

        public int fails() {
            throw new IllegalStateException("not started");
        }

        public void noValue() {
        }
    }

    // --- tests ---------------------------------------------------------------------------------

    @Test
    void argumentsThemselves() throws Exception {
        assertThat(eval("arg0", null, 3)).isEqualTo(3);
        assertThat(eval("arg1", null, "x", 7L)).isEqualTo(7);
        assertThat(eval("arg0", null, "8")).isEqualTo(8);
        assertThat(eval("this", 9)).isEqualTo(9);
    }

    @Test
    void recordAccessorAndGetterAndField() throws Exception {
        assertThat(eval("arg0.index", null, new DeviceRecord(2, "gpu"))).isEqualTo(2);
        assertThat(eval("this.device.index", new Server())).isZero();
        assertThat(eval("arg0.own", null, new Derived())).isEqualTo(43);
    }

    @Test
    void primitives() throws Exception {
        Primitives p = new Primitives();
        assertThat(eval("arg0.b", null, p)).isEqualTo(1);
        assertThat(eval("arg0.s", null, p)).isEqualTo(2);
        assertThat(eval("arg0.i", null, p)).isEqualTo(3);
        assertThat(eval("arg0.l", null, p)).isEqualTo(4);
        assertThat(eval("arg0.whole", null, p)).isEqualTo(6);
        assertThat(failure("arg0.c", null, p)).isEqualTo(
                "arg0.c: field numa.agent.config.PathExprTest$Primitives.c holds a java.lang.Character (expected an integer)");
        assertThat(failure("arg0.half", null, p)).isEqualTo(
                "arg0.half: field numa.agent.config.PathExprTest$Primitives.half holds 6.5 (expected an integer)");
        assertThat(failure("arg0.flag", null, p)).isEqualTo(
                "arg0.flag: field numa.agent.config.PathExprTest$Primitives.flag holds a java.lang.Boolean (expected an integer)");
    }

    @Test
    void boxedAndOtherNumbers() throws Exception {
        Boxed b = new Boxed();
        assertThat(eval("arg0.b", null, b)).isEqualTo(1);
        assertThat(eval("arg0.s", null, b)).isEqualTo(2);
        assertThat(eval("arg0.i", null, b)).isEqualTo(3);
        assertThat(eval("arg0.l", null, b)).isEqualTo(4);
        assertThat(eval("arg0.big", null, b)).isEqualTo(5);
        assertThat(eval("arg0.decimal", null, b)).isEqualTo(6);
        assertThat(eval("arg0.atomic", null, b)).isEqualTo(7);
        assertThat(eval("arg0.atomicLong", null, b)).isEqualTo(8);
        assertThat(failure("arg0.fraction", null, b)).isEqualTo(
                "arg0.fraction: field numa.agent.config.PathExprTest$Boxed.fraction holds 6.5 (expected an integer)");
        assertThat(failure("arg0.missing", null, b)).isEqualTo(
                "arg0.missing: field numa.agent.config.PathExprTest$Boxed.missing holds null (expected an integer)");
        assertThat(failure("arg0.huge", null, b)).isEqualTo("arg0.huge: field numa.agent.config.PathExprTest$Boxed.huge"
                + " holds 1099511627776 (expected an integer up to 2147483647)");
        assertThat(failure("arg0.negative", null, b)).isEqualTo("arg0.negative: field"
                + " numa.agent.config.PathExprTest$Boxed.negative holds -3 (expected a non-negative integer)");
    }

    @Test
    void strings() throws Exception {
        Strings s = new Strings();
        assertThat(eval("arg0.digits", null, s)).isEqualTo(12);
        assertThat(eval("arg0.padded", null, s)).isEqualTo(13);
        assertThat(eval("arg0.builder", null, s)).isEqualTo(14);
        assertThat(failure("arg0.word", null, s)).isEqualTo(
                "arg0.word: field numa.agent.config.PathExprTest$Strings.word holds 'abc' (expected an integer)");
        assertThat(failure("arg0.empty", null, s)).isEqualTo(
                "arg0.empty: field numa.agent.config.PathExprTest$Strings.empty holds '' (expected an integer)");
        assertThat(failure("arg0.negative", null, s)).isEqualTo("arg0.negative: field"
                + " numa.agent.config.PathExprTest$Strings.negative holds '-2' (expected a non-negative integer)");
    }

    @Test
    void nonPublicMembersUpTheHierarchy() throws Exception {
        Derived d = new Derived();
        assertThat(eval("arg0.hidden", null, d)).isEqualTo(44);      // private getHidden()
        assertThat(eval("arg0.inherited", null, d)).isEqualTo(42);   // public getInherited() of the superclass
        assertThat(eval("arg0.baseMethod", null, d)).isEqualTo(40);  // package-private method of the superclass
        assertThat(eval("arg0.secret", null, d)).isEqualTo(41);      // private field of the superclass
        assertThat(eval("arg0.parent.secret", null, d)).isEqualTo(41);
        assertThat(eval("arg0.both", null, d)).isEqualTo(1);         // prop() before getProp()
        assertThat(eval("arg0.fromInterface", null, new Impl())).isEqualTo(45);
    }

    @Test
    void packagePrivateClassInAnotherPackage() throws Exception {
        Object device = HiddenDevice.create(3);
        assertThat(eval("arg0.index", null, device)).isEqualTo(3);
        assertThat(eval("arg0.ordinal", null, device)).isEqualTo(103);
    }

    @Test
    void valueThatIsNotAnInteger() {
        assertThat(failure("arg0.index", null, new Server())).isEqualTo(
                "arg0.index: numa.agent.config.PathExprTest$Server.index() returned 'abc' (expected an integer)");
        assertThat(failure("arg0.list", null, new Server())).isEqualTo(
                "arg0.list: field numa.agent.config.PathExprTest$Server.list holds a java.util.ImmutableCollections$List12"
                + " (expected an integer)");
        assertThat(failure("arg0", null, Optional.of(1))).isEqualTo("arg0: arg0 is a java.util.Optional (expected an integer)");
    }

    @Test
    void noSuchMember() {
        assertThat(failure("arg0.device.number", null, new Server())).isEqualTo("arg0.device.number:"
                + " numa.agent.config.PathExprTest$Device has no method number() or getNumber() and no field number");
        assertThat(failure("arg0.noValue", null, new Server())).isEqualTo("arg0.noValue:"
                + " numa.agent.config.PathExprTest$Server has no method noValue() or getNoValue() and no field noValue");
    }

    @Test
    void nullOnTheWay() {
        assertThat(failure("arg0.nothing.index", null, new Server())).isEqualTo("arg0.nothing.index: arg0.nothing is null");
        assertThat(failure("arg0.index", null, (Object) null)).isEqualTo("arg0.index: arg0 is null");
        assertThat(failure("arg0", null, (Object) null)).isEqualTo("arg0: arg0 is null (expected an integer)");
    }

    @Test
    void memberThatThrows() {
        assertThat(failure("this.fails", new Server())).isEqualTo("this.fails: numa.agent.config.PathExprTest$Server.fails()"
                + " threw java.lang.IllegalStateException: not started");
    }

    @Test
    void missingReceiverOrArgument() {
        assertThat(failure("this.index", null)).isEqualTo("this.index: no 'this' here (a static method, or not a method call)");
        assertThat(failure("arg1.index", null, "only one")).isEqualTo("arg1.index: the call has 1 argument, so no arg1");
        assertThat(failure("arg0", null)).isEqualTo("arg0: the call has 0 arguments, so no arg0");
        // an EvalContext that is not a method call at all
        assertThatThrownBy(() -> Exprs.parse("arg0.x", null, null).evaluate(new TestContext()))
                .hasMessage("arg0.x: the call has 0 arguments, so no arg0");
    }

    @Test
    void jdkInternalsThatAreNotOpenSayHowToOpenThem() {
        // String's private field hash; the JDK's own words for the refusal differ between versions
        assertThat(failure("arg0.hash", null, "12"))
                .startsWith("arg0.hash: cannot read field java.lang.String.hash (")
                .endsWith("); add --add-opens java.base/java.lang=ALL-UNNAMED, or use a public member");
    }

    @Test
    void publicMembersOfJdkClassesWork() throws Exception {
        assertThat(eval("arg0.length", null, "abcd")).isEqualTo(4);
        assertThat(eval("arg0.size", null, List.of(1, 2))).isEqualTo(2); // public method of a non-public class
    }

    @Test
    void theSameExpressionServesManyClasses() throws Exception {
        Expr expr = Exprs.parse("arg0.index", null, null);
        assertThat(expr.evaluate(TestContext.call(null, new DeviceRecord(5, "a")))).isEqualTo(5);
        assertThat(expr.evaluate(TestContext.call(null, HiddenDevice.create(6)))).isEqualTo(6);
        assertThat(expr.evaluate(TestContext.call(null, new DeviceRecord(7, "b")))).isEqualTo(7);
    }
}
