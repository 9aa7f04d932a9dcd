package numa.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Where JNA's native stub ({@code libjnidispatch.so}) comes from when JNA's temporary folder is on
 * a {@code noexec} mount (a hardened {@code /tmp}, a container's tmpfs): JNA would unpack it there
 * and {@code dlopen} would fail ("failed to map segment from shared object"), leaving the agent
 * unable to make a single system call.
 *
 * <p>JNA loads a stub whose resource URL is a {@code file:} URL in place, without unpacking it. So
 * when JNA asks the agent's class loader for its stub and its temporary folder is {@code noexec},
 * the stub is copied once into a private folder of the user, {@code $XDG_CACHE_HOME/numa-agent}
 * (else {@code ~/.cache/numa-agent}), and that file's URL is given instead. Nothing world-writable
 * is written or trusted: the folder is created {@code 0700}, and it and the file are used only when
 * they are, without following links, a directory and a regular file owned by this user that no one
 * else may write, and the file's content is the stub's (checked by SHA-256: the file name holds it).
 * Nothing changes for anyone else: no system property is set (the application's own JNA reads
 * them), and where JNA was told not to unpack ({@code jna.nounpack=true}) it is left alone.
 *
 * <p>JDK classes only: this runs in the launcher, before any of the agent's classes exist.
 */
final class JnaStub {
    private static final String PREFIX = "com/sun/jna/";
    private static final String NAME = "/libjnidispatch.so";

    /** Why the stub could not be given from a private folder (null: it was, or it did not have to be). */
    private volatile String problem;

    /** True for JNA's native stub of any platform. */
    static boolean isStub(String resource) {
        return resource.startsWith(PREFIX) && resource.endsWith(NAME);
    }

    /** Why the last request could not be served from a private folder, for the agent's one line; or null. */
    String problem() {
        return problem;
    }

    /**
     * The stub's {@code file:} URL in the private folder when JNA's temporary folder is
     * {@code noexec}, or null: JNA then unpacks it from the jar as usual.
     */
    URL privateCopy(InputStreamSource content) {
        try {
            if (Boolean.getBoolean("jna.nounpack")) {
                return null;
            }
            String jnaTmp = System.getProperty("jna.tmpdir", System.getProperty("java.io.tmpdir"));
            if (jnaTmp == null || !Mounts.isNoexec(Path.of(jnaTmp))) {
                return null;
            }
            Path dir = privateFolder();
            if (Mounts.isNoexec(dir)) {
                problem = "JNA's temporary folder " + jnaTmp + " is on a noexec mount, and so is " + dir;
                return null;
            }
            byte[] bytes;
            try (InputStream in = content.open()) {
                bytes = in.readAllBytes();
            }
            Path file = dir.resolve("libjnidispatch-" + sha256(bytes).substring(0, 32) + ".so");
            if (!isOurs(file, bytes)) {
                Path partial = Files.createTempFile(dir, "libjnidispatch", ".part"); // 0600, O_EXCL
                try {
                    Files.write(partial, bytes);
                    try {
                        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(partial);
                }
                if (!isOurs(file, bytes)) {
                    problem = "JNA's temporary folder " + jnaTmp + " is on a noexec mount, and the copy of its stub in "
                            + dir + " is not as written";
                    return null;
                }
            }
            problem = null;
            return file.toUri().toURL();
        } catch (Exception | LinkageError e) {
            problem = "JNA's temporary folder is on a noexec mount, and its stub could not be copied to a private"
                    + " folder (" + e + ")";
            return null;
        }
    }

    /** What the stub is read from (the agent jar's entry). */
    interface InputStreamSource {
        InputStream open() throws IOException;
    }

    /** {@code $XDG_CACHE_HOME/numa-agent} or {@code ~/.cache/numa-agent}, created 0700 and checked. */
    private static Path privateFolder() throws IOException {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path dir = cache.resolve("numa-agent");
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another JVM of this user created it: checked below like any other
            }
        }
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory() || !ownedByMe(dir) || writableByOthers(a.permissions())) {
            throw new IOException(dir + " is not a directory of this user that only it may write (a link, or another"
                    + " owner, or group/other-writable): not used");
        }
        return dir;
    }

    /** The file is a regular file (not a link) of this user, not writable by others, holding {@code bytes}. */
    private static boolean isOurs(Path file, byte[] bytes) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || !ownedByMe(file) || writableByOthers(a.permissions()) || a.size() != bytes.length) {
            return false;
        }
        return java.util.Arrays.equals(Files.readAllBytes(file), bytes);
    }

    private static boolean writableByOthers(Set<PosixFilePermission> p) {
        return p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static boolean ownedByMe(Path p) throws IOException {
        Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return uid instanceof Integer u && u == myUid();
    }

    /** The real uid, from /proc/self/status ({@code Uid: real effective saved fs}). */
    private static int myUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]); // effective: who creates files
            }
        }
        throw new IOException("no Uid line in /proc/self/status");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mount table of this process, read for the one question the stub needs answered. */
    static final class Mounts {
        private Mounts() {
        }

        /**
         * True when {@code path} (or, where it does not exist yet, its nearest existing parent) lies on
         * a mount with the {@code noexec} option, by {@code /proc/self/mountinfo}: the innermost mount
         * point above its real path, the last one mounted where several share it.
         */
        static boolean isNoexec(Path path) throws IOException {
            Path p = path.toAbsolutePath();
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null) {
                return false;
            }
            String real = p.toRealPath().toString();
            String bestPoint = null;
            boolean bestNoexec = false;
            List<String> lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length < 6) {
                    continue;
                }
                String point = unescape(f[4]);
                boolean under = real.equals(point) || point.equals("/") || real.startsWith(point + "/");
                if (under && (bestPoint == null || point.length() >= bestPoint.length())) {
                    bestPoint = point;
                    bestNoexec = List.of(f[5].split(",")).contains("noexec");
                }
            }
            return bestNoexec;
        }

        /** mountinfo writes space, tab, newline and backslash as {@code \ooo}. */
        private static String unescape(String s) {
            if (s.indexOf('\\') < 0) {
                return s;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 3 < s.length()) {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
