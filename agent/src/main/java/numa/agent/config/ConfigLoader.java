package numa.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
    /**
     * Larger than any config could be ({@link YamlReader#MAX_CODE_POINTS} characters of up to 4 bytes);
     * reading stops there, whatever the file claims its size is.
     */
    static final long MAX_FILE_BYTES = 4L * YamlReader.MAX_CODE_POINTS;

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
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new ConfigException(null, "cannot read config file " + name + ": it is a directory");
            }
            if (!attributes.isRegularFile()) {
                // a FIFO would block the JVM's start until someone writes to it; /dev/zero never ends
                throw new ConfigException(null, "cannot read config file " + name
                        + ": it is not a regular file (a pipe, device or socket); give the path of a YAML file");
            }
            if (attributes.size() > MAX_FILE_BYTES) {
                throw new ConfigException(null, tooLarge(name));
            }
            bytes = readAtMost(file, MAX_FILE_BYTES);
            if (bytes == null) { // grew since (or a file whose size the kernel does not know, as in /proc)
                throw new ConfigException(null, tooLarge(name));
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "cannot read config file " + name + ": no such file (working directory: "
                    + Path.of("").toAbsolutePath() + ")");
        } catch (AccessDeniedException e) {
            throw new ConfigException(null, "cannot read config file " + name + ": permission denied");
        } catch (FileSystemException e) {
            // e.g. "Too many levels of symbolic links" (a link loop), "Not a directory"
            throw new ConfigException(null, "cannot read config file " + name + ": "
                    + (e.getReason() != null ? e.getReason() : e.toString()));
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

    private static String tooLarge(String name) {
        return "cannot read config file " + name + ": larger than " + MAX_FILE_BYTES / (1024 * 1024)
                + " MiB, which no config is";
    }

    /** The file's bytes, or null when it has more than {@code max}: reading never costs more than that. */
    private static byte[] readAtMost(Path file, long max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) max + 1);
            return bytes.length > max ? null : bytes;
        }
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
