package org.vae4j.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable in-memory data set of {@code N} records, each a vector of {@link #featureSize()}
 * floats in [0,1] with a record shape ({@code {C,H,W}} for images, {@code {D}} for flat vectors). Tables
 * ({@link #ofTable}) are the exception: their values are standardised (any finite value) and NaN marks a missing cell.
 *
 * <p>Records are stored row-major in one float array: record {@code i} occupies
 * {@code data()[i*featureSize() .. (i+1)*featureSize())}. Optional integer class labels (with
 * optional display names) and optional ground-truth generative factors travel with the records
 * and optional record ids through {@link #subset(int[])} and {@link #head(int)}.
 *
 * <p>To avoid copying large arrays, the data, label and factor arrays are shared with the caller
 * and with derived data sets; callers must not modify them after construction.
 */
public final class ArrayDataset implements Dataset {

    private final String name;
    private final float[] data;
    private final int[] shape;
    private final int featureSize;
    private final int size;
    private final int[] labels;
    private final List<String> labelNames;
    private final Map<String, int[]> factors;
    private final List<String> ids;
    private final TableSchema table;
    /** Lazily computed; racing threads compute the same value, so no locking is needed. */
    private volatile String contentHash;

    /**
     * Creates a data set, validating all arguments.
     *
     * @param name a short non-blank name, for example {@code mnist}
     * @param data the records, row-major, all values in [0,1]; not copied
     * @param shape the record shape: {@code {D}} or {@code {C,H,W}}, all positive
     * @param labels one non-negative class label per record, or {@code null} if unlabelled; not
     *     copied
     * @param labelNames display names indexed by label, or {@code null}/empty for none; when given,
     *     every label must be a valid index into it
     * @param factors ground-truth generative factors by name, each an {@code int[N]}; {@code null}
     *     or empty for none; the arrays are not copied
     * @throws IllegalArgumentException if any argument is inconsistent
     */
    public ArrayDataset(
            String name,
            float[] data,
            int[] shape,
            int[] labels,
            List<String> labelNames,
            Map<String, int[]> factors) {
        this(name, data, shape, labels, labelNames, factors, null);
    }

    /**
     * Creates a data set whose records carry identifiers (file names, the id column of a table).
     *
     * @param name a short non-blank name
     * @param data the records, row-major, all values in [0,1]; not copied
     * @param shape the record shape: {@code {D}} or {@code {C,H,W}}, all positive
     * @param labels one non-negative class label per record, or {@code null}
     * @param labelNames display names indexed by label, or {@code null}/empty
     * @param factors ground-truth factors by name, or {@code null}/empty
     * @param ids one non-null identifier per record, or {@code null} for the record index
     * @throws IllegalArgumentException if any argument is inconsistent
     */
    public ArrayDataset(
            String name,
            float[] data,
            int[] shape,
            int[] labels,
            List<String> labelNames,
            Map<String, int[]> factors,
            List<String> ids) {
        this(name, data, shape, labels, labelNames, factors, ids, null);
    }

    /**
     * Creates a table: records encoded by {@code table} (standardised continuous values, 0/1 binary values, one-hot
     * groups), so values may lie anywhere on the real line and NaN marks a missing cell; infinities are rejected.
     *
     * @param name a short non-blank name
     * @param data the records, row-major, {@code table.width()} values each; not copied
     * @param table how the values were encoded
     * @param labels one non-negative class label per record, or {@code null}
     * @param labelNames display names indexed by label, or {@code null}/empty
     * @param ids one non-null identifier per record, or {@code null}
     * @return the data set, of shape {@code {table.width()}}
     * @throws IllegalArgumentException if any argument is inconsistent
     */
    public static ArrayDataset ofTable(String name, float[] data, TableSchema table, int[] labels, List<String> labelNames,
            List<String> ids) {
        Objects.requireNonNull(table, "table");
        return new ArrayDataset(name, data, new int[] {table.width()}, labels, labelNames, null, ids, table);
    }

    private ArrayDataset(
            String name,
            float[] data,
            int[] shape,
            int[] labels,
            List<String> labelNames,
            Map<String, int[]> factors,
            List<String> ids,
            TableSchema table) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("data set name must not be blank");
        }
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        if (shape.length != 1 && shape.length != 3) {
            throw new IllegalArgumentException(
                    name + ": shape must be {D} or {C,H,W} but is " + Arrays.toString(shape));
        }
        long product = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException(
                        name + ": shape dimensions must be positive but shape is "
                                + Arrays.toString(shape));
            }
            product *= d;
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        name + ": shape " + Arrays.toString(shape) + " is too large");
            }
        }
        if (data.length % product != 0) {
            throw new IllegalArgumentException(
                    name + ": data length " + data.length + " is not a multiple of the record size "
                            + product + " for shape " + Arrays.toString(shape));
        }
        this.name = name;
        this.data = data;
        this.shape = shape.clone();
        this.featureSize = (int) product;
        this.size = data.length / featureSize;
        this.table = table;
        if (table == null) {
            checkRange(name, data);
        } else {
            checkTable(name, data, shape, table);
        }

        List<String> names =
                labelNames == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(labelNames));
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null) {
                throw new IllegalArgumentException(name + ": label name " + i + " is null");
            }
        }
        if (labels != null) {
            if (labels.length != size) {
                throw new IllegalArgumentException(
                        name + ": " + labels.length + " labels for " + size + " records");
            }
            for (int i = 0; i < labels.length; i++) {
                int l = labels[i];
                if (l < 0 || (!names.isEmpty() && l >= names.size())) {
                    throw new IllegalArgumentException(
                            name + ": label " + l + " of record " + i + " is out of range"
                                    + (names.isEmpty() ? "" : " [0," + names.size() + ")"));
                }
            }
        }
        this.labels = labels;
        this.labelNames = names;

        Map<String, int[]> f = new LinkedHashMap<>();
        if (factors != null) {
            for (Map.Entry<String, int[]> e : factors.entrySet()) {
                if (e.getKey() == null || e.getKey().isBlank()) {
                    throw new IllegalArgumentException(name + ": factor name must not be blank");
                }
                if (e.getValue() == null || e.getValue().length != size) {
                    throw new IllegalArgumentException(
                            name + ": factor '" + e.getKey() + "' must have " + size + " values but has "
                                    + (e.getValue() == null ? "none" : e.getValue().length));
                }
                f.put(e.getKey(), e.getValue());
            }
        }
        this.factors = Collections.unmodifiableMap(f);
        if (ids != null) {
            if (ids.size() != size) {
                throw new IllegalArgumentException(name + ": " + ids.size() + " ids for " + size + " records");
            }
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) == null) {
                    throw new IllegalArgumentException(name + ": id of record " + i + " is null");
                }
            }
            this.ids = List.copyOf(ids);
        } else {
            this.ids = null;
        }
    }

    /**
     * Returns the identifier of record {@code i}: its file name or id-column value where the source has
     * one, else the index as a decimal string.
     *
     * @param i the record index in [0, size())
     * @return the identifier, never {@code null}
     */
    @Override
    public String recordId(int i) {
        Objects.checkIndex(i, size);
        return ids == null ? Integer.toString(i) : ids.get(i);
    }

    /**
     * Tells whether the records carry identifiers of their own (rather than their index).
     *
     * @return {@code true} if the source supplied ids
     */
    public boolean hasIds() {
        return ids != null;
    }

    /**
     * Returns the table schema the values were encoded with.
     *
     * @return the schema, or {@code null} unless this data set was made by {@link #ofTable}
     */
    @Override
    public TableSchema table() {
        return table;
    }

    private static void checkTable(String name, float[] data, int[] shape, TableSchema table) {
        if (shape.length != 1 || shape[0] != table.width()) {
            throw new IllegalArgumentException(name + ": a table of " + table.width() + " values per record needs shape {"
                    + table.width() + "}, got " + Arrays.toString(shape));
        }
        for (int i = 0; i < data.length; i++) {
            if (Float.isInfinite(data[i])) {
                throw new IllegalArgumentException(name + ": value " + data[i] + " at index " + i + " is infinite");
            }
        }
    }

    private static void checkRange(String name, float[] data) {
        for (int i = 0; i < data.length; i++) {
            float v = data[i];
            // written so that NaN fails too
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException(
                        name + ": value " + v + " at index " + i + " is outside [0,1]");
            }
        }
    }

    /**
     * Returns the data set's name.
     *
     * @return the name given at construction
     */
    @Override
    public String name() {
        return name;
    }

    /**
     * Returns the number of records.
     *
     * @return {@code N}
     */
    @Override
    public int size() {
        return size;
    }

    /**
     * Returns the record shape.
     *
     * @return a fresh copy of the shape: {@code {C,H,W}} for images, {@code {D}} for vectors
     */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of floats per record.
     *
     * @return the product of {@link #shape()}
     */
    @Override
    public int featureSize() {
        return featureSize;
    }

    /**
     * Returns the backing array of all records, row-major, <em>not copied</em>.
     *
     * <p>Record {@code i} occupies indices {@code [i*featureSize(), (i+1)*featureSize())}. The
     * array is shared for speed: do not modify it (doing so would also invalidate
     * {@link #contentHash()} and every data set derived from this one).
     *
     * @return the backing array of length {@code size() * featureSize()}
     */
    public float[] data() {
        return data;
    }

    /**
     * Copies record {@code i} into {@code dst} starting at {@code dstOffset}.
     *
     * @param i the record index in [0, size())
     * @param dst the destination array
     * @param dstOffset where the first value goes; {@code featureSize()} values are written
     * @throws IndexOutOfBoundsException if {@code i} or the destination range is out of bounds
     */
    @Override
    public void copyRecord(int i, float[] dst, int dstOffset) {
        Objects.checkIndex(i, size);
        Objects.checkFromIndexSize(dstOffset, featureSize, dst.length);
        System.arraycopy(data, i * featureSize, dst, dstOffset, featureSize);
    }

    /**
     * Returns the class labels, one per record, as the backing array (not copied; do not modify).
     *
     * @return the labels, or {@code null} if the data set is unlabelled
     */
    @Override
    public int[] labels() {
        return labels;
    }

    /**
     * Returns display names for the labels, indexed by label value.
     *
     * @return an unmodifiable list, empty if no names are known
     */
    @Override
    public List<String> labelNames() {
        return labelNames;
    }

    /**
     * Returns the ground-truth generative factors (for synthetic data), each an {@code int[size()]}
     * of factor-value indices; the arrays are the backing arrays (do not modify).
     *
     * @return an unmodifiable map in insertion order, empty if no factors are known
     */
    @Override
    public Map<String, int[]> factors() {
        return factors;
    }

    /**
     * Returns a new data set made of the given records, in the given order, with their labels and
     * factors. Indices may repeat.
     *
     * @param indices record indices, each in [0, size())
     * @return a data set of {@code indices.length} records with the same name, shape and label names
     * @throws IndexOutOfBoundsException if an index is out of bounds
     */
    @Override
    public ArrayDataset subset(int[] indices) {
        Objects.requireNonNull(indices, "indices");
        float[] d = new float[Math.multiplyExact(indices.length, featureSize)];
        int[] l = labels == null ? null : new int[indices.length];
        Map<String, int[]> f = new LinkedHashMap<>();
        for (String k : factors.keySet()) {
            f.put(k, new int[indices.length]);
        }
        List<String> idList = ids == null ? null : new ArrayList<>(indices.length);
        for (int j = 0; j < indices.length; j++) {
            int i = Objects.checkIndex(indices[j], size);
            if (idList != null) {
                idList.add(ids.get(i));
            }
            System.arraycopy(data, i * featureSize, d, j * featureSize, featureSize);
            if (l != null) {
                l[j] = labels[i];
            }
            for (Map.Entry<String, int[]> e : f.entrySet()) {
                e.getValue()[j] = factors.get(e.getKey())[i];
            }
        }
        return new ArrayDataset(name, d, shape, l, labelNames, f, idList, table);
    }

    /**
     * Returns the first {@code n} records (all of them if {@code n >= size()}).
     *
     * @param n the maximum number of records, non-negative
     * @return this data set if {@code n >= size()}, else a new one with the first {@code n} records
     * @throws IllegalArgumentException if {@code n} is negative
     */
    @Override
    public ArrayDataset head(int n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + ": head(" + n + "): n must not be negative");
        }
        if (n >= size) {
            return this;
        }
        Map<String, int[]> f = new LinkedHashMap<>();
        factors.forEach((k, v) -> f.put(k, Arrays.copyOf(v, n)));
        return new ArrayDataset(
                name,
                Arrays.copyOf(data, n * featureSize),
                shape,
                labels == null ? null : Arrays.copyOf(labels, n),
                labelNames,
                f,
                ids == null ? null : ids.subList(0, n),
                table);
    }

    /**
     * Returns a fingerprint of the records: the lower-case hex SHA-256 of the float data as
     * little-endian IEEE-754 bytes, followed by the shape as little-endian 32-bit integers. Labels,
     * names and factors are not included. Computed on first use and cached.
     *
     * @return 64 lower-case hex digits
     */
    @Override
    public String contentHash() {
        String h = contentHash;
        if (h == null) {
            h = computeHash();
            contentHash = h;
        }
        return h;
    }

    private String computeHash() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        // bulk copy through a float view: far faster than putFloat per value
        FloatBuffer floats = buf.asFloatBuffer();
        for (int off = 0; off < data.length; off += floats.capacity()) {
            int n = Math.min(floats.capacity(), data.length - off);
            floats.clear();
            floats.put(data, off, n);
            md.update(buf.array(), 0, n * Float.BYTES);
        }
        for (int d : shape) {
            buf.putInt(d);
        }
        md.update(buf.array(), 0, buf.position());
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Returns this data set: it is already in memory.
     *
     * @return {@code this}
     */
    @Override
    public ArrayDataset materialize() {
        return this;
    }

    /**
     * Copies any data set into memory, refusing one whose values would take more than half of the
     * maximum heap (the caller would run out of memory soon after).
     *
     * @param ds the data set
     * @return {@code ds} itself if it is an {@link ArrayDataset}, else an in-memory copy with the
     *     same name, shape, labels, factors and record ids
     * @throws DataException if the data set is too large
     */
    public static ArrayDataset copyOf(Dataset ds) {
        if (ds instanceof ArrayDataset a) {
            return a;
        }
        long values = (long) ds.size() * ds.featureSize();
        long bytes = values * Float.BYTES;
        long max = Runtime.getRuntime().maxMemory();
        if (values > Integer.MAX_VALUE - 8 || bytes > max / 2) {
            throw new DataException(ds.name() + ": " + ds.size() + " records of " + ds.featureSize()
                    + " values need " + (bytes >> 20) + " MiB in memory, more than half of the heap ("
                    + (max >> 20) + " MiB); this command keeps its records in memory: use fewer records or raise -Xmx"
                    + " (VAE4J_JAVA_OPTS)");
        }
        float[] data = new float[(int) values];
        int d = ds.featureSize();
        List<String> ids = new ArrayList<>(ds.size());
        for (int i = 0; i < ds.size(); i++) {
            ds.copyRecord(i, data, i * d);
            ids.add(ds.recordId(i));
        }
        return new ArrayDataset(ds.name(), data, ds.shape(), ds.labels(), ds.labelNames(), ds.factors(), ids);
    }

    /**
     * Returns a short description: name, size and shape.
     *
     * @return for example {@code ArrayDataset[mnist, 60000 x [1, 28, 28], labelled]}
     */
    @Override
    public String toString() {
        return "ArrayDataset[" + name + ", " + size + " x " + Arrays.toString(shape)
                + (labels != null ? ", labelled" : "")
                + (table != null ? ", table" : "")
                + (factors.isEmpty() ? "" : ", factors " + factors.keySet()) + "]";
    }
}
