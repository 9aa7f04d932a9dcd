package numa.agent.jna;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import com.sun.jna.Native;

class JnaModuleTest {
    /** The module must hold every JNA package the agent ships, or JNA splits across two modules. */
    @Test
    void packageListMatchesTheJnaJar() throws Exception {
        Path jar = Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> packages = new TreeSet<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            f.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                    .forEach(n -> packages.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.')));
        }
        assertThat(JnaModule.PACKAGES).containsExactlyInAnyOrderElementsOf(packages);
    }
}
