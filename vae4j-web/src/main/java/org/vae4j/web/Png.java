package org.vae4j.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small, fast PNG encoder for model records (C×H×W values in [0,1], grey or RGB), with nearest-neighbour
 * upscaling. ImageIO works too but costs several times more per small image, which matters at thousands of decodes
 * per second.
 */
public final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private Png() {}

    /**
     * Encodes one record as an 8-bit grey (C = 1) or RGB (C = 3) PNG.
     *
     * @param values the values, at least {@code offset + C·H·W}
     * @param offset where the record starts
     * @param channels C, 1 or 3
     * @param height H
     * @param width W
     * @param scale integer upscaling factor, 1..16
     * @return the PNG bytes
     */
    public static byte[] encode(float[] values, int offset, int channels, int height, int width, int scale) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("can only encode 1- or 3-channel images, got " + channels);
        }
        if (scale < 1 || scale > 16) {
            throw new IllegalArgumentException("scale must be in 1..16, got " + scale);
        }
        int w = width * scale;
        int h = height * scale;
        int rowBytes = 1 + w * channels;
        byte[] raw = new byte[rowBytes * h];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            int row0 = y * scale * rowBytes;
            // filter byte 0 (none) stays 0
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    byte b = (byte) level(values[offset + c * plane + y * width + x]);
                    int base = row0 + 1 + x * scale * channels + c;
                    for (int sx = 0; sx < scale; sx++) {
                        raw[base + sx * channels] = b;
                    }
                }
            }
            for (int sy = 1; sy < scale; sy++) {
                System.arraycopy(raw, row0, raw, row0 + sy * rowBytes, rowBytes);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte) (channels == 1 ? 0 : 2); // grey or truecolour
        chunk(out, "IHDR", ihdr, ihdr.length);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] buf = new byte[raw.length + 64];
            int n = 0;
            while (!deflater.finished()) {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                n += deflater.deflate(buf, n, buf.length - n);
            }
            chunk(out, "IDAT", buf, n);
        } finally {
            deflater.end();
        }
        chunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    /**
     * As {@link #encode}, as base64 text (for JSON).
     *
     * @param values the values
     * @param offset where the record starts
     * @param channels C
     * @param height H
     * @param width W
     * @param scale upscaling factor
     * @return base64 of the PNG bytes
     */
    public static String base64(float[] values, int offset, int channels, int height, int width, int scale) {
        return Base64.getEncoder().encodeToString(encode(values, offset, channels, height, width, scale));
    }

    static int level(float v) {
        if (!(v > 0)) {
            return 0; // also NaN
        }
        return v >= 1 ? 255 : Math.round(v * 255f);
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
        byte[] len = new byte[4];
        putInt(len, 0, length);
        out.writeBytes(len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.write(data, 0, length);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, length);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
