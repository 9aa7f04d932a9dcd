package numa.agent.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Loads and checks a config file (SPEC.md "Config file"). Every error names the file, line and
 * column and says what was expected:
 * {@code config.yaml:12:5: unknown key 'cpu' in binding (expected: cpus, memory, children, on-error)}.
 * All errors are found in one pass; the exception's message is the first, {@link ConfigException#all()}
 * has them all.
 *
 * <p>The YAML is read as plain data: tags are refused, never used to construct objects.
 */
public final class ConfigLoader {
    /** Larger than any config could be; reading stops before it costs memory. */
    private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private ConfigLoader() {
    }

    /**
     * Loads a config file. Messages name it as given ({@code file.toString()}).
     *
     * @throws ConfigException when it cannot be read (no position; the message names the path), or
     *                         is not a valid config
     */
    public static AgentConfig load(Path file) throws ConfigException {
        return load(file, warning -> { });
    }

    /**
     * Same as {@link #load(Path)}, also giving each warning: a positioned note on something that
     * loads but is likely not what was meant (e.g. {@code pci} under {@code source: auto}, which is
     * ignored). Warnings are given, in file order, even when the config has errors.
     */
    public static AgentConfig load(Path file, Consumer<ConfigException> warnings) throws ConfigException {
        String name = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ConfigException(null, "cannot read config file " + name + ": it is a directory");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(null, "cannot read config file " + name + ": larger than "
                        + MAX_FILE_BYTES / (1024 * 1024) + " MiB, which no config is");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "cannot read config file " + name + ": no such file (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        } catch (AccessDeniedException e) {
            throw new ConfigException(null, "cannot read config file " + name + ": permission denied");
        } catch (IOException | SecurityException e) {
            throw new ConfigException(null, "cannot read config file " + name + ": " + e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(null, "cannot read config file " + name + ": it is not UTF-8 text");
        }
        return parse(name, text, warnings);
    }

    /**
     * Checks config text; for files use {@link #load}.
     *
     * @param displayName how messages name the source, e.g. {@code config.yaml}
     * @throws ConfigException when it is not a valid config
     */
    public static AgentConfig parse(String displayName, String yamlText) throws ConfigException {
        return parse(displayName, yamlText, warning -> { });
    }

    /** Same as {@link #parse(String, String)}, also giving each warning (see {@link #load(Path, Consumer)}). */
    public static AgentConfig parse(String displayName, String yamlText, Consumer<ConfigException> warnings)
            throws ConfigException {
        Problems problems = new Problems();
        AgentConfig config = new ConfigReader(new NodeReader(displayName, problems))
                .read(YamlReader.read(displayName, yamlText));
        problems.warnings().forEach(warnings);
        problems.throwIfAny();
        return config;
    }
}
