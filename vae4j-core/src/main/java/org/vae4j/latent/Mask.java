package org.vae4j.latent;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Which pixels of an H×W image are missing, for inpainting and outfilling. A mask applies to every channel of a
 * pixel. Parse one with {@link #parse}: {@code bottom-half}, {@code right-half}, {@code center:SIZE},
 * {@code box:x,y,w,h} (x, y of the top-left corner, from the top-left of the image) or a PNG file of the image's
 * size in which white pixels (luminance above one half) are missing.
 */
public final class Mask {
    private final String description;
    private final int height;
    private final int width;
    private final boolean[] missing;
    private final int missingCount;

    private Mask(String description, int height, int width, boolean[] missing) {
        this.description = description;
        this.height = height;
        this.width = width;
        this.missing = missing;
        int c = 0;
        for (boolean m : missing) {
            if (m) {
                c++;
            }
        }
        if (c == 0) {
            throw new IllegalArgumentException("mask " + description + " hides no pixels of the " + size(height, width) + " image");
        }
        this.missingCount = c;
    }

    /**
     * Parses a mask specification for an image of {@code height × width} pixels.
     *
     * @param spec {@code bottom-half}, {@code right-half}, {@code center:SIZE}, {@code box:x,y,w,h} or a PNG path
     * @param height image height in pixels
     * @param width image width in pixels
     * @return the mask
     * @throws IllegalArgumentException with a one-line message naming the problem: unknown form, bad numbers, a
     *     region not inside the image, a mask file that is missing, unreadable or of another size
     */
    public static Mask parse(String spec, int height, int width) {
        checkImage(height, width);
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--mask is empty; use bottom-half, right-half, center:SIZE, box:x,y,w,h or FILE.png");
        }
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("bottom-half")) {
            return box("bottom-half", height, width, 0, height / 2, width, height - height / 2);
        }
        if (lower.equals("right-half")) {
            return box("right-half", height, width, width / 2, 0, width - width / 2, height);
        }
        if (lower.startsWith("center:") || lower.startsWith("centre:")) {
            int size = parseInts(s, s.substring(7), 1)[0];
            return center(s, height, width, size);
        }
        if (lower.startsWith("box:")) {
            int[] v = parseInts(s, s.substring(4), 4);
            return box(s, height, width, v[0], v[1], v[2], v[3]);
        }
        if (lower.endsWith(".png")) {
            return file(Path.of(s), height, width);
        }
        throw new IllegalArgumentException("unknown mask '" + s + "'; use bottom-half, right-half, center:SIZE, box:x,y,w,h or FILE.png");
    }

    /**
     * A centred square of {@code size × size} missing pixels (offset (dim − size) / 2, rounded down).
     *
     * @param description how the mask is named in messages
     * @param height image height in pixels
     * @param width image width in pixels
     * @param size side of the square
     * @return the mask
     * @throws IllegalArgumentException if the square does not fit in the image or is empty
     */
    public static Mask center(String description, int height, int width, int size) {
        checkImage(height, width);
        if (size < 1) {
            throw new IllegalArgumentException("mask " + description + ": the size must be at least 1, got " + size);
        }
        if (size > height || size > width) {
            throw new IllegalArgumentException("mask " + description + " is larger than the " + size(height, width) + " image");
        }
        return box(description, height, width, (width - size) / 2, (height - size) / 2, size, size);
    }

    /**
     * Everything outside a centred {@code window × window} square is missing (for outfilling).
     *
     * @param height image height in pixels
     * @param width image width in pixels
     * @param window side of the centred square that stays observed
     * @return the mask
     * @throws IllegalArgumentException if the window is empty or leaves nothing outside it
     */
    public static Mask outside(int height, int width, int window) {
        checkImage(height, width);
        String d = "outside a " + window + "×" + window + " window";
        if (window < 1) {
            throw new IllegalArgumentException("--window must be at least 1, got " + window);
        }
        if (window > height || window > width) {
            throw new IllegalArgumentException("--window " + window + " is larger than the " + size(height, width) + " image");
        }
        if (window == height && window == width) {
            throw new IllegalArgumentException("--window " + window + " covers the whole " + size(height, width) + " image; nothing is left to fill");
        }
        int x0 = (width - window) / 2;
        int y0 = (height - window) / 2;
        boolean[] m = new boolean[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                m[y * width + x] = y < y0 || y >= y0 + window || x < x0 || x >= x0 + window;
            }
        }
        return new Mask(d, height, width, m);
    }

    /**
     * A rectangle of missing pixels.
     *
     * @param description how the mask is named in messages
     * @param height image height in pixels
     * @param width image width in pixels
     * @param x left column
     * @param y top row
     * @param w width
     * @param h height
     * @return the mask
     * @throws IllegalArgumentException if the rectangle is empty or not entirely inside the image
     */
    public static Mask box(String description, int height, int width, int x, int y, int w, int h) {
        checkImage(height, width);
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("mask " + description + ": width and height must be at least 1");
        }
        if (x < 0 || y < 0) {
            throw new IllegalArgumentException("mask " + description + ": x and y must not be negative");
        }
        if (x >= width || y >= height) {
            throw new IllegalArgumentException("mask " + description + " lies outside the " + size(height, width) + " image");
        }
        if ((long) x + w > width || (long) y + h > height) {
            throw new IllegalArgumentException("mask " + description + " extends beyond the " + size(height, width) + " image");
        }
        boolean[] m = new boolean[height * width];
        for (int r = y; r < y + h; r++) {
            for (int c = x; c < x + w; c++) {
                m[r * width + c] = true;
            }
        }
        return new Mask(description, height, width, m);
    }

    /**
     * A mask from per-pixel flags (for masks drawn by hand, e.g. in the browser).
     *
     * @param description how the mask is named in messages
     * @param height image height in pixels
     * @param width image width in pixels
     * @param missing {@code height × width} flags, row-major from the top-left: true where the pixel is missing
     * @return the mask (a copy of the flags)
     * @throws IllegalArgumentException if the flags do not match the size or hide no pixel
     */
    public static Mask of(String description, int height, int width, boolean[] missing) {
        checkImage(height, width);
        if (missing == null || missing.length != (long) height * width) {
            throw new IllegalArgumentException("mask " + description + ": expected " + height * width + " flags for the "
                    + size(height, width) + " image, got " + (missing == null ? 0 : missing.length));
        }
        return new Mask(description, height, width, missing.clone());
    }

    /**
     * Reads a mask from a PNG (or any ImageIO-readable) file of exactly the image's size: white = missing.
     *
     * @param file the image file
     * @param height image height in pixels
     * @param width image width in pixels
     * @return the mask
     * @throws IllegalArgumentException if the file is missing, unreadable or of another size
     */
    public static Mask file(Path file, int height, int width) {
        checkImage(height, width);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("mask file " + file + " does not exist");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("mask file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IllegalArgumentException("mask file " + file + " is not an image");
        }
        if (img.getWidth() != width || img.getHeight() != height) {
            throw new IllegalArgumentException("mask file " + file + " is " + size(img.getHeight(), img.getWidth())
                    + " but the image is " + size(height, width));
        }
        boolean[] m = new boolean[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(x, y);
                double lum = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                m[y * width + x] = lum > 127.5;
            }
        }
        return new Mask(file.toString(), height, width, m);
    }

    /**
     * The mask as written on the command line (for messages and titles).
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * Image height in pixels.
     *
     * @return the height
     */
    public int height() {
        return height;
    }

    /**
     * Image width in pixels.
     *
     * @return the width
     */
    public int width() {
        return width;
    }

    /**
     * Whether a pixel is missing.
     *
     * @param x column, from the left
     * @param y row, from the top
     * @return true if missing
     */
    public boolean isMissing(int x, int y) {
        return missing[y * width + x];
    }

    /**
     * Number of missing pixels (per channel).
     *
     * @return the count, at least 1
     */
    public int missingPixels() {
        return missingCount;
    }

    /**
     * Per-value flags for a record of {@code channels × height × width} values (channel-major, as records are
     * stored): true where the value is missing.
     *
     * @param channels C
     * @return {@code C·H·W} flags
     */
    public boolean[] values(int channels) {
        int plane = height * width;
        boolean[] out = new boolean[channels * plane];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(missing, 0, out, c * plane, plane);
        }
        return out;
    }

    /**
     * A copy of {@code n} records with every missing value replaced by {@code value} (e.g. 0.5 to show the hole
     * as mid-grey).
     *
     * @param records {@code n × channels·height·width} values
     * @param n number of records
     * @param channels channels per record
     * @param value the value written into missing places
     * @return the filled copy
     */
    public float[] fill(float[] records, int n, int channels, float value) {
        int d = channels * height * width;
        checkRecords(records, n, d);
        boolean[] v = values(channels);
        float[] out = records.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (v[j]) {
                    out[i * d + j] = value;
                }
            }
        }
        return out;
    }

    static void checkRecords(float[] records, int n, int d) {
        if (n < 1 || records.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " records of " + d + " values, got " + records.length + " values");
        }
    }

    private static int[] parseInts(String spec, String list, int count) {
        String[] parts = list.split(",", -1);
        if (parts.length != count) {
            throw new IllegalArgumentException("mask " + spec + ": expected " + count + (count == 1 ? " number" : " comma-separated numbers"));
        }
        int[] v = new int[count];
        for (int i = 0; i < count; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mask " + spec + ": '" + parts[i].trim() + "' is not a whole number");
            }
        }
        return v;
    }

    private static void checkImage(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + size(height, width));
        }
    }

    static String size(int height, int width) {
        return width + "×" + height;
    }
}
