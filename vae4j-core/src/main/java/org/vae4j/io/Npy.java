package org.vae4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * NumPy's {@code .npy} format for little-endian float32 arrays, in pieces, so that an array larger than memory can
 * be streamed: write {@link #float32Header} once, then the values in order with {@link #writeFloats} ({@code numpy.load}
 * reads the result); read with {@link #open}, which checks the header and the file's length before anything is
 * allocated, then {@link Reader#read} the values in pieces.
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
        return float32Header(new long[] {rows, cols});
    }

    /**
     * The header of a C-order float32 array of any shape (for example {@code (N, C, H, W)}), laid out as
     * {@link #float32Header(long, long)}.
     *
     * @param shape the dimensions, each ≥ 0, at least one
     * @return the header bytes
     */
    public static byte[] float32Header(long... shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("shape must have at least one dimension");
        }
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("shape must be non-negative, got " + java.util.Arrays.toString(shape));
            }
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
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

    /** Python's tuple literal: {@code (3,)} for one dimension, {@code (3, 4)} for two. */
    private static String tuple(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
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
    /** Largest header accepted when reading (NumPy itself writes a few hundred bytes). */
    static final int MAX_HEADER_BYTES = 1 << 16;

    /**
     * Opens a float32 {@code .npy} file (format version 1, 2 or 3; C order; {@code '<f4'}) and reads its header.
     *
     * @param file the file
     * @return a reader positioned at the first value; close it
     * @throws ModelFormatException naming the file and the problem: not an .npy file, another dtype, Fortran order, a
     *     malformed header, or a length that does not match the shape
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public static Reader open(java.nio.file.Path file) {
        java.io.InputStream in;
        long size;
        try {
            size = java.nio.file.Files.size(file);
            in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return new Reader(file.toString(), in, size);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /**
     * Reads a whole float32 {@code .npy} file (see {@link #open}).
     *
     * @return its shape and values
     * @throws ModelFormatException as {@link #open}, or when the values do not fit in one Java array
     */
    public static Array read(java.nio.file.Path file) {
        try (Reader r = open(file)) {
            if (r.count() > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(file + ": " + r.count() + " values do not fit in one array");
            }
            float[] v = new float[(int) r.count()];
            r.read(v, 0, v.length);
            return new Array(r.shape(), v);
        }
    }

    /**
     * A float32 array read from a file.
     *
     * @param shape its dimensions
     * @param values its values in C order
     */
    public record Array(long[] shape, float[] values) {}

    /** Reads the values of an {@code .npy} file in order, in pieces of the caller's choosing. */
    public static final class Reader implements java.io.Closeable {
        private final String source;
        private final java.io.InputStream in;
        private final long[] shape;
        private final long count;
        private long done;

        private Reader(String source, java.io.InputStream in, long fileSize) {
            this.source = source;
            this.in = in;
            byte[] magic = readExactly(MAGIC.length, "the magic string");
            if (magic[0] != MAGIC[0] || magic[1] != 'N' || magic[2] != 'U' || magic[3] != 'M' || magic[4] != 'P' || magic[5] != 'Y') {
                throw new ModelFormatException(source + ": not an .npy file (no \\x93NUMPY magic string)");
            }
            int major = magic[6];
            if (major < 1 || major > 3 || magic[7] != 0) {
                throw new ModelFormatException(source + ": unsupported .npy format version " + major + "." + magic[7]);
            }
            int lengthBytes = major == 1 ? 2 : 4;
            ByteBuffer lb = ByteBuffer.wrap(readExactly(lengthBytes, "the header length")).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = major == 1 ? lb.getShort() & 0xffff : lb.getInt() & 0xffffffffL;
            if (headerLength > MAX_HEADER_BYTES) {
                throw new ModelFormatException(source + ": header of " + headerLength + " bytes is larger than the "
                        + MAX_HEADER_BYTES + " accepted");
            }
            String header = new String(readExactly((int) headerLength, "the header"),
                    major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
            String descr = field(header, "descr");
            if (!descr.equals("'<f4'")) {
                throw new ModelFormatException(source + ": dtype " + descr + " is not supported; vae4j reads float32 ('<f4') arrays");
            }
            if (!field(header, "fortran_order").equals("False")) {
                throw new ModelFormatException(source + ": Fortran-order arrays are not supported");
            }
            this.shape = parseShape(field(header, "shape"));
            long c = 1;
            try {
                for (long s : shape) {
                    c = Math.multiplyExact(c, s);
                }
            } catch (ArithmeticException e) {
                throw new ModelFormatException(source + ": shape " + java.util.Arrays.toString(shape) + " is too large");
            }
            this.count = c;
            long dataStart = MAGIC.length + lengthBytes + headerLength;
            if (c > (Long.MAX_VALUE - dataStart) / 4 || fileSize != dataStart + 4 * c) {
                throw new ModelFormatException(source + ": the file has " + (fileSize - dataStart) + " data bytes, the shape "
                        + java.util.Arrays.toString(shape) + " needs " + (c > Long.MAX_VALUE / 8 ? "more" : Long.toString(4 * c)));
            }
        }

        private String field(String header, String key) {
            String k = "'" + key + "':";
            int i = header.indexOf(k);
            if (!header.startsWith("{") || !header.endsWith("}") || i < 0) {
                throw new ModelFormatException(source + ": malformed .npy header (no '" + key + "')");
            }
            int start = i + k.length();
            while (start < header.length() && header.charAt(start) == ' ') {
                start++;
            }
            int end;
            if (start < header.length() && header.charAt(start) == '(') {
                end = header.indexOf(')', start) + 1;
            } else if (start < header.length() && header.charAt(start) == '\'') {
                end = header.indexOf('\'', start + 1) + 1;
            } else {
                end = start;
                while (end < header.length() && header.charAt(end) != ',' && header.charAt(end) != '}') {
                    end++;
                }
            }
            if (end <= start) {
                throw new ModelFormatException(source + ": malformed .npy header ('" + key + "')");
            }
            return header.substring(start, end).trim();
        }

        private long[] parseShape(String t) {
            if (!t.startsWith("(") || !t.endsWith(")")) {
                throw new ModelFormatException(source + ": malformed shape " + t);
            }
            String inner = t.substring(1, t.length() - 1).trim();
            if (inner.endsWith(",")) {
                inner = inner.substring(0, inner.length() - 1);
            }
            if (inner.isBlank()) {
                return new long[0];
            }
            String[] parts = inner.split(",");
            if (parts.length > 32) {
                throw new ModelFormatException(source + ": shape has " + parts.length + " dimensions (at most 32)");
            }
            long[] out = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.endsWith("L")) {
                    p = p.substring(0, p.length() - 1);
                }
                try {
                    out[i] = Long.parseLong(p);
                } catch (NumberFormatException e) {
                    throw new ModelFormatException(source + ": malformed shape " + t);
                }
                if (out[i] < 0) {
                    throw new ModelFormatException(source + ": negative dimension in shape " + t);
                }
            }
            return out;
        }

        private byte[] readExactly(int n, String what) {
            try {
                byte[] b = in.readNBytes(n);
                if (b.length != n) {
                    throw new ModelFormatException(source + ": truncated in " + what);
                }
                return b;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
            }
        }

        /** The array's dimensions (a copy). */
        public long[] shape() {
            return shape.clone();
        }

        /** The number of values, the product of the dimensions. */
        public long count() {
            return count;
        }

        /** Values not read yet. */
        public long remaining() {
            return count - done;
        }

        /**
         * Reads the next {@code length} values.
         *
         * @throws IllegalArgumentException if fewer remain
         */
        public void read(float[] dst, int offset, int length) {
            if (length > remaining()) {
                throw new IllegalArgumentException(source + ": asked for " + length + " values, " + remaining() + " remain");
            }
            int chunk = 1 << 14;
            for (int at = 0; at < length; at += chunk) {
                int k = Math.min(chunk, length - at);
                ByteBuffer.wrap(readExactly(k * 4, "the data"), 0, k * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                        .get(dst, offset + at, k);
            }
            done += length;
        }

        @Override
        public void close() {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // reading only: nothing was lost
        }
    }
}
