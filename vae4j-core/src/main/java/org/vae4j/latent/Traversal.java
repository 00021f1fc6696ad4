package org.vae4j.latent;

import java.util.Arrays;
import org.vae4j.model.Capability;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;

/**
 * Latent traversals (Higgins et al. 2017): vary one latent dimension over a range while the others stay fixed, and
 * decode. Dimensions are ranked by how much information they carry on a data set: their mean
 * KL(q(z_j|x) ‖ N(0, 1)) for models with a posterior distribution, the variance of μ_j across records for
 * deterministic ones. A conditional model traverses within a class: its label is held fixed along every row.
 */
public final class Traversal {
    private Traversal() {}

    /**
     * Per-dimension scores of a model on some data.
     *
     * @param scores one value per latent dimension
     * @param measure {@code "KL"} (mean KL in nats) or {@code "var"} (variance of μ, for deterministic models)
     */
    public record Ranking(double[] scores, String measure) {
        /**
         * Dimensions by decreasing score (ties: lower index first), the first {@code k} of them.
         *
         * @param k how many, 1..latent
         * @return dimension indices
         */
        public int[] top(int k) {
            return topDimensions(scores, k);
        }
    }

    /**
     * Ranks the latent dimensions on {@code n} records.
     *
     * @param model the model
     * @param records {@code n × featureSize} values as the model sees them
     * @param n number of records
     * @return the scores and what they measure
     */
    public static Ranking rank(VaeModel model, float[] records, int n) {
        return rank(model, records, n, null);
    }

    /**
     * Ranks the latent dimensions on {@code n} records encoded given their labels (conditional models).
     *
     * @param model a model that encodes
     * @param records {@code n × featureSize} values as the model sees them
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @return the scores and what they measure
     */
    public static Ranking rank(VaeModel model, float[] records, int n, int[] labels) {
        model.require(Capability.ENCODES, "ranking latent dimensions");
        Conditions.check(model, labels, n, "ranking latent dimensions");
        Posterior p = Encodings.encode(model, records, n, labels);
        int l = model.latent();
        double[] score = new double[l];
        float[] mu = p.mu();
        float[] lv = p.logvar();
        if (model.can(Capability.POSTERIOR) && lv != null) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < l; j++) {
                    double m = mu[i * l + j];
                    double v = lv[i * l + j];
                    score[j] += 0.5 * (m * m + Math.exp(v) - v - 1);
                }
            }
            for (int j = 0; j < l; j++) {
                score[j] /= n;
            }
            return new Ranking(score, "KL");
        }
        double[] mean = new double[l];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < l; j++) {
                mean[j] += mu[i * l + j];
            }
        }
        for (int j = 0; j < l; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < l; j++) {
                double e = mu[i * l + j] - mean[j];
                score[j] += e * e;
            }
        }
        for (int j = 0; j < l; j++) {
            score[j] /= n;
        }
        return new Ranking(score, "var");
    }

    /**
     * The {@code k} indices with the largest scores, largest first (ties: lower index first).
     *
     * @param scores one per dimension
     * @param k how many, 1..scores.length
     * @return dimension indices
     */
    public static int[] topDimensions(double[] scores, int k) {
        if (k < 1 || k > scores.length) {
            throw new IllegalArgumentException("--dims must be in 1.." + scores.length + " (the latent size), got " + k);
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /**
     * Evenly spaced values from −range to +range inclusive.
     *
     * @param range positive half-width
     * @param steps at least 2
     * @return {@code steps} values
     */
    public static double[] values(double range, int steps) {
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("--range must be a positive number, got " + range);
        }
        if (steps < 2) {
            throw new IllegalArgumentException("--steps must be at least 2, got " + steps);
        }
        double[] v = new double[steps];
        for (int s = 0; s < steps; s++) {
            v[s] = -range + 2 * range * s / (steps - 1);
        }
        return v;
    }

    /**
     * The codes of a traversal: one row per dimension in {@code dims}, each with {@code steps} codes equal to
     * {@code base} except that dimension, which takes the values of {@link #values(double, int)}.
     *
     * @param base the fixed code
     * @param dims the dimensions to sweep, one row each
     * @param range positive half-width of the sweep
     * @param steps codes per row, at least 2
     * @return {@code dims.length · steps × latent} codes, row-major
     */
    public static float[] codes(float[] base, int[] dims, double range, int steps) {
        double[] v = values(range, steps);
        int l = base.length;
        float[] out = new float[dims.length * steps * l];
        for (int r = 0; r < dims.length; r++) {
            if (dims[r] < 0 || dims[r] >= l) {
                throw new IllegalArgumentException("latent dimension " + dims[r] + " is out of range (the latent has " + l + ")");
            }
            for (int s = 0; s < steps; s++) {
                int off = (r * steps + s) * l;
                System.arraycopy(base, 0, out, off, l);
                out[off + dims[r]] = (float) v[s];
            }
        }
        return out;
    }

    /**
     * Decoded traversal images, one row per dimension (see {@link #codes}).
     *
     * @param model the model
     * @param base the fixed code (a record's μ, or zeros)
     * @param dims the dimensions to sweep, one row each
     * @param range positive half-width of the sweep
     * @param steps images per row, at least 2
     * @return {@code dims.length · steps × featureSize} values
     */
    public static float[] decode(VaeModel model, float[] base, int[] dims, double range, int steps) {
        return decode(model, base, dims, range, steps, null);
    }

    /**
     * Decoded traversal images within a class, for conditional models: every image is decoded given {@code label}.
     *
     * @param model a conditional model that decodes
     * @param base the fixed code (a record's μ given the label, or zeros)
     * @param dims the dimensions to sweep, one row each
     * @param range positive half-width of the sweep
     * @param steps images per row, at least 2
     * @param label the class held fixed
     * @return {@code dims.length · steps × featureSize} values
     */
    public static float[] decode(VaeModel model, float[] base, int[] dims, double range, int steps, int label) {
        return decode(model, base, dims, range, steps, Integer.valueOf(label));
    }

    private static float[] decode(VaeModel model, float[] base, int[] dims, double range, int steps, Integer label) {
        model.require(Capability.DECODES, "traversal");
        if (base.length != model.latent()) {
            throw new IllegalArgumentException("base code has " + base.length + " values but the latent has " + model.latent());
        }
        float[] codes = codes(base, dims, range, steps);
        int n = dims.length * steps;
        int[] labels = label == null ? Conditions.check(model, null, n, "traversal") : Conditions.fixed(model, label, n, "traversal");
        return Encodings.decode(model, codes, n, labels);
    }
}
