package org.vae4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Decoded pixels of an image folder as uint8 in a memory-mapped file: record {@code i} is
 * {@code recordBytes} bytes at offset {@code i * recordBytes}, laid out {@code C×H×W} like the
 * float records. The file is mapped in segments of whole records (one mapping cannot exceed
 * 2 GiB), so it can be far larger than the heap; the operating system pages it in and out.
 */
final class ImageCache {

    /** Mapping size limit per segment. */
    static final long SEGMENT_BYTES = 1L << 30;

    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TO_FLOAT[i] = i / 255f;
        }
    }

    /** The metadata stored beside the pixels; the pixels are valid only when it exists. */
    record Meta(int version, String directory, int count, int channels, int height, int width, String hash,
            List<Bad> bad) {
        Meta {
            if (count < 1 || channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("image cache: non-positive count or shape");
            }
            bad = bad == null ? List.of() : List.copyOf(bad);
        }
    }

    /** A file left out with {@code skip-bad}: its path relative to the folder and the reason. */
    record Bad(String file, String reason) {}

    private final Path file;
    private final Meta meta;
    private final int recordBytes;
    private final int recordsPerSegment;
    private final MappedByteBuffer[] segments;
    private final ThreadLocal<byte[]> scratch;

    private ImageCache(Path file, Meta meta, MappedByteBuffer[] segments, int recordsPerSegment) {
        this.file = file;
        this.meta = meta;
        this.recordBytes = meta.channels() * meta.height() * meta.width();
        this.segments = segments;
        this.recordsPerSegment = recordsPerSegment;
        this.scratch = ThreadLocal.withInitial(() -> new byte[recordBytes]);
    }

    /**
     * Maps a cache file.
     *
     * @throws DataException if the file's size does not match the metadata
     */
    static ImageCache map(Path file, Meta meta) {
        return map(file, meta, SEGMENT_BYTES);
    }

    /** Maps with segments of at most {@code segmentBytes} (whole records; tests use small ones to cross boundaries). */
    static ImageCache map(Path file, Meta meta, long segmentBytes) {
        long recordBytes = (long) meta.channels() * meta.height() * meta.width();
        int perSegment = (int) Math.max(1, Math.min(Integer.MAX_VALUE, segmentBytes / recordBytes));
        int n = (meta.count() + perSegment - 1) / perSegment;
        MappedByteBuffer[] segs = new MappedByteBuffer[n];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long expected = recordBytes * meta.count();
            if (ch.size() != expected) {
                throw new DataException(file + ": image cache has " + ch.size() + " bytes but should have " + expected
                        + "; delete it to rebuild");
            }
            for (int s = 0; s < n; s++) {
                long first = (long) s * perSegment;
                long records = Math.min(perSegment, meta.count() - first);
                segs[s] = ch.map(FileChannel.MapMode.READ_ONLY, first * recordBytes, records * recordBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot map image cache: " + e.getMessage(), e);
        }
        return new ImageCache(file, meta, segs, perSegment);
    }

    /** Whether the pixel file exists with the size the metadata asks for. */
    static boolean valid(Path file, Meta meta) {
        try {
            return Files.isRegularFile(file)
                    && Files.size(file) == (long) meta.channels() * meta.height() * meta.width() * meta.count();
        } catch (IOException e) {
            return false;
        }
    }

    Path file() {
        return file;
    }

    Meta meta() {
        return meta;
    }

    int count() {
        return meta.count();
    }

    /** Converts record {@code i} to floats in [0,1]. Thread-safe: absolute reads and a per-thread scratch array. */
    void read(int i, float[] dst, int off) {
        byte[] b = scratch.get();
        segments[i / recordsPerSegment].get((i % recordsPerSegment) * recordBytes, b, 0, recordBytes);
        for (int k = 0; k < recordBytes; k++) {
            dst[off + k] = TO_FLOAT[b[k] & 0xff];
        }
    }
}
