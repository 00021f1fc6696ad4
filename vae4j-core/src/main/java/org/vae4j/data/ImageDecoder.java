package org.vae4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one image file into {@code C×H×W} uint8 pixels: optional centre crop to a square,
 * optional resize with area averaging, grey ({@code channels=1}, Rec. 601 luminance
 * {@code 0.299 R + 0.587 G + 0.114 B}) or RGB. Alpha is ignored.
 */
final class ImageDecoder {

    /** Largest image accepted, checked from the header before decoding (a hostile header could ask for gigabytes). */
    static final long MAX_PIXELS = 1L << 26;

    /** Thrown for a file that is not a decodable image; the message is the reason only. */
    static final class BadImage extends Exception {
        private static final long serialVersionUID = 1L;

        BadImage(String reason) {
            super(reason, null, false, false);
        }
    }

    private ImageDecoder() {}

    /** Width and height from the header, without decoding the pixels. */
    static int[] dimensions(Path file) throws BadImage {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new BadImage("cannot open");
            }
            ImageReader r = reader(in);
            try {
                r.setInput(in, true, true);
                return new int[] {r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new BadImage(reason(e));
        }
    }

    /**
     * Decodes a file.
     *
     * @param file the image
     * @param size the output side length, or 0 to keep the image's own size
     * @param crop whether to centre-crop to a square first
     * @param channels 1 or 3
     * @return {@code {width, height}} of the result in {@code dims} and the pixels, {@code C×H×W}
     */
    static byte[] decode(Path file, int size, boolean crop, int channels, int[] dims) throws BadImage {
        return decode(file, size, size, crop, channels, dims);
    }

    /**
     * As {@link #decode(Path, int, boolean, int, int[])} with an output width and height of their own.
     *
     * @param width the output width, or 0 (with {@code height} 0) to keep the image's own size
     * @param height the output height
     */
    static byte[] decode(Path file, int width, int height, boolean crop, int channels, int[] dims) throws BadImage {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(in, width, height, crop, channels, dims);
        } catch (IOException | RuntimeException e) { // opening or closing the file
            throw new BadImage(reason(e));
        }
    }

    /**
     * As {@link #decode(Path, int, int, boolean, int, int[])} for a file's bytes (e.g. a column of Spark's
     * {@code binaryFile} source): the same decoding, so the same pixels as the file gives.
     */
    static byte[] decode(byte[] encoded, int width, int height, boolean crop, int channels, int[] dims) throws BadImage {
        // read from memory: ImageIO.createImageInputStream would cache a stream in a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            return decode(in, width, height, crop, channels, dims);
        } catch (IOException e) {
            throw new BadImage(reason(e));
        }
    }

    private static byte[] decode(ImageInputStream in, int width, int height, boolean crop, int channels, int[] dims)
            throws BadImage {
        BufferedImage img;
        try {
            if (in == null) {
                throw new BadImage("cannot open");
            }
            ImageReader r = reader(in);
            try {
                r.setInput(in, true, true);
                // the JPEG reader reports a truncated or corrupt file only as a warning and fills the rest with grey
                List<String> warnings = new ArrayList<>();
                r.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                long w = r.getWidth(0);
                long h = r.getHeight(0);
                if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
                    throw new BadImage("image of " + w + "x" + h + " pixels is empty or larger than " + MAX_PIXELS + " pixels");
                }
                img = r.read(0);
                if (!warnings.isEmpty()) {
                    throw new BadImage("damaged image data: " + words(warnings.get(0)));
                }
            } finally {
                r.dispose();
            }
        } catch (BadImage e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadImage(reason(e));
        } catch (OutOfMemoryError e) {
            throw new BadImage("too large to decode");
        }
        if (img == null) {
            throw new BadImage("no image in file");
        }
        int[] win = window(img.getWidth(), img.getHeight(), crop);
        int x0 = win[0];
        int y0 = win[1];
        int w = win[2];
        int h = win[3];
        float[][] planes = planes(img, x0, y0, w, h, channels);
        int ow = width > 0 ? width : w;
        int oh = height > 0 ? height : h;
        byte[] out = new byte[channels * ow * oh];
        for (int c = 0; c < channels; c++) {
            float[] p = (ow == w && oh == h) ? planes[c] : resize(planes[c], w, h, ow, oh);
            for (int i = 0; i < p.length; i++) {
                out[c * ow * oh + i] = (byte) Math.round(Math.max(0f, Math.min(255f, p[i])));
            }
        }
        dims[0] = ow;
        dims[1] = oh;
        return out;
    }

    private static ImageReader reader(ImageInputStream in) throws BadImage {
        Iterator<ImageReader> it = ImageIO.getImageReaders(in);
        if (!it.hasNext()) {
            throw new BadImage("not a PNG, JPEG, BMP or GIF image");
        }
        return it.next();
    }

    /**
     * The decoder's failure in words: never a Java class name (the JDK's readers throw EOFException without a
     * message for a truncated file, and ArrayIndexOutOfBounds or NegativeArraySize for corrupt headers).
     */
    static String reason(Throwable e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException || (e.getCause() instanceof java.io.EOFException && (m == null || m.isBlank()))) {
            return "cannot decode: the file ends early (truncated)";
        }
        if (m == null || m.isBlank() || !(e instanceof IOException) || m.matches(".*\\b(java|javax|com|sun)\\.[a-z]+\\..*")) {
            return "cannot decode: damaged or unsupported image data";
        }
        return "cannot decode: " + words(m);
    }

    /** A decoder message on one line, lower-case first, without a trailing full stop. */
    private static String words(String m) {
        String r = m.replaceAll("\\s+", " ").trim();
        if (r.endsWith(".")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.isEmpty() ? "damaged" : Character.toLowerCase(r.charAt(0)) + r.substring(1);
    }

    /** The channel planes (values 0..255) of a crop window. */
    private static float[][] planes(BufferedImage img, int x0, int y0, int w, int h, int channels) {
        float[][] out = new float[channels][w * h];
        ColorModel cm = img.getColorModel();
        if (cm.getNumColorComponents() == 1 && !(cm instanceof IndexColorModel)) {
            // grey images: read the samples, since getRGB would convert linear grey to sRGB and brighten them
            Raster r = img.getRaster();
            double max = (1L << cm.getComponentSize(0)) - 1;
            double scale = 255.0 / max;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(x0, y0 + y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = (float) (row[x] * scale);
                    for (int c = 0; c < channels; c++) {
                        out[c][y * w + x] = v;
                    }
                }
            }
            return out;
        }
        int[] argb = img.getRGB(x0, y0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int red = (p >> 16) & 0xff;
            int green = (p >> 8) & 0xff;
            int blue = p & 0xff;
            if (channels == 1) {
                out[0][i] = 0.299f * red + 0.587f * green + 0.114f * blue;
            } else {
                out[0][i] = red;
                out[1][i] = green;
                out[2][i] = blue;
            }
        }
        return out;
    }

    /**
     * The part of a {@code w × h} image that becomes the record: all of it, or with {@code crop} its centred square.
     *
     * @return {x0, y0, width, height}
     */
    static int[] window(int w, int h, boolean crop) {
        if (!crop || w == h) {
            return new int[] {0, 0, w, h};
        }
        int s = Math.min(w, h);
        return new int[] {(w - s) / 2, (h - s) / 2, s, s};
    }

    /**
     * Area-averaging resize: each output pixel is the mean of the source area it covers, with
     * fractional weights at the edges; applied separably (rows, then columns).
     */
    static float[] resize(float[] src, int w, int h, int ow, int oh) {
        float[] tmp = new float[ow * h];
        for (int y = 0; y < h; y++) {
            resample(src, y * w, 1, w, tmp, y * ow, 1, ow);
        }
        float[] out = new float[ow * oh];
        for (int x = 0; x < ow; x++) {
            resample(tmp, x, ow, h, out, x, ow, oh);
        }
        return out;
    }

    /** One line: n source samples (stride s) to m destination samples (stride t) by area averaging. */
    private static void resample(float[] src, int so, int ss, int n, float[] dst, int dOff, int ds, int m) {
        double scale = (double) n / m;
        for (int j = 0; j < m; j++) {
            double a = j * scale;
            double b = (j + 1) * scale;
            int i0 = (int) Math.floor(a);
            int i1 = Math.min(n, (int) Math.ceil(b));
            double acc = 0;
            double wsum = 0;
            for (int i = i0; i < i1; i++) {
                double wgt = Math.min(b, i + 1) - Math.max(a, i);
                if (wgt > 0) {
                    acc += wgt * src[so + i * ss];
                    wsum += wgt;
                }
            }
            dst[dOff + j * ds] = (float) (acc / wsum);
        }
    }
}
