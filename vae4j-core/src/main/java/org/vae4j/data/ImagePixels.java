package org.vae4j.data;

/**
 * Pixels decoded elsewhere (8 bits per sample, rows top to bottom, channels interleaved) turned into a model record
 * exactly as the {@code images:} data source turns a file into one: grey from colour by Rec. 601 luminance
 * ({@code 0.299 R + 0.587 G + 0.114 B}), colour from grey by repeating it, alpha ignored, optional centre crop to a
 * square, area-averaging resize, rounding to 8 bits, then {@code v / 255} in {@code C×H×W} order. Used for Spark's image
 * data source, whose {@code data} holds BGR(A) for colour images, and ({@link #fromFile}) for image files' bytes.
 */
public final class ImagePixels {
    private ImagePixels() {}

    /**
     * Writes one record of {@code channels × height × width} values in [0, 1] to {@code dst[off..]}.
     *
     * @param data the source pixels, {@code srcHeight × srcWidth × srcChannels} bytes, channels interleaved
     * @param srcHeight source rows
     * @param srcWidth source columns
     * @param srcChannels 1 (grey), 3 or 4 (colour; 4 has alpha last, which is ignored)
     * @param bgr whether colour samples are in blue, green, red order (Spark, OpenCV) rather than red, green, blue
     * @param crop whether to centre-crop to a square first (the data source's {@code crop=center})
     * @param channels the record's channels, 1 or 3
     * @param height the record's rows
     * @param width the record's columns
     * @param dst destination
     * @param off offset in {@code dst}
     * @throws IllegalArgumentException in one line when the sizes do not fit
     */
    public static void toRecord(byte[] data, int srcHeight, int srcWidth, int srcChannels, boolean bgr, boolean crop,
            int channels, int height, int width, float[] dst, int off) {
        if (srcChannels != 1 && srcChannels != 3 && srcChannels != 4) {
            throw new IllegalArgumentException("an image of " + srcChannels + " channels; expected 1, 3 or 4");
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("records of " + channels + " channels; expected 1 or 3");
        }
        if (srcHeight < 1 || srcWidth < 1 || (long) srcHeight * srcWidth * srcChannels != data.length) {
            throw new IllegalArgumentException("an image of " + srcWidth + "x" + srcHeight + "x" + srcChannels
                    + " with " + data.length + " bytes of pixels");
        }
        int[] win = ImageDecoder.window(srcWidth, srcHeight, crop);
        int x0 = win[0];
        int y0 = win[1];
        int w = win[2];
        int h = win[3];
        // the channel planes (0..255) of the crop window, as ImageDecoder.planes makes them from a decoded file
        float[][] planes = new float[channels][w * h];
        int r = bgr ? 2 : 0;
        int b = bgr ? 0 : 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = ((y0 + y) * srcWidth + x0 + x) * srcChannels;
                int i = y * w + x;
                if (srcChannels == 1) {
                    float v = data[p] & 0xff;
                    for (int c = 0; c < channels; c++) {
                        planes[c][i] = v;
                    }
                } else {
                    int red = data[p + r] & 0xff;
                    int green = data[p + 1] & 0xff;
                    int blue = data[p + b] & 0xff;
                    if (channels == 1) {
                        planes[0][i] = 0.299f * red + 0.587f * green + 0.114f * blue;
                    } else {
                        planes[0][i] = red;
                        planes[1][i] = green;
                        planes[2][i] = blue;
                    }
                }
            }
        }
        int n = width * height;
        for (int c = 0; c < channels; c++) {
            float[] p = (width == w && height == h) ? planes[c] : ImageDecoder.resize(planes[c], w, h, width, height);
            for (int i = 0; i < n; i++) {
                int u = Math.round(Math.max(0f, Math.min(255f, p[i])));
                dst[off + c * n + i] = u / 255f; // as ImageCache reads the cached byte
            }
        }
    }

    /**
     * Writes the record of an image file's bytes (PNG, JPEG, BMP or GIF, e.g. the {@code content} of Spark's
     * {@code binaryFile} source) to {@code dst[off..]}: the file decoded by the {@code images:} data source's own
     * decoder, so every format it reads (16-bit grey, palettes, any colour model) gives the same record as the file
     * read with {@code images:} at this size.
     *
     * @param encoded the file's bytes
     * @param crop whether to centre-crop to a square first
     * @param channels the record's channels, 1 or 3
     * @param height the record's rows
     * @param width the record's columns
     * @param dst destination
     * @param off offset in {@code dst}
     * @throws IllegalArgumentException in one line (the reason only) when the bytes are not a decodable image
     */
    public static void fromFile(byte[] encoded, boolean crop, int channels, int height, int width, float[] dst, int off) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("records of " + channels + " channels; expected 1 or 3");
        }
        byte[] px;
        try {
            px = ImageDecoder.decode(encoded, width, height, crop, channels, new int[2]);
        } catch (ImageDecoder.BadImage e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        for (int i = 0; i < px.length; i++) {
            dst[off + i] = (px[i] & 0xff) / 255f; // as ImageCache reads the cached byte
        }
    }
}
