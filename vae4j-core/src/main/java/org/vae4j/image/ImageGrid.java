package org.vae4j.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.vae4j.io.AtomicFiles;

/**
 * Lays out records (C×H×W values in [0,1], grey or RGB) as a grid image and writes PNG atomically. Flat vectors are
 * shown as near-square grey tiles.
 */
public final class ImageGrid {
    private ImageGrid() {}

    /**
     * Renders {@code n} records into a grid.
     *
     * @param values {@code n × C·H·W} values (clamped to [0,1])
     * @param n number of records
     * @param shape record shape {@code [C,H,W]} or {@code [D]}
     * @param columns tiles per row
     * @param scale integer upscaling factor (nearest neighbour), 1 = none
     * @param pad pixels between tiles
     */
    public static BufferedImage render(float[] values, int n, int[] shape, int columns, int scale, int pad) {
        int c;
        int h;
        int w;
        if (shape.length == 3) {
            c = shape[0];
            h = shape[1];
            w = shape[2];
        } else {
            c = 1;
            w = (int) Math.ceil(Math.sqrt(shape[0]));
            h = (shape[0] + w - 1) / w;
        }
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("can only draw 1- or 3-channel records, got " + c + " channels");
        }
        int d = shape.length == 3 ? c * h * w : shape[0];
        if (n < 1 || values.length < (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " records of " + d + " values, got " + values.length + " values");
        }
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        int tw = w * scale;
        int th = h * scale;
        BufferedImage img = new BufferedImage(cols * tw + (cols + 1) * pad, rows * th + (rows + 1) * pad, BufferedImage.TYPE_INT_RGB);
        int bg = 0x404040;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, bg);
            }
        }
        for (int i = 0; i < n; i++) {
            int ox = pad + (i % cols) * (tw + pad);
            int oy = pad + (i / cols) * (th + pad);
            int base = i * d;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb;
                    if (c == 1) {
                        int k = y * w + x;
                        int g = k < d ? level(values[base + k]) : 0;
                        rgb = (g << 16) | (g << 8) | g;
                    } else {
                        int plane = h * w;
                        int k = y * w + x;
                        rgb = (level(values[base + k]) << 16) | (level(values[base + plane + k]) << 8)
                                | level(values[base + 2 * plane + k]);
                    }
                    for (int sy = 0; sy < scale; sy++) {
                        for (int sx = 0; sx < scale; sx++) {
                            img.setRGB(ox + x * scale + sx, oy + y * scale + sy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    private static int level(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255f);
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bos);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an image as PNG, atomically. */
    public static void writePng(BufferedImage img, Path file) {
        AtomicFiles.writeBytes(file, png(img));
    }

    /** A sensible upscaling factor so small images are visible (tiles at least ~64 px). */
    public static int autoScale(int[] shape) {
        int h = shape.length == 3 ? shape[1] : (int) Math.ceil(Math.sqrt(shape[0]));
        return Math.max(1, Math.min(8, 64 / Math.max(1, h)));
    }
}
