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
        assertThatThrownBy(() -> MethodPattern.parse("a.B.c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'a.B.c' is not <class glob>#<method name> (e.g. com.acme.WorkerServer#createServer)");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c#d"))
                .hasMessage("'a.B#c#d' is not <class glob>#<method name> (e.g. com.acme.WorkerServer#createServer)");
        assertThatThrownBy(() -> MethodPattern.parse("#c")).hasMessage("'#c' has no class before '#'");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#"))
                .hasMessage("'' after '#' is not a method name (a Java identifier, or * for any)");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#create*"))
                .hasMessage("'create*' after '#' is not a method name (a Java identifier, or * for any)");
        assertThatThrownBy(() -> MethodPattern.parse("a.B#c(int)"))
                .hasMessage("'c(int)' after '#' is not a method name (a Java identifier, or * for any)");
        assertThatThrownBy(() -> MethodPattern.parse("a/B#c"))
                .hasMessage("'/' cannot appear in a class name ('a/B') (write class names with dots: com.acme.Worker)");
    }
}
