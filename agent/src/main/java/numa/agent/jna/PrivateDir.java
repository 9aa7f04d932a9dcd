package numa.agent.jna;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The write-safety rule for any file the agent must put on disk (today: JNA's native stub): into a
 * fresh directory that only this user can enter, never into a shared or predictable place.
 *
 * <ul>
 *   <li>fresh and unpredictable: a random name, made by mkdir(2), which fails on anything already
 *       there (a planted file or link) and never follows a link at the new name;</li>
 *   <li>owner-only whatever the umask: the mode 0700 is given at creation (a umask can only take
 *       bits away) and checked after, so a process run with umask 000 writes nothing others can
 *       replace (JNA's own file is 0666 &amp; ~umask: inside this directory no one else reaches it);</li>
 *   <li>gone after use: {@link #deleteQuietly} removes the plain files in it and the directory,
 *       following no link.</li>
 * </ul>
 */
public final class PrivateDir {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDir() {
    }

    /**
     * A new owner-only directory {@code parent/prefixNNNN}.
     *
     * @throws IOException when it cannot be made, or is not owner-only after all (a file system
     *                     without POSIX permissions)
     */
    public static Path create(Path parent, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(dir, NOFOLLOW_LINKS);
        if (!OWNER_ONLY.containsAll(actual)) {
            deleteQuietly(dir);
            throw new IOException(dir + " was made " + PosixFilePermissions.toString(actual) + ", not owner-only");
        }
        return dir;
    }

    /** Removes the plain files directly in {@code dir}, then {@code dir}; follows no link; never throws. */
    public static void deleteQuietly(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, NOFOLLOW_LINKS) || Files.isSymbolicLink(entry)) {
                    Files.deleteIfExists(entry); // unlink(2): a link itself, never its target
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for the system's tmp cleaning: it holds nothing anyone else can use
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
            // not empty (jnidispatch.preserve) or already gone
        }
    }
}
