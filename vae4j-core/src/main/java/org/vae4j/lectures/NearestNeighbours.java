package org.vae4j.lectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Nearest reference image (by mean squared error per value) of query images, for judging whether a decoded image
 * looks like data: "is it close to some training image?". Squared distances come from one matrix product
 * ‖q‖² + ‖r‖² − 2 q·r per block of queries.
 */
public final class NearestNeighbours implements AutoCloseable {
    /** Queries per matrix product. */
    static final int BLOCK = 256;

    private final NDManager manager;
    private final NDArray referenceT;
    private final NDArray referenceNorms;
    private final int m;
    private final int d;
    private final int[] labels;

    /**
     * @param reference {@code m × d} reference values (e.g. training images)
     * @param m number of reference records, at least 1
     * @param d values per record
     * @param labels a label per reference record, or null
     */
    public NearestNeighbours(float[] reference, int m, int d, int[] labels) {
        if (m < 1 || d < 1 || reference.length != (long) m * d) {
            throw new IllegalArgumentException("reference: expected " + m + " × " + d + " values, got " + reference.length);
        }
        if (labels != null && labels.length != m) {
            throw new IllegalArgumentException("need one label per reference record: " + labels.length + " vs " + m);
        }
        this.m = m;
        this.d = d;
        this.labels = labels == null ? null : labels.clone();
        this.manager = NDManager.newBaseManager();
        NDArray r = manager.create(reference, new Shape(m, d));
        this.referenceT = r.transpose();
        this.referenceNorms = r.square().sum(new int[] {1}).reshape(1, m);
    }

    /**
     * Nearest reference records of some queries.
     *
     * @param mse mean squared error per value to the nearest reference record, one per query
     * @param index index of that record
     */
    public record Result(double[] mse, int[] index) {}

    /**
     * Finds the nearest reference record of each query.
     *
     * @param queries {@code n × d} values
     * @param n number of queries
     * @return distances and indices
     */
    public Result nearest(float[] queries, int n) {
        if (n < 1 || queries.length != (long) n * d) {
            throw new IllegalArgumentException("queries: expected " + n + " × " + d + " values, got " + queries.length);
        }
        double[] mse = new double[n];
        int[] index = new int[n];
        for (int start = 0; start < n; start += BLOCK) {
            int b = Math.min(BLOCK, n - start);
            float[] chunk = java.util.Arrays.copyOfRange(queries, start * d, (start + b) * d);
            try (NDManager sub = manager.newSubManager()) {
                NDArray q = sub.create(chunk, new Shape(b, d));
                NDArray qn = q.square().sum(new int[] {1}).reshape(b, 1);
                NDArray dist = qn.add(referenceNorms).sub(q.matMul(referenceT).mul(2f));
                long[] arg = dist.argMin(1).toLongArray();
                float[] min = dist.min(new int[] {1}).toFloatArray();
                for (int i = 0; i < b; i++) {
                    index[start + i] = (int) arg[i];
                    mse[start + i] = Math.max(0, min[i]) / d;
                }
            }
        }
        return new Result(mse, index);
    }

    /**
     * The label of a reference record.
     *
     * @param i reference index
     * @return its label
     * @throws IllegalStateException if no labels were given
     */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("the reference records have no labels");
        }
        return labels[i];
    }

    /**
     * Whether labels were given.
     *
     * @return true with labels
     */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * Number of reference records.
     *
     * @return m
     */
    public int size() {
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
