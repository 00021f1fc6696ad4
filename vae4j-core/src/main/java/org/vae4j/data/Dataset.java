package org.vae4j.data;

import java.util.List;
import java.util.Map;

/**
 * A data set of {@code N} records, each a vector of {@link #featureSize()} floats in [0,1] with a
 * record shape ({@code {C,H,W}} for images, {@code {D}} for flat vectors), read record by record.
 *
 * <p>The records need not live on the heap: {@link ArrayDataset} holds them in one float array,
 * {@link MappedImageDataset} reads them from a memory-mapped cache file. Code that trains or
 * evaluates reads batches through {@link #copyRecord(int, float[], int)}; code that genuinely
 * needs all values at once calls {@link #materialize()}, which refuses data sets too large for
 * the heap with a message saying so.
 */
public interface Dataset {

    /**
     * Returns the data set's name.
     *
     * @return a short non-blank name, for example {@code mnist}
     */
    String name();

    /**
     * Returns the number of records.
     *
     * @return {@code N}
     */
    int size();

    /**
     * Returns the record shape.
     *
     * @return a fresh copy: {@code {C,H,W}} for images, {@code {D}} for vectors
     */
    int[] shape();

    /**
     * Returns the number of floats per record.
     *
     * @return the product of {@link #shape()}
     */
    int featureSize();

    /**
     * Tells whether the records are images.
     *
     * @return {@code true} if the shape is {@code {C,H,W}}
     */
    default boolean isImage() {
        return shape().length == 3;
    }

    /**
     * Returns the class labels, one per record (the backing array where there is one; do not modify).
     *
     * @return the labels, or {@code null} if the data set is unlabelled
     */
    int[] labels();

    /**
     * Tells whether the records carry class labels.
     *
     * @return {@code true} if {@link #labels()} is not {@code null}
     */
    default boolean hasLabels() {
        return labels() != null;
    }

    /**
     * Returns display names for the labels, indexed by label value.
     *
     * @return an unmodifiable list, empty if no names are known
     */
    List<String> labelNames();

    /**
     * Returns ground-truth generative factors by name, each an {@code int[size()]}.
     *
     * @return an unmodifiable map, empty if no factors are known
     */
    Map<String, int[]> factors();

    /**
     * Returns the identifier of record {@code i}: its file path or id-column value where the
     * source has one, else the index as a decimal string.
     *
     * @param i the record index in [0, size())
     * @return the identifier, never {@code null}
     */
    String recordId(int i);

    /**
     * Returns a fingerprint of the records (values and shape), used to check that a resumed run
     * sees the same data. Must not need all values on the heap at once.
     *
     * @return 64 lower-case hex digits
     */
    String contentHash();

    /**
     * Copies record {@code i} into {@code dst} starting at {@code dstOffset}. Safe to call from
     * several threads at once.
     *
     * @param i the record index in [0, size())
     * @param dst the destination array
     * @param dstOffset where the first value goes; {@code featureSize()} values are written
     * @throws IndexOutOfBoundsException if {@code i} or the destination range is out of bounds
     */
    void copyRecord(int i, float[] dst, int dstOffset);

    /**
     * Returns a copy of record {@code i}.
     *
     * @param i the record index in [0, size())
     * @return a new array of {@link #featureSize()} values
     */
    default float[] record(int i) {
        float[] r = new float[featureSize()];
        copyRecord(i, r, 0);
        return r;
    }

    /**
     * Returns the given records, in the given order (indices may repeat), with their labels,
     * factors and ids.
     *
     * @param indices record indices, each in [0, size())
     * @return a data set of {@code indices.length} records with the same name and shape
     * @throws IndexOutOfBoundsException if an index is out of bounds
     */
    Dataset subset(int[] indices);

    /**
     * Returns the first {@code n} records (all of them if {@code n >= size()}).
     *
     * @param n the maximum number of records, non-negative
     * @return the first records
     * @throws IllegalArgumentException if {@code n} is negative
     */
    Dataset head(int n);

    /**
     * Returns the records as an in-memory {@link ArrayDataset}, for code that needs every value
     * at once.
     *
     * @return this data set itself if it is already an {@link ArrayDataset}, else a copy
     * @throws DataException if the values would take more than half of the maximum heap
     */
    ArrayDataset materialize();

    /**
     * Returns the table schema the values were encoded with, for tables ({@code csv:} data).
     *
     * @return the schema, or {@code null} for other data (the default)
     */
    default TableSchema table() {
        return null;
    }
}
