package org.vae4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed.
 *
 * <p>An IDX file is a big-endian header (magic number {@code 0x0000TTDD} where {@code TT} is the
 * element type and {@code DD} the number of dimensions, then one 32-bit size per dimension)
 * followed by the elements. Only unsigned bytes ({@code TT = 0x08}) are supported: image files
 * ({@value #IMAGES_MAGIC}, {@code [n][rows][cols]}) and label files ({@value #LABELS_MAGIC},
 * {@code [n]}). Compression is detected from the gzip magic bytes {@code 1f 8b}, not from the
 * file name.
 *
 * <p>The reader is defensive: it checks the header, never allocates more than the header
 * declares, never trusts a declared size before checking it against sane limits and the heap,
 * grows its buffers only as gzip data actually arrives, and rejects truncated files and trailing
 * bytes. All failures are {@link DataException}s whose one-line message starts with the file.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned-byte images, {@code [n][rows][cols]}. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels, {@code [n]}. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Largest accepted image side (rows or columns). */
    public static final int MAX_SIDE = 4096;
    /** Largest accepted number of items (images or labels). */
    public static final int MAX_COUNT = 100_000_000;

    private static final int CHUNK = 1 << 16;
    /** First gzip output buffer size; it then doubles, so a lying header costs at most 2x real data. */
    private static final int INITIAL_GZIP_CAPACITY = 1 << 20;
    /** Largest array length the JVM reliably allows. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final float[] BYTE_TO_UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            BYTE_TO_UNIT[i] = i / 255f;
        }
    }

    private IdxReader() {}

    /**
     * Reads an IDX image file ({@value #IMAGES_MAGIC}) into floats in [0,1] (each byte / 255f).
     *
     * @param file the file, plain or gzip-compressed
     * @param outShape an array of length at least 3 that receives {@code n, rows, cols}
     * @return {@code n*rows*cols} pixels, image-major then row-major
     * @throws DataException if the file is missing, unreadable, corrupt, truncated, has trailing
     *     bytes, or declares implausible or too large dimensions
     * @throws IllegalArgumentException if {@code outShape} is null or shorter than 3
     */
    public static float[] readImages(Path file, int[] outShape) {
        if (outShape == null || outShape.length < 3) {
            throw new IllegalArgumentException("outShape must have room for n, rows, cols");
        }
        Header h = read(file, IMAGES_MAGIC, new FloatPayload());
        outShape[0] = h.dims[0];
        outShape[1] = h.dims[1];
        outShape[2] = h.dims[2];
        return ((FloatPayload) h.payload).values;
    }

    /**
     * Reads an IDX label file ({@value #LABELS_MAGIC}).
     *
     * @param file the file, plain or gzip-compressed
     * @return the labels, each in [0,255]
     * @throws DataException if the file is missing, unreadable, corrupt, truncated, has trailing
     *     bytes, or declares an implausible count
     */
    public static int[] readLabels(Path file) {
        Header h = read(file, LABELS_MAGIC, new IntPayload());
        return ((IntPayload) h.payload).values;
    }

    /** Parsed header plus the payload it was read into. */
    private record Header(int[] dims, Payload payload) {}

    private static Header read(Path file, int magic, Payload payload) {
        if (!Files.exists(file)) {
            throw new DataException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new DataException(file + ": is a directory, expected an IDX file");
        }
        boolean gzip = false;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            raw.mark(2);
            gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, CHUNK) : raw) {
                int[] dims = readHeader(file, in, magic);
                long total = 1;
                for (int d : dims) {
                    total *= d;
                }
                String what = describe(dims, total);
                long headerBytes = 4 + 4L * dims.length;
                long available = gzip ? -1 : Files.size(file) - headerBytes;
                if (available >= 0 && available < total) {
                    throw truncated(file, what, available);
                }
                if (total > MAX_ARRAY) {
                    throw new DataException(file + ": header declares " + what
                            + ", more than the " + MAX_ARRAY + " values a Java array can hold");
                }
                long needed = total * payload.bytesPerValue();
                long budget = Runtime.getRuntime().maxMemory() / 2;
                if (needed > budget) {
                    throw new DataException(String.format(Locale.ROOT,
                            "%s: header declares %s, which needs %d MiB in memory, more than half the "
                                    + "maximum heap (%d MiB of %d MiB); raise -Xmx or use a smaller file",
                            file, what, needed >> 20, budget >> 20, (budget * 2) >> 20));
                }
                if (available > total) {
                    throw new DataException(file + ": " + (available - total)
                            + " trailing bytes after the " + total + " bytes the header declares ("
                            + what + ")");
                }
                // a plain file has been size-checked, so allocate exactly; gzip must earn its memory
                payload.allocate((int) Math.min(total, gzip ? INITIAL_GZIP_CAPACITY : total), (int) total);
                readPayload(file, in, total, what, payload);
                if (gzip) {
                    long extra = in.transferTo(OutputStream.nullOutputStream());
                    if (extra > 0) {
                        throw new DataException(file + ": " + extra + " trailing bytes after the "
                                + total + " bytes the header declares (" + what + ")");
                    }
                }
                return new Header(dims, payload);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file", e);
        } catch (ZipException e) {
            throw new DataException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            // GZIPInputStream's way of saying the compressed stream stopped mid-way
            throw new DataException(file + ": truncated gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e, e);
        }
    }

    private static int[] readHeader(Path file, InputStream in, int magic) throws IOException {
        byte[] m = new byte[4];
        int got = readFully(in, m, 4);
        if (got == 0) {
            throw new DataException(file + ": empty file, expected an IDX header");
        }
        if (got < 4) {
            throw new DataException(file + ": truncated: file ends after " + got
                    + " bytes, inside the 4-byte IDX magic number");
        }
        int found = toInt(m, 0);
        if (found != magic) {
            throw new DataException(file + ": " + describeBadMagic(found, magic));
        }
        int ndims = magic & 0xff;
        byte[] d = new byte[4 * ndims];
        got = readFully(in, d, d.length);
        if (got < d.length) {
            throw new DataException(file + ": truncated: file ends inside the " + (4 + d.length)
                    + "-byte IDX header");
        }
        int[] dims = new int[ndims];
        String[] names = ndims == 3 ? new String[] {"image count", "rows", "columns"} : new String[] {"label count"};
        for (int i = 0; i < ndims; i++) {
            dims[i] = toInt(d, 4 * i);
            // read as signed: sizes >= 2^31 show up negative and are rejected as well
            int max = i == 0 ? MAX_COUNT : MAX_SIDE;
            if (dims[i] <= 0 || dims[i] > max) {
                throw new DataException(file + ": implausible " + names[i] + " "
                        + Integer.toUnsignedString(dims[i]) + " in header (must be 1.." + max + ")");
            }
        }
        return dims;
    }

    private static String describeBadMagic(int found, int expected) {
        String want = String.format(Locale.ROOT, "expected 0x%08X (%s)", expected,
                expected == IMAGES_MAGIC ? "IDX images: unsigned bytes, 3 dimensions"
                        : "IDX labels: unsigned bytes, 1 dimension");
        String hint = "";
        if (found == LABELS_MAGIC) {
            hint = "; this is an IDX label file";
        } else if (found == IMAGES_MAGIC) {
            hint = "; this is an IDX image file";
        } else if ((found >>> 16) == 0 && ((found >>> 8) & 0xff) != 0x08) {
            hint = String.format(Locale.ROOT, "; IDX element type 0x%02X is not supported, only unsigned bytes (0x08)",
                    (found >>> 8) & 0xff);
        } else if ((found >>> 16) != 0) {
            hint = "; not an IDX file";
        }
        return String.format(Locale.ROOT, "bad magic number 0x%08X, %s%s", found, want, hint);
    }

    private static String describe(int[] dims, long total) {
        if (dims.length == 3) {
            return dims[0] + " images of " + dims[1] + "x" + dims[2] + " (" + total + " bytes)";
        }
        return dims[0] + " labels (" + total + " bytes)";
    }

    private static DataException truncated(Path file, String what, long available) {
        return new DataException(file + ": truncated: header declares " + what + " but only "
                + available + " bytes follow");
    }

    private static void readPayload(Path file, InputStream in, long total, String what, Payload payload)
            throws IOException {
        byte[] buf = new byte[CHUNK];
        long pos = 0;
        while (pos < total) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, total - pos));
            if (r < 0) {
                throw truncated(file, what, pos);
            }
            payload.put(buf, r, (int) pos);
            pos += r;
        }
    }

    private static int readFully(InputStream in, byte[] b, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static int toInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    /** Destination of the element bytes; grows on demand up to the declared size. */
    private abstract static class Payload {
        int limit;

        abstract int bytesPerValue();

        abstract void allocate(int initial, int limit);

        abstract int capacity();

        abstract void grow(int capacity);

        abstract void convert(byte[] buf, int len, int pos);

        final void put(byte[] buf, int len, int pos) {
            if (pos + len > capacity()) {
                grow((int) Math.min(limit, Math.max((long) pos + len, 2L * capacity())));
            }
            convert(buf, len, pos);
        }
    }

    private static final class FloatPayload extends Payload {
        float[] values;

        @Override
        int bytesPerValue() {
            return Float.BYTES;
        }

        @Override
        void allocate(int initial, int limit) {
            this.limit = limit;
            values = new float[initial];
        }

        @Override
        int capacity() {
            return values.length;
        }

        @Override
        void grow(int capacity) {
            values = Arrays.copyOf(values, capacity);
        }

        @Override
        void convert(byte[] buf, int len, int pos) {
            for (int i = 0; i < len; i++) {
                values[pos + i] = BYTE_TO_UNIT[buf[i] & 0xff];
            }
        }
    }

    private static final class IntPayload extends Payload {
        int[] values;

        @Override
        int bytesPerValue() {
            return Integer.BYTES;
        }

        @Override
        void allocate(int initial, int limit) {
            this.limit = limit;
            values = new int[initial];
        }

        @Override
        int capacity() {
            return values.length;
        }

        @Override
        void grow(int capacity) {
            values = Arrays.copyOf(values, capacity);
        }

        @Override
        void convert(byte[] buf, int len, int pos) {
            for (int i = 0; i < len; i++) {
                values[pos + i] = buf[i] & 0xff;
            }
        }
    }
}
