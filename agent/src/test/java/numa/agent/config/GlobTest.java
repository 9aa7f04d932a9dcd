package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
            // exact names
            "com.acme.Worker,              com.acme.Worker,                true",
            "com.acme.Worker,              com.acme.Worker2,               false",
            "com.acme.Worker,              xcom.acme.Worker,               false",
            "com.acme.Worker,              comXacme.Worker,                false",   // '.' is not a regex dot
            // * stays within one package level
            "com.acme.*Worker,             com.acme.GpuWorker,             true",
            "com.acme.*Worker,             com.acme.Worker,                true",
            "com.acme.*Worker,             com.acme.gpu.GpuWorker,         false",
            "com.acme.*,                   com.acme.Anything,              true",
            "com.acme.*,                   com.acme.sub.Anything,          false",
            "*.Worker,                     acme.Worker,                    true",
            "*.Worker,                     com.acme.Worker,                false",
            "com.*.Worker,                 com.acme.Worker,                true",
            "com.*.Worker,                 com.Worker,                     false",
            "*,                            Worker,                         true",
            "*,                            a.Worker,                       false",
            // * spans '$' of nested and anonymous classes
            "com.acme.*Worker,             com.acme.Pool$Worker,           true",
            "com.acme.Pool$*,              com.acme.Pool$Worker,           true",
            "com.acme.Pool$*,              com.acme.Pool$1,                true",
            "com.acme.Pool$*,              com.acme.PoolXWorker,           false",   // '$' is not a regex anchor
            "com.acme.Pool*,               com.acme.Pool$Inner$Deep,       true",
            // ** spans package levels
            "com.acme.**,                  com.acme.a.b.C,                 true",
            "com.acme.**,                  com.acme.C,                     true",
            "com.acme.**,                  com.acme,                       false",
            "com.**.Worker,                com.acme.engine.Worker,         true",
            "com.**.Worker,                com.acme.engine.GpuWorker,      false",
            "com.**Worker,                 com.acme.engine.GpuWorker,      true",
            "**.Worker,                    a.b.c.Worker,                   true",
            "**,                           any.thing.At$All,               true",
            "**Worker,                     Worker,                         true",
            // mixed
            "com.*.**.*Worker,             com.acme.x.y.GpuWorker,         true",
            "com.*.**.*Worker,             com.acme.GpuWorker,             false",
            "_$x.é.Ünïcode*,               _$x.é.Ünïcode$1,                true",
    })
    void matchesBinaryClassNames(String glob, String name, boolean matches) {
        assertThat(Glob.compile(glob).matcher(name).matches()).isEqualTo(matches);
    }

    @Test
    void toRegex() {
        assertThat(Glob.toRegex("com.acme.*Worker")).isEqualTo("com\\.acme\\.[^.]*Worker");
        assertThat(Glob.toRegex("com.**.A$B")).isEqualTo("com\\..*\\.A\\$B");
        assertThat(Glob.compile("a.B").pattern()).isEqualTo("a\\.B");
        assertThat(Pattern.compile(Glob.toRegex("**")).matcher("x.y").matches()).isTrue();
    }

    @Test
    void invalidGlobsSayWhy() {
        assertThatThrownBy(() -> Glob.compile("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the class glob is empty");
        assertThatThrownBy(() -> Glob.compile("com.***")).hasMessage(
                "'***' in 'com.***': use * for any run of characters but '.', ** for any run including '.'");
        assertThatThrownBy(() -> Glob.compile(".com")).hasMessage("'.com' has an empty part between dots");
        assertThatThrownBy(() -> Glob.compile("com.")).hasMessage("'com.' has an empty part between dots");
        assertThatThrownBy(() -> Glob.compile("a..b")).hasMessage("'a..b' has an empty part between dots");
        assertThatThrownBy(() -> Glob.compile("com/acme/X")).hasMessage(
                "'/' cannot appear in a class name ('com/acme/X') (write class names with dots: com.acme.Worker)");
        assertThatThrownBy(() -> Glob.compile("com.acme.Work?r"))
                .hasMessage("'?' cannot appear in a class name ('com.acme.Work?r') (only * and ** are wildcards)");
        assertThatThrownBy(() -> Glob.compile("com.acme.[AB]"))
                .hasMessage("'[' cannot appear in a class name ('com.acme.[AB]') (only * and ** are wildcards)");
        assertThatThrownBy(() -> Glob.compile("a b")).hasMessage("' ' cannot appear in a class name ('a b')");
        assertThatThrownBy(() -> Glob.compile("a.B#c")).hasMessage("'#' cannot appear in a class name ('a.B#c')");
    }
}
