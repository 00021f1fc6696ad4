package org.vae4j.judge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Improved precision and recall of a generative model (Kynkäänniemi, Karras, Laine, Lehtinen, Aila 2019, "Improved
 * Precision and Recall Metric for Assessing Generative Models"), in any feature space.
 *
 * <p>Each set of feature vectors stands for a manifold: the union of balls around its vectors, each ball's radius the
 * distance to that vector's k-th nearest neighbour within the set (itself excluded). <b>Precision</b> is the share of
 * generated vectors that lie inside the real manifold (are the samples realistic?); <b>recall</b> the share of real
 * vectors inside the generated manifold (is all of the data's variety generated?). Identical sets give 1 and 1; sets
 * far apart give 0 and 0. The paper uses k = 3.
 *
 * <p>Memory is bounded: squared distances come {@value #BLOCK_VALUES} at a time (a block of query rows against all
 * reference rows) from a double-precision matrix product on the engine, |a − b|² = |a|² + |b|² − 2 a·b (clipped at
 * 0), and only k values per row are kept. 5,000 samples against 10,000 references take about 10⁸ distances, a few
 * seconds on two cores.
 */
public final class KnnManifolds {
    /** Most squared distances held at once (a block of rows × all reference rows). */
    static final int BLOCK_VALUES = 4_000_000;

    private KnnManifolds() {}

    /**
     * Precision, recall and the k they were measured with.
     *
     * @param precision share of generated vectors inside the real manifold
     * @param recall share of real vectors inside the generated manifold
     * @param k the neighbour whose distance is each ball's radius
     */
    public record PrecisionRecall(double precision, double recall, int k) {}

    /** Receives one block of squared distances. */
    @FunctionalInterface
    interface BlockVisitor {
        /**
         * @param rowStart index of the block's first query row
         * @param rows query rows in the block
         * @param d2 {@code rows × referenceRows} squared distances, row-major
         */
        void visit(int rowStart, int rows, double[] d2);
    }

    /**
     * For each of {@code n} vectors the squared distance to its k-th nearest other vector of the same set.
     *
     * @param x {@code n × width} values, row-major
     * @throws IllegalArgumentException if {@code n <= k} or {@code k < 1}
     */
    public static double[] radii2(float[] x, int n, int width, int k) {
        if (k < 1 || n <= k) {
            throw new IllegalArgumentException("the k-th nearest neighbour needs k >= 1 and more than k vectors; got k = " + k
                    + " and " + n + " vectors");
        }
        double[] out = new double[n];
        blocks(x, n, x, n, width, (start, rows, d2) -> {
            double[] best = new double[k];
            for (int i = 0; i < rows; i++) {
                java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
                int self = start + i;
                int base = i * n;
                for (int j = 0; j < n; j++) {
                    double v = d2[base + j];
                    if (v < best[k - 1] && j != self) {
                        int p = k - 1;
                        while (p > 0 && best[p - 1] > v) {
                            best[p] = best[p - 1];
                            p--;
                        }
                        best[p] = v;
                    }
                }
                out[self] = best[k - 1];
            }
        });
        return out;
    }

    /**
     * The share of {@code nq} query vectors that lie in the manifold of {@code nr} reference vectors: within the
     * squared radius {@code r2[j]} of at least one reference vector j.
     */
    public static double coverage(float[] q, int nq, float[] r, int nr, int width, double[] r2) {
        if (r2.length != nr) {
            throw new IllegalArgumentException(r2.length + " radii for " + nr + " reference vectors");
        }
        if (nq == 0) {
            return Double.NaN;
        }
        long[] inside = new long[1];
        blocks(q, nq, r, nr, width, (start, rows, d2) -> {
            for (int i = 0; i < rows; i++) {
                int base = i * nr;
                for (int j = 0; j < nr; j++) {
                    if (d2[base + j] <= r2[j]) {
                        inside[0]++;
                        break;
                    }
                }
            }
        });
        return (double) inside[0] / nq;
    }

    /**
     * Precision and recall of generated vectors against real ones.
     *
     * @param real {@code nr × width} real feature vectors
     * @param realRadii2 their {@link #radii2} with this k, or null to compute them (pass them when judging several
     *     sample sets against the same data)
     * @param fake {@code nf × width} generated feature vectors
     * @param k the neighbour that sets each ball's radius (3 in the paper)
     */
    public static PrecisionRecall of(float[] real, int nr, double[] realRadii2, float[] fake, int nf, int width, int k) {
        double[] rr = realRadii2 != null ? realRadii2 : radii2(real, nr, width, k);
        double[] fr = radii2(fake, nf, width, k);
        return new PrecisionRecall(coverage(fake, nf, real, nr, width, rr), coverage(real, nr, fake, nf, width, fr), k);
    }

    /** Visits the squared distances of every query row to every reference row, a block of query rows at a time. */
    static void blocks(float[] q, int nq, float[] r, int nr, int width, BlockVisitor visitor) {
        if (width < 1 || q.length < (long) nq * width || r.length < (long) nr * width) {
            throw new IllegalArgumentException("feature arrays too short for " + nq + " and " + nr + " vectors of " + width);
        }
        double[] rn = norms2(r, nr, width);
        double[] qn = q == r ? rn : norms2(q, nq, width);
        int block = Math.max(1, Math.min(nq, BLOCK_VALUES / Math.max(1, nr)));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray rt = m.create(toDouble(r, 0, nr * width), new Shape(nr, width)).transpose();
            for (int start = 0; start < nq; start += block) {
                int rows = Math.min(block, nq - start);
                try (NDManager sub = m.newSubManager()) {
                    NDArray qb = sub.create(toDouble(q, start * width, rows * width), new Shape(rows, width));
                    double[] d2 = qb.dot(rt).toDoubleArray();
                    for (int i = 0; i < rows; i++) {
                        double a = qn[start + i];
                        int base = i * nr;
                        for (int j = 0; j < nr; j++) {
                            d2[base + j] = Math.max(0, a + rn[j] - 2 * d2[base + j]);
                        }
                    }
                    visitor.visit(start, rows, d2);
                }
            }
        }
    }

    private static double[] norms2(float[] x, int n, int width) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < width; j++) {
                double v = x[i * width + j];
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }

    private static double[] toDouble(float[] x, int offset, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = x[offset + i];
        }
        return out;
    }
}
