package org.vae4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * Says in words what a path is when it is not the regular file a reader expects: a symbolic link loop, a link to a
 * missing file, a directory, a FIFO, a device or a socket. Opening a FIFO blocks until a writer appears and a device
 * such as {@code /dev/zero} never ends, so readers check with this before they open anything.
 */
public final class FileKinds {
    /** Links followed before a chain counts as a loop (Linux's own limit is 40). */
    private static final int MAX_LINKS = 40;

    private FileKinds() {}

    /**
     * What {@code path} is, when it is not a regular file (after following symbolic links).
     *
     * @return null when the path is a regular file or does not exist at all (the caller says "missing" in its own
     *     terms); otherwise a phrase such as {@code "a FIFO (named pipe), not a regular file"}
     */
    public static String notRegular(Path path) {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "cannot be read: " + AtomicFiles.describe(e);
        }
        if (own.isRegularFile()) {
            return null;
        }
        if (own.isSymbolicLink()) {
            String link = linkProblem(path);
            if (link != null) {
                return link;
            }
        }
        BasicFileAttributes target;
        try {
            target = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return problem(path, e);
        }
        if (target.isRegularFile()) {
            return null;
        }
        String via = own.isSymbolicLink() ? " (a symbolic link to " + realPath(path) + ")" : "";
        if (target.isDirectory()) {
            return "a directory, not a file" + via;
        }
        return kind(path) + ", not a regular file" + via;
    }

    /** A loop or a missing target along the chain of links starting at {@code path}, else null. */
    private static String linkProblem(Path path) {
        Set<Path> seen = new HashSet<>();
        Path cur = path.toAbsolutePath().normalize();
        for (int i = 0; i <= MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(cur)) {
                if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
                    return "a symbolic link to a missing file (" + cur + ")";
                }
                return null;
            }
            if (!seen.add(cur)) {
                return "a symbolic link loop (the link leads back to " + cur + ")";
            }
            try {
                Path target = Files.readSymbolicLink(cur);
                Path parent = cur.getParent();
                cur = (parent == null ? target : parent.resolve(target)).toAbsolutePath().normalize();
            } catch (IOException e) {
                return null; // the general check below reports it
            }
        }
        return "a symbolic link loop (more than " + MAX_LINKS + " links in a chain)";
    }

    private static String problem(Path path, IOException e) {
        if (e instanceof AccessDeniedException) {
            return "cannot be read: permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null
                && f.getReason().contains("Too many levels of symbolic links")) {
            return "a symbolic link loop";
        }
        if (e instanceof NoSuchFileException) {
            return "a symbolic link to a missing file";
        }
        return "cannot be read: " + AtomicFiles.describe(e);
    }

    private static String realPath(Path path) {
        try {
            return path.toRealPath().toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** "a FIFO (named pipe)", "a character device", ... from the POSIX mode, where the platform has one. */
    private static String kind(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer m) {
                switch (m & 0170000) {
                    case 0010000:
                        return "a FIFO (named pipe)";
                    case 0020000:
                        return "a character device";
                    case 0060000:
                        return "a block device";
                    case 0140000:
                        return "a socket";
                    default:
                        break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no POSIX view: the general words below
        }
        return "a special file";
    }
}
