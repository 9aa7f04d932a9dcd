package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MethodPatternTest {

    @Test
    void classGlobAndMethodName() {
        MethodPattern p = MethodPattern.parse("com.acme.engine.*Server#createServer");
        assertThat(p.text()).isEqualTo("com.acme.engine.*Server#createServer");
        assertThat(p.classGlob()).isEqualTo("com.acme.engine.*Server");
        assertThat(p.methodName()).isEqualTo("createServer");
        assertThat(p.matchesClass("com.acme.engine.WorkerServer")).isTrue();
        assertThat(p.matchesClass("com.acme.engine.Outer$WorkerServer")).isTrue();
        assertThat(p.matchesClass("com.acme.engine.sub.WorkerServer")).isFalse();
        assertThat(p.matchesMethod("createServer")).isTrue();
        assertThat(p.matchesMethod("createServer2")).isFalse();
    }

    @Test
    void anyMethodButConstructors() {
        MethodPattern p = MethodPattern.parse("com.acme.**#*");
        assertThat(p.matchesClass("com.acme.a.B")).isTrue();
        assertThat(p.matchesMethod("run")).isTrue();
        assertThat(p.matchesMethod("<init>")).isFalse();
        assertThat(p.matchesMethod("<clinit>")).isFalse();
    }

    @Test
    void methodNamesAreJavaIdentifiers() {
        assertThat(MethodPattern.parse("a.B#_x$1").methodName()).isEqualTo("_x$1");
        assertThat(MethodPattern.parse("a.B#créer").methodName()).isEqualTo("créer");
    }

    @Test
    void invalidPatternsSayWhy() {
        String expected = " is not <class glob>#<method name> (e.g. com.acme.WorkerServer#createServer, or"
                + " com.acme.WorkerServer#createServer(com.acme.Device) for one overload)";
        assertThatThrownBy(() -> MethodPattern.parse("a.B.c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'a.B.c'" + expected);
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c#d")).hasMessage("'a.B#c#d'" + expected);
        assertThatThrownBy(() -> MethodPattern.parse("#c")).hasMessage("'#c' has no class before '#'");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#"))
                .hasMessage("'' after '#' is not a method name (a Java identifier, or * for any)");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#create*"))
                .hasMessage("'create*' after '#' is not a method name (a Java identifier, or * for any)");
        assertThatThrownBy(() -> MethodPattern.parse("a/B#c"))
                .hasMessage("'/' cannot appear in a class name ('a/B') (write class names with dots: com.acme.Worker)");
    }

    @Test
    void withoutAParameterListEveryOverloadMatches() {
        MethodPattern p = MethodPattern.parse("com.acme.WorkerServer#createServer");
        assertThat(p.parameters()).isNull();
        assertThat(p.parameterCount()).isEqualTo(-1);
        assertThat(p.matchesMethod("createServer", "(Lcom/acme/Device;)V")).isTrue();
        assertThat(p.matchesMethod("createServer", "(I)Ljava/lang/Object;")).isTrue();
        assertThat(p.matchesMethod("createServer", "()V")).isTrue();
        assertThat(p.matchesMethod("other", "()V")).isFalse();
    }

    @Test
    void aParameterListPicksOneOverload() {
        MethodPattern device = MethodPattern.parse("com.acme.WorkerServer#createServer(com.acme.Device)");
        assertThat(device.methodName()).isEqualTo("createServer");
        assertThat(device.parameters()).containsExactly("com.acme.Device");
        assertThat(device.parameterCount()).isEqualTo(1);
        assertThat(device.matchesMethod("createServer", "(Lcom/acme/Device;)V")).isTrue();
        assertThat(device.matchesMethod("createServer", "(Lcom/other/Device;)V")).isFalse();
        assertThat(device.matchesMethod("createServer", "(I)V")).isFalse();
        assertThat(device.matchesMethod("createServer", "(Lcom/acme/Device;I)V")).isFalse();

        MethodPattern primitive = MethodPattern.parse("com.acme.WorkerServer#createServer(int)");
        assertThat(primitive.matchesMethod("createServer", "(I)V")).isTrue();
        assertThat(primitive.matchesMethod("createServer", "(J)V")).isFalse();
        assertThat(primitive.matchesMethod("createServer", "(Ljava/lang/Integer;)V")).isFalse();

        MethodPattern none = MethodPattern.parse("a.B#start()");
        assertThat(none.parameters()).isEmpty();
        assertThat(none.matchesMethod("start", "()V")).isTrue();
        assertThat(none.matchesMethod("start", "(I)V")).isFalse();
    }

    @Test
    void typesWithoutPackageArraysVarargsAndNestedClasses() {
        MethodPattern p = MethodPattern.parse("a.B#launch( String , int[][], Device... )");
        assertThat(p.parameters()).containsExactly("String", "int[][]", "Device[]");
        assertThat(p.matchesMethod("launch", "(Ljava/lang/String;[[I[Lcom/acme/Device;)V")).isTrue();
        assertThat(p.matchesMethod("launch", "(Ljava/lang/String;[I[Lcom/acme/Device;)V")).isFalse();
        assertThat(p.matchesMethod("launch", "(Ljava/lang/String;[[ILcom/acme/Device;)V")).isFalse();

        MethodPattern nested = MethodPattern.parse("a.B#m(com.acme.Outer.Inner, Outer$Inner)");
        assertThat(nested.matchesMethod("m", "(Lcom/acme/Outer$Inner;Lcom/acme/Outer$Inner;)V")).isTrue();
        // a simple name matches the whole last segment only
        assertThat(MethodPattern.parse("a.B#m(Device)").matchesMethod("m", "(Lcom/acme/GpuDevice;)V")).isFalse();
        assertThat(MethodPattern.parse("a.B#m(int)").matchesMethod("m", "(Lcom/acme/int;)V")).isFalse();
        assertThat(MethodPattern.parse("a.B#*(int)").matchesMethod("anything", "(I)V")).isTrue();
    }

    @Test
    void invalidParameterListsSayWhy() {
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c(int"))
                .hasMessage("'(int' after the method name is not a parameter list: it must end with ')' (e.g. (int) or"
                        + " (com.acme.Device, int))");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c)")).hasMessage("')' without '(' in 'c)'");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c(int,)"))
                .hasMessage("parameter 2 of (int,) is empty (write () for a method without parameters)");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c(int..., int)"))
                .hasMessage("'int...': only the last parameter can be varargs (...)");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c(a-b)"))
                .hasMessage("'a-b' is not a parameter type (expected a primitive such as int, or a class name such as"
                        + " com.acme.Device or Device, each optionally followed by [])");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#(int)"))
                .hasMessage("'' after '#' is not a method name (a Java identifier, or * for any)");
    }
}
