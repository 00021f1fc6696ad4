package org.vae4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Checks on output paths, before any work is done. */
final class Outputs {
    private Outputs() {}

    static void checkPng(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException(file + ": output must be a .png file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(file + ": directory " + parent + " does not exist");
        }
    }
}
