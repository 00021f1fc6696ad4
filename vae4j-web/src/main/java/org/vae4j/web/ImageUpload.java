package org.vae4j.web;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns uploaded image bytes into a model record, defensively: the dimensions are read from the header first and
 * images above a pixel limit are refused before any pixels are decoded; the image is then resized to the model's
 * H×W and converted to grey or RGB values in [0,1]. Transparent pixels count as black.
 */
public final class ImageUpload {
    /** Largest accepted width or height. */
    public static final int MAX_SIDE = 4096;
    /** Largest accepted number of pixels. */
    public static final long MAX_PIXELS = 4L * 1024 * 1024;

    static {
        // decode from memory only: ImageIO's default stream cache writes temporary files
        ImageIO.setUseCache(false);
    }

    private ImageUpload() {}

    /**
     * Decodes an uploaded image into one record.
     *
     * @param bytes the file contents (PNG, JPEG, GIF or BMP)
     * @param channels C of the model's records, 1 or 3
     * @param height H
     * @param width W
     * @param invert true to use 1 − value (dark strokes on a light background become bright on dark)
     * @return {@code C·H·W} values in [0,1], channel-major
     * @throws BadRequest when the bytes are not a readable image or it is too large
     */
    public static float[] toRecord(byte[] bytes, int channels, int height, int width, boolean invert) {
        BufferedImage img = read(bytes);
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(img, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        float[] out = new float[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = scaled.getRGB(x, y);
                double a = ((argb >>> 24) & 0xff) / 255.0;
                double r = ((argb >> 16) & 0xff) / 255.0 * a;
                double gr = ((argb >> 8) & 0xff) / 255.0 * a;
                double b = (argb & 0xff) / 255.0 * a;
                int k = y * width + x;
                if (channels == 1) {
                    out[k] = value(0.299 * r + 0.587 * gr + 0.114 * b, invert);
                } else {
                    out[k] = value(r, invert);
                    out[plane + k] = value(gr, invert);
                    out[2 * plane + k] = value(b, invert);
                }
            }
        }
        return out;
    }

    private static float value(double v, boolean invert) {
        double c = Math.max(0, Math.min(1, v));
        return (float) (invert ? 1 - c : c);
    }

    /** Reads the header, checks the size, then decodes. */
    static BufferedImage read(byte[] bytes) {
        if (bytes.length == 0) {
            throw new BadRequest("the upload is empty; send the image file as the request body");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new BadRequest("the upload is not an image in a supported format (PNG, JPEG, GIF, BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1) {
                    throw new BadRequest("the image has no pixels");
                }
                if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
                    throw new BadRequest("the image is " + w + "×" + h + " pixels; at most " + MAX_SIDE + " per side and "
                            + MAX_PIXELS + " pixels in all are accepted");
                }
                BufferedImage img = reader.read(0);
                if (img == null) {
                    throw new BadRequest("the image could not be decoded");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadRequest b) {
                throw b;
            }
            // corrupt files make ImageIO throw all kinds of runtime exceptions
            throw new BadRequest("the upload is not a readable image (corrupt or truncated)");
        }
    }
}
