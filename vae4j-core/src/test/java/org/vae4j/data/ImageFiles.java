package org.vae4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.IntBinaryOperator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Writes small test images. */
final class ImageFiles {
    private ImageFiles() {}

    /** An RGB image whose pixel (x, y) is {@code argb.applyAsInt(x, y)}, written in {@code format} (png, jpg, bmp, gif). */
    static Path rgb(Path file, String format, int w, int h, IntBinaryOperator argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb.applyAsInt(x, y));
            }
        }
        return write(file, format, img);
    }

    /** A solid 8-bit grey image (TYPE_BYTE_GRAY, except for GIF). */
    static Path grey(Path file, String format, int w, int h, int value) {
        if (format.equals("gif")) {
            // the JDK's GIF writer drops the last row of TYPE_BYTE_GRAY images; write the grey as RGB (a grey palette)
            return solid(file, format, w, h, value, value, value);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        return write(file, format, img);
    }

    /** A solid colour image. */
    static Path solid(Path file, String format, int w, int h, int r, int g, int b) {
        return rgb(file, format, w, h, (x, y) -> (r << 16) | (g << 8) | b);
    }

    static Path write(Path file, String format, BufferedImage img) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
