package org.vae4j.generate;

import java.util.ArrayList;
import java.util.List;
import org.vae4j.data.Dataset;
import org.vae4j.data.TableSchema;
import org.vae4j.model.VaeModel;

/**
 * How closely synthetic rows follow real ones, column by column and pair by pair: the marginals (mean and standard
 * deviation in the file's units for continuous columns, the share of ones for binary columns, the category shares for
 * categorical ones) and the Pearson correlations between the numeric (continuous and binary) columns.
 *
 * <p>Both sets of rows are encoded with the same {@link TableSchema} (as {@link TableSamples} emits them and as the CSV
 * data source loads a file with a model's schema). Missing cells (NaN) are left out: a column's figures use its
 * observed cells, a pair's correlation the rows where both are observed. Categorical columns are not in the
 * correlations; at most {@value #MAX_CORRELATED} numeric columns (the first ones) are.
 *
 * @param realRows real rows compared
 * @param syntheticRows synthetic rows compared
 * @param columns one entry per schema column, in order
 * @param pairs one entry per pair of correlated columns (upper triangle, in column order)
 */
public record TableFidelity(long realRows, long syntheticRows, List<ColumnFidelity> columns, List<PairFidelity> pairs) {
    /** Most numeric columns whose pairwise correlations are compared. */
    public static final int MAX_CORRELATED = 100;

    /** Copies the lists. */
    public TableFidelity {
        columns = List.copyOf(columns);
        pairs = List.copyOf(pairs);
    }

    /**
     * One column's marginals, real against synthetic.
     *
     * @param name the column
     * @param type its schema type
     * @param real for continuous columns {mean, sd} in the file's units; for binary {share of ones}; for categorical
     *     the share of each category of the schema, then of {@link TableSchema#OTHER}
     * @param synthetic the same for the synthetic rows
     * @param distance one figure for the gap: for continuous columns |Δmean| / real sd + |log(sd ratio)|, for binary
     *     |Δshare|, for categorical the total-variation distance ½·Σ|Δshare|; NaN when a side has no observed cell
     */
    public record ColumnFidelity(String name, String type, double[] real, double[] synthetic, double distance) {
        /** Copies the arrays. */
        public ColumnFidelity {
            real = real.clone();
            synthetic = synthetic.clone();
        }
    }

    /**
     * The correlation of two numeric columns in real and synthetic rows (NaN where a column is constant or unobserved).
     *
     * @param a the first column
     * @param b the second column
     * @param real Pearson correlation in the real rows
     * @param synthetic in the synthetic rows
     */
    public record PairFidelity(String a, String b, double real, double synthetic) {
        /** |real − synthetic|, NaN when either is undefined. */
        public double difference() {
            return Math.abs(real - synthetic);
        }
    }

    /**
     * Compares two sets of encoded rows held in memory.
     *
     * @param t the schema both are encoded with
     * @param real {@code realRows × t.width()} values
     * @param synthetic {@code syntheticRows × t.width()} values
     */
    public static TableFidelity compare(TableSchema t, float[] real, int realRows, float[] synthetic, int syntheticRows) {
        Accumulator r = new Accumulator(t);
        r.add(real, 0, realRows);
        Accumulator s = new Accumulator(t);
        s.add(synthetic, 0, syntheticRows);
        return of(r, s);
    }

    /**
     * Draws {@code syntheticRows} rows from a table model ({@link TableSamples}) and compares them with the rows of
     * {@code real} (encoded with the model's schema). A conditional model's rows get labels drawn in {@code real}'s
     * label shares, so both sides have the same mix.
     *
     * @param model a table model
     * @param real real rows, e.g. the held-out split
     * @param syntheticRows rows to draw
     * @param seed seed of the rows (and labels)
     * @param draw how codes become rows
     */
    public static TableFidelity measure(VaeModel model, Dataset real, int syntheticRows, long seed, TableSamples.Draw draw) {
        return measure(model, real, syntheticRows, seed, CodeSampler.PRIOR, draw);
    }

    /**
     * {@link #measure(VaeModel, Dataset, int, long, TableSamples.Draw)} with codes from {@code sampler}.
     *
     * @param sampler where the codes come from (the prior, or a fit from {@link Samplers})
     */
    public static TableFidelity measure(VaeModel model, Dataset real, int syntheticRows, long seed, CodeSampler sampler,
            TableSamples.Draw draw) {
        TableSchema t = TableSamples.schema(model);
        if (real.featureSize() != t.width()) {
            throw new IllegalArgumentException(real.name() + ": records have " + real.featureSize() + " values, the model's table schema "
                    + t.width());
        }
        Accumulator r = new Accumulator(t);
        float[] row = new float[t.width()];
        for (int i = 0; i < real.size(); i++) {
            real.copyRecord(i, row, 0);
            r.add(row, 0, 1);
        }
        int[] labels = null;
        if (model.conditional()) {
            if (!real.hasLabels()) {
                throw new IllegalArgumentException(real.name() + " has no labels, and a conditional model's rows need some");
            }
            double[] shares = new double[model.classes()];
            for (int l : real.labels()) {
                if (l >= 0 && l < shares.length) {
                    shares[l]++;
                }
            }
            labels = TableSamples.drawLabels(shares, syntheticRows, seed);
        }
        Accumulator s = new Accumulator(t);
        try {
            TableSamples.forEachBatch(model, syntheticRows, seed, labels, sampler, draw, PriorSamples.DEFAULT_BATCH, (start, v, b) -> s.add(v, 0, b));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // the accumulator does no I/O
        }
        return of(r, s);
    }

    /** The comparison of what two accumulators have seen (over the same schema). */
    public static TableFidelity of(Accumulator real, Accumulator synthetic) {
        TableSchema t = real.t;
        if (!t.equals(synthetic.t)) {
            throw new IllegalArgumentException("real and synthetic rows are encoded with different table schemas");
        }
        List<ColumnFidelity> cols = new ArrayList<>();
        for (int i = 0; i < t.columns().size(); i++) {
            TableSchema.Column c = t.columns().get(i);
            double[] a = real.marginal(i);
            double[] b = synthetic.marginal(i);
            double dist;
            if (c.type().equals(TableSchema.CONTINUOUS)) {
                dist = Math.abs(a[0] - b[0]) / (a[1] > 0 ? a[1] : c.std()) + Math.abs(Math.log(b[1] / a[1]));
                if (a[1] == 0 && b[1] == 0) {
                    dist = Math.abs(a[0] - b[0]) / c.std();
                }
            } else if (c.type().equals(TableSchema.BINARY)) {
                dist = Math.abs(a[0] - b[0]);
            } else {
                double tv = 0;
                for (int k = 0; k < a.length; k++) {
                    tv += Math.abs(a[k] - b[k]);
                }
                dist = tv / 2;
            }
            cols.add(new ColumnFidelity(c.name(), c.type(), a, b, dist));
        }
        List<PairFidelity> pairs = new ArrayList<>();
        int[] num = real.numeric;
        for (int p = 0; p < num.length; p++) {
            for (int q = p + 1; q < num.length; q++) {
                pairs.add(new PairFidelity(t.columns().get(num[p]).name(), t.columns().get(num[q]).name(),
                        real.correlation(p, q), synthetic.correlation(p, q)));
            }
        }
        return new TableFidelity(real.rows, synthetic.rows, cols, pairs);
    }

    /** Mean |Δcorrelation| over the pairs where both are defined; NaN without such pairs. */
    public double meanCorrelationDifference() {
        double s = 0;
        int k = 0;
        for (PairFidelity p : pairs) {
            if (!Double.isNaN(p.difference())) {
                s += p.difference();
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    /** The pair with the largest |Δcorrelation|, or null without defined pairs. */
    public PairFidelity worstPair() {
        PairFidelity w = null;
        for (PairFidelity p : pairs) {
            if (!Double.isNaN(p.difference()) && (w == null || p.difference() > w.difference())) {
                w = p;
            }
        }
        return w;
    }

    /** The column with the largest {@link ColumnFidelity#distance()}, or null when none is defined. */
    public ColumnFidelity worstColumn() {
        ColumnFidelity w = null;
        for (ColumnFidelity c : columns) {
            if (!Double.isNaN(c.distance()) && (w == null || c.distance() > w.distance())) {
                w = c;
            }
        }
        return w;
    }

    /**
     * Running sums over encoded rows, in bounded memory (any number of rows): per value its observed count, sum and sum
     * of squares, per pair of numeric columns the sums over the rows where both are observed.
     */
    public static final class Accumulator {
        private final TableSchema t;
        private final int[] offsets;
        private final int[] numeric;
        private final long[] count;
        private final double[] sum;
        private final double[] sumSq;
        /** Per pair (p < q of {@link #numeric}): n, Σx, Σy, Σx², Σy², Σxy. */
        private final double[] pair;
        private long rows;

        /** An empty accumulator for rows encoded with {@code t}. */
        public Accumulator(TableSchema t) {
            this.t = t;
            int c = t.columns().size();
            offsets = new int[c];
            List<Integer> num = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                offsets[i] = t.offset(i);
                if (!t.columns().get(i).categorical() && num.size() < MAX_CORRELATED) {
                    num.add(i);
                }
            }
            numeric = num.stream().mapToInt(Integer::intValue).toArray();
            int w = t.width();
            count = new long[w];
            sum = new double[w];
            sumSq = new double[w];
            pair = new double[6 * numeric.length * Math.max(0, numeric.length - 1) / 2];
        }

        /** Adds {@code n} rows from {@code values[offset ..]}. */
        public void add(float[] values, int offset, int n) {
            int w = t.width();
            int m = numeric.length;
            double[] x = new double[m];
            for (int r = 0; r < n; r++) {
                int base = offset + r * w;
                for (int j = 0; j < w; j++) {
                    float v = values[base + j];
                    if (!Float.isNaN(v)) {
                        count[j]++;
                        sum[j] += v;
                        sumSq[j] += (double) v * v;
                    }
                }
                for (int p = 0; p < m; p++) {
                    x[p] = values[base + offsets[numeric[p]]];
                }
                int k = 0;
                for (int p = 0; p < m; p++) {
                    for (int q = p + 1; q < m; q++, k += 6) {
                        if (!Double.isNaN(x[p]) && !Double.isNaN(x[q])) {
                            pair[k]++;
                            pair[k + 1] += x[p];
                            pair[k + 2] += x[q];
                            pair[k + 3] += x[p] * x[p];
                            pair[k + 4] += x[q] * x[q];
                            pair[k + 5] += x[p] * x[q];
                        }
                    }
                }
            }
            rows += n;
        }

        /** Rows added. */
        public long rows() {
            return rows;
        }

        /** Column {@code i}'s marginal as {@link ColumnFidelity#real()} describes it (NaN when unobserved). */
        double[] marginal(int i) {
            TableSchema.Column c = t.columns().get(i);
            int o = offsets[i];
            if (c.categorical()) {
                double[] shares = new double[c.width()];
                // a missing categorical cell is NaN in every slot, so the first slot's count is the group's
                long n = count[o];
                for (int k = 0; k < shares.length; k++) {
                    shares[k] = n == 0 ? Double.NaN : sum[o + k] / n;
                }
                return shares;
            }
            long n = count[o];
            double mean = n == 0 ? Double.NaN : sum[o] / n;
            if (c.type().equals(TableSchema.BINARY)) {
                return new double[] {mean};
            }
            double var = n == 0 ? Double.NaN : Math.max(0, sumSq[o] / n - mean * mean);
            return new double[] {mean * c.std() + c.mean(), Math.sqrt(var) * c.std()};
        }

        /** Pearson correlation of numeric columns p < q (indices into {@link #numeric}). */
        double correlation(int p, int q) {
            int m = numeric.length;
            // index of (p, q) in the upper triangle, row by row
            int k = 6 * (p * m - p * (p + 1) / 2 + (q - p - 1));
            double n = pair[k];
            if (n < 2) {
                return Double.NaN;
            }
            double cov = pair[k + 5] / n - (pair[k + 1] / n) * (pair[k + 2] / n);
            double vx = pair[k + 3] / n - (pair[k + 1] / n) * (pair[k + 1] / n);
            double vy = pair[k + 4] / n - (pair[k + 2] / n) * (pair[k + 2] / n);
            if (!(vx > 1e-12) || !(vy > 1e-12)) {
                return Double.NaN;
            }
            return Math.max(-1, Math.min(1, cov / Math.sqrt(vx * vy)));
        }
    }
}
