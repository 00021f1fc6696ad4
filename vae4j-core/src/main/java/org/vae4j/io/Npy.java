package org.vae4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes NumPy's {@code .npy} format (version 1.0) for little-endian float32 matrices, in pieces, so that a
 * matrix larger than memory can be streamed: write {@link #float32Header} once, then the rows in order with
 * {@link #writeFloats}. {@code numpy.load} reads the result.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private Npy() {}

    /**
     * The header of a C-order float32 array of shape {@code (rows, cols)}: magic, version 1.0, the header length and
     * the Python dict literal padded with spaces and a newline so that the data start at a multiple of 64 bytes.
     *
     * @param rows first dimension, ≥ 0
     * @param cols second dimension, ≥ 0
     * @return the header bytes
     */
    public static byte[] float32Header(long rows, long cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape must be non-negative, got (" + rows + ", " + cols + ")");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        StringBuilder sb = new StringBuilder(dict);
        while (MAGIC.length + 2 + sb.length() + 1 < total) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) text.length).put(text);
        return b.array();
    }

    /**
     * Writes floats little-endian.
     *
     * @param out the stream
     * @param values the values
     * @param offset first value
     * @param length how many
     */
    public static void writeFloats(OutputStream out, float[] values, int offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values, offset, length);
        out.write(b.array());
    }
}
