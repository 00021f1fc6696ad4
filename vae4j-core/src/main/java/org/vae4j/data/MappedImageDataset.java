package org.vae4j.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Images read on demand from a memory-mapped uint8 cache (see {@code images:DIR}): only the
 * record index, labels and ids live on the heap, so the data set may be many times larger than
 * it. Each instance is a view of some records of the cache, in a given order; {@link #subset} and
 * {@link #head} make new views without copying pixels. Values are multiples of 1/255.
 */
public final class MappedImageDataset implements Dataset {

    private final String name;
    private final ImageCache cache;
    private final int[] rows;
    private final int[] labels;
    private final int[] allLabels;
    private final List<String> labelNames;
    private final List<String> ids;
    private final int[] shape;
    private final int featureSize;
    private volatile String contentHash;

    /**
     * A view.
     *
     * @param rows cache record of each record of this view
     * @param allLabels label of every cache record, or {@code null}
     * @param allIds id of every cache record
     */
    MappedImageDataset(String name, ImageCache cache, int[] rows, int[] allLabels, List<String> labelNames,
            List<String> allIds) {
        this.name = name;
        this.cache = cache;
        this.rows = rows;
        ImageCache.Meta m = cache.meta();
        this.shape = new int[] {m.channels(), m.height(), m.width()};
        this.featureSize = m.channels() * m.height() * m.width();
        this.labelNames = List.copyOf(labelNames);
        this.ids = allIds;
        if (allLabels == null) {
            this.labels = null;
        } else {
            int[] l = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                l[i] = allLabels[rows[i]];
            }
            this.labels = l;
        }
        this.allLabels = allLabels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public int[] labels() {
        return labels;
    }

    @Override
    public List<String> labelNames() {
        return labelNames;
    }

    @Override
    public Map<String, int[]> factors() {
        return Map.of();
    }

    /**
     * Returns the image's path relative to the folder, with {@code /} separators.
     *
     * @param i the record index
     * @return for example {@code cats/001.png}
     */
    @Override
    public String recordId(int i) {
        return ids.get(rows[Objects.checkIndex(i, rows.length)]);
    }

    @Override
    public void copyRecord(int i, float[] dst, int dstOffset) {
        Objects.checkIndex(i, rows.length);
        Objects.checkFromIndexSize(dstOffset, featureSize, dst.length);
        cache.read(rows[i], dst, dstOffset);
    }

    @Override
    public MappedImageDataset subset(int[] indices) {
        int[] r = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            r[j] = rows[Objects.checkIndex(indices[j], rows.length)];
        }
        return new MappedImageDataset(name, cache, r, allLabels, labelNames, ids);
    }

    @Override
    public MappedImageDataset head(int n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + ": head(" + n + "): n must not be negative");
        }
        if (n >= rows.length) {
            return this;
        }
        return new MappedImageDataset(name, cache, Arrays.copyOf(rows, n), allLabels, labelNames, ids);
    }

    /**
     * Returns the SHA-256 of the cache's own hash (of all its bytes, computed once while it was
     * built), this view's record list and the shape: cheap, and it changes whenever a pixel or the
     * selection of records does.
     *
     * @return 64 lower-case hex digits
     */
    @Override
    public String contentHash() {
        String h = contentHash;
        if (h == null) {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
            md.update(cache.meta().hash().getBytes(StandardCharsets.US_ASCII));
            ByteBuffer buf = ByteBuffer.allocate(Integer.BYTES * (rows.length + shape.length)).order(ByteOrder.LITTLE_ENDIAN);
            buf.asIntBuffer().put(rows).put(shape);
            md.update(buf.array());
            h = HexFormat.of().formatHex(md.digest());
            contentHash = h;
        }
        return h;
    }

    @Override
    public ArrayDataset materialize() {
        return ArrayDataset.copyOf(this);
    }

    /**
     * Returns the cache file the pixels are read from.
     *
     * @return the {@code .bin} file
     */
    public java.nio.file.Path cacheFile() {
        return cache.file();
    }

    ImageCache cache() {
        return cache;
    }

    @Override
    public String toString() {
        return "MappedImageDataset[" + name + ", " + rows.length + " x " + Arrays.toString(shape)
                + (labels != null ? ", labelled" : "") + ", " + cache.file() + "]";
    }
}
