package org.vae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The one rule for outputs (issue 15): every command checks its output paths before any work, and an existing output
 * is kept unless {@code --force} is given. A refusal is exit 1 (the file system's state, like an existing run
 * directory); a wrong extension or a missing parent directory is an invalid option (exit 2).
 */
final class Outputs {
    private Outputs() {}

    /** The {@code --force} option, as a mixin for every command that writes files. */
    static final class Force {
        @Option(names = "--force", description = "Replace the outputs if they exist (they are kept otherwise).")
        boolean force;
    }

    /** An output that exists and may not be replaced (exit 1). */
    static final class ExistsException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ExistsException(String message) {
            super(message);
        }
    }

    /** {@link #checkNew} for a {@code .png} picture, refusing an existing one. */
    static void checkPng(Path file) {
        checkPng(file, false);
    }

    /** {@link #checkNew} for a {@code .png} picture. */
    static void checkPng(Path file, boolean force) {
        checkNew(file, force, ".png");
    }

    /**
     * Checks an output file before any work: one of the extensions, an existing directory, and no existing file unless
     * {@code force} (results are never overwritten silently).
     */
    static void checkNew(Path file, boolean force, String... extensions) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean ok = false;
        for (String e : extensions) {
            ok |= name.endsWith(e);
        }
        if (!ok) {
            throw new IllegalArgumentException(file + ": output must be a " + String.join(" or ", extensions) + " file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(file + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new ExistsException(file + ": is a directory; give a file name");
        }
        if (!force && Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ExistsException(file + ": already exists; use --force to replace it");
        }
    }

    /**
     * Checks an output directory before any work: a directory that exists and holds anything is kept unless
     * {@code force} (its files would be replaced one by one).
     */
    static void checkNewDirectory(Path dir, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ExistsException(dir + ": exists and is not a directory");
        }
        if (force || !Files.isDirectory(dir)) {
            return;
        }
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new ExistsException(dir + ": already exists and is not empty; use --force to replace its files, or"
                        + " another --out");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
