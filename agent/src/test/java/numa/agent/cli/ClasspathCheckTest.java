package numa.agent.cli;

import static numa.agent.cli.CliHarness.cli;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import numa.agent.cli.CliHarness.Outcome;
import numa.agent.testing.FakeSysfs;

/** {@code check --classpath}: method rules whose class pattern names no class of the application. */
class ClasspathCheckTest {
    @TempDir
    Path tmp;

    private Path config() throws Exception {
        return Files.writeString(tmp.resolve("c.yaml"), """
                rules:
                  - name: server
                    method: "com.acme.engine.WorkerServer#createServer"
                    device: 0
                  - name: typo
                    method: "com.acme.engin.WorkerServer#createServer"
                    device: 0
                  - name: glob
                    method: "com.acme.**.*Loader#load"
                    node: 0
                  - name: boot
                    method: "com.acme.boot.App#run"
                    node: 0
                """);
    }

    private Path classpath() throws Exception {
        Path classes = tmp.resolve("classes/com/acme/engine");
        Files.createDirectories(classes);
        Files.write(classes.resolve("WorkerServer.class"), new byte[] {1});
        Path libs = tmp.resolve("lib");
        Files.createDirectories(libs);
        jar(libs.resolve("model.jar"), "com/acme/model/io/WeightLoader.class");
        jar(tmp.resolve("app-boot.jar"), "BOOT-INF/classes/com/acme/boot/App.class");
        return Path.of(tmp.resolve("classes") + File.pathSeparator + libs + File.separator + "*" + File.pathSeparator
                + tmp.resolve("app-boot.jar") + File.pathSeparator + tmp.resolve("missing.jar"));
    }

    private static void jar(Path file, String entry) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new JarEntry(entry));
            out.write(1);
            out.closeEntry();
        }
    }

    @Test
    void warns_only_for_the_pattern_that_names_no_class_on_the_classpath() throws Exception {
        Path sys = FakeSysfs.create().node(0, "0-3", 1024).nvidiaGpu("0000:3b:00.0", 0).write(tmp.resolve("sys"));
        Outcome o = cli().allowedCpus("0-3").run("check", config().toString(), "--sysfs", sys.toString(),
                "--classpath", classpath().toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out().lines().filter(l -> l.contains("no class on --classpath")))
                .singleElement().satisfies(l -> assertThat(l).contains("com.acme.engin.WorkerServer#createServer"));
        assertThat(o.err()).contains("warning: --classpath: " + tmp.resolve("missing.jar") + " does not exist");
    }

    @Test
    void without_classpath_method_classes_are_not_checked() throws Exception {
        Path sys = FakeSysfs.create().node(0, "0-3", 1024).nvidiaGpu("0000:3b:00.0", 0).write(tmp.resolve("sys"));
        Outcome o = cli().allowedCpus("0-3").run("check", config().toString(), "--sysfs", sys.toString());
        assertThat(o.out()).doesNotContain("--classpath");
    }
}
