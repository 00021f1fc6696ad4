package org.vae4j.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import org.vae4j.nn.Scalars;

/**
 * Fills the missing pixels of images with a trained model while keeping the observed pixels exactly. Outfilling is
 * inpainting with {@link Mask#outside}.
 *
 * <ul>
 *   <li>{@link Method#ITERATIVE}: iterated posterior completion. Start with each record's missing values set to
 *       the mean of its observed values (per channel), then repeat: encode the current image, decode the mean
 *       E[x | z = μ], and copy the decoded values into the missing pixels only.
 *   <li>{@link Method#OPTIMIZE}: latent optimisation. Starting from μ of that initial fill, Adam on z maximises
 *       log p(x_observed | z) + log p(z), the model's own likelihood restricted to the observed values plus the
 *       N(0, I) prior (up to a constant), then the missing pixels are set to E[x | z].
 * </ul>
 *
 * <p>A conditional model fills given each record's label: encoder and decoder see it, so the fill is of that class.
 */
public final class Inpainting {
    /** Default Adam step size for {@link Method#OPTIMIZE}. */
    public static final double DEFAULT_LR = 0.05;

    private Inpainting() {}

    /** How to fill. */
    public enum Method {
        /** Iterated posterior completion. */
        ITERATIVE(20),
        /** Adam on z against the observed-pixel likelihood plus the prior. */
        OPTIMIZE(200);

        private final int defaultIterations;

        Method(int defaultIterations) {
            this.defaultIterations = defaultIterations;
        }

        /**
         * A sensible number of iterations for this method.
         *
         * @return 20 completion rounds or 200 Adam steps
         */
        public int defaultIterations() {
            return defaultIterations;
        }

        /**
         * Parses {@code iterative} or {@code optimize} (also {@code optimise}).
         *
         * @param s the name
         * @return the method
         */
        public static Method parse(String s) {
            String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            switch (k) {
                case "iterative":
                    return ITERATIVE;
                case "optimize":
                case "optimise":
                    return OPTIMIZE;
                default:
                    throw new IllegalArgumentException("--method must be iterative or optimize, got '" + s + "'");
            }
        }
    }

    /**
     * Fills the missing values of {@code n} records.
     *
     * @param model an image model (records C×H×W matching the mask's size)
     * @param records {@code n × C·H·W} values as the model sees them; missing values are ignored
     * @param n number of records
     * @param mask which pixels are missing
     * @param method how to fill
     * @param iterations completion rounds or Adam steps, at least 1
     * @return {@code n × C·H·W} values: the observed values unchanged, the missing ones filled
     */
    public static float[] inpaint(VaeModel model, float[] records, int n, Mask mask, Method method, int iterations) {
        return inpaint(model, records, n, mask, method, iterations, DEFAULT_LR);
    }

    /**
     * As {@link #inpaint(VaeModel, float[], int, Mask, Method, int)} with an explicit Adam step size (used by
     * {@link Method#OPTIMIZE} only).
     *
     * @param model an image model (records C×H×W matching the mask's size)
     * @param records {@code n × C·H·W} values as the model sees them; missing values are ignored
     * @param n number of records
     * @param mask which pixels are missing
     * @param method how to fill
     * @param iterations completion rounds or Adam steps, at least 1
     * @param lr Adam step size
     * @return {@code n × C·H·W} values: the observed values unchanged, the missing ones filled
     */
    public static float[] inpaint(VaeModel model, float[] records, int n, Mask mask, Method method, int iterations, double lr) {
        return inpaint(model, records, n, null, mask, method, iterations, lr);
    }

    /**
     * Fills the missing values of {@code n} records given their labels (conditional models).
     *
     * @param model an image model (records C×H×W matching the mask's size) that encodes and decodes
     * @param records {@code n × C·H·W} values as the model sees them; missing values are ignored
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @param mask which pixels are missing
     * @param method how to fill
     * @param iterations completion rounds or Adam steps, at least 1
     * @return {@code n × C·H·W} values: the observed values unchanged, the missing ones filled
     */
    public static float[] inpaint(VaeModel model, float[] records, int n, int[] labels, Mask mask, Method method, int iterations) {
        return inpaint(model, records, n, labels, mask, method, iterations, DEFAULT_LR);
    }

    /**
     * Fills the missing values of {@code n} records given their labels, with an explicit Adam step size.
     *
     * @param model an image model (records C×H×W matching the mask's size) that encodes and decodes
     * @param records {@code n × C·H·W} values as the model sees them; missing values are ignored
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @param mask which pixels are missing
     * @param method how to fill
     * @param iterations completion rounds or Adam steps, at least 1
     * @param lr Adam step size ({@link Method#OPTIMIZE} only)
     * @return {@code n × C·H·W} values: the observed values unchanged, the missing ones filled
     */
    public static float[] inpaint(VaeModel model, float[] records, int n, int[] labels, Mask mask, Method method, int iterations,
                                  double lr) {
        model.require(Capability.ENCODES, "inpainting");
        model.require(Capability.DECODES, "inpainting");
        if (method == Method.OPTIMIZE) {
            // the objective includes the prior log p(z) = log N(z; 0, I)
            model.require(Capability.SAMPLES, "inpainting --method optimize");
        }
        Conditions.check(model, labels, n, "inpainting");
        int[] hw = Encodings.imageSize(model, "inpainting");
        if (hw[0] != mask.height() || hw[1] != mask.width()) {
            throw new IllegalArgumentException("mask " + mask.description() + " is for a " + Mask.size(mask.height(), mask.width())
                    + " image but the model's images are " + Mask.size(hw[0], hw[1]));
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
        int channels = Encodings.channels(model);
        int d = model.featureSize();
        Mask.checkRecords(records, n, d);
        boolean[] missing = mask.values(channels);
        float[] x = initialFill(records, n, channels, mask);
        if (method == Method.ITERATIVE) {
            for (int it = 0; it < iterations; it++) {
                float[] r = Encodings.reconstruct(model, x, n, labels);
                keepObserved(x, r, n, missing);
            }
            return x;
        }
        float[] start = Encodings.encode(model, x, n, labels).mu();
        float[] z = optimize(model, records, n, labels, missing, start, iterations, lr);
        keepObserved(x, Encodings.decode(model, z, n, labels), n, missing);
        return x;
    }

    /**
     * The starting point of both methods: each record's missing values set to the mean of its observed values in
     * the same channel.
     *
     * @param records {@code n × C·H·W} values
     * @param n number of records
     * @param channels C
     * @param mask which pixels are missing
     * @return the filled copy
     */
    public static float[] initialFill(float[] records, int n, int channels, Mask mask) {
        int plane = mask.height() * mask.width();
        int d = channels * plane;
        Mask.checkRecords(records, n, d);
        float[] out = records.clone();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = i * d + c * plane;
                double sum = 0;
                int count = 0;
                for (int p = 0; p < plane; p++) {
                    if (!mask.isMissing(p % mask.width(), p / mask.width())) {
                        sum += records[base + p];
                        count++;
                    }
                }
                float fill = count == 0 ? 0.5f : (float) (sum / count);
                for (int p = 0; p < plane; p++) {
                    if (mask.isMissing(p % mask.width(), p / mask.width())) {
                        out[base + p] = fill;
                    }
                }
            }
        }
        return out;
    }

    /**
     * A baseline: the missing values of every record taken from one fixed image (e.g. the training-set mean).
     *
     * @param records {@code n × C·H·W} values
     * @param n number of records
     * @param channels C
     * @param mask which pixels are missing
     * @param image {@code C·H·W} values
     * @return the filled copy
     */
    public static float[] fillWith(float[] records, int n, int channels, Mask mask, float[] image) {
        int d = channels * mask.height() * mask.width();
        Mask.checkRecords(records, n, d);
        Mask.checkRecords(image, 1, d);
        float[] out = records.clone();
        boolean[] missing = mask.values(channels);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (missing[j]) {
                    out[i * d + j] = image[j];
                }
            }
        }
        return out;
    }

    /**
     * The per-value mean of some records.
     *
     * @param records {@code n × d} values
     * @param n number of records
     * @param d values per record
     * @return {@code d} means
     */
    public static float[] meanImage(float[] records, int n, int d) {
        Mask.checkRecords(records, n, d);
        double[] s = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                s[j] += records[i * d + j];
            }
        }
        float[] out = new float[d];
        for (int j = 0; j < d; j++) {
            out[j] = (float) (s[j] / n);
        }
        return out;
    }

    /**
     * How well some fills match the truth on the missing values.
     *
     * @param n number of records
     * @param maskedValues missing values per record (missing pixels × channels)
     * @param meanSquaredError mean over records and missing values of the squared error
     * @param perRecord each record's mean squared error over its missing values
     */
    public record Score(int n, int maskedValues, double meanSquaredError, double[] perRecord) {}

    /**
     * Scores fills of {@code n} records on the values a mask marks missing.
     *
     * @param truth {@code n × C·H·W} true values
     * @param filled {@code n × C·H·W} filled values
     * @param n number of records
     * @param channels C
     * @param mask which pixels are missing
     * @return the mean squared error per missing value, overall and per record
     */
    public static Score score(float[] truth, float[] filled, int n, int channels, Mask mask) {
        int d = channels * mask.height() * mask.width();
        Mask.checkRecords(truth, n, d);
        Mask.checkRecords(filled, n, d);
        int values = mask.missingPixels() * channels;
        double[] per = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            float[] t = java.util.Arrays.copyOfRange(truth, i * d, (i + 1) * d);
            float[] f = java.util.Arrays.copyOfRange(filled, i * d, (i + 1) * d);
            double e = ImageMetrics.maskedSquaredError(t, f, 1, channels, mask);
            per[i] = e / values;
            total += e;
        }
        return new Score(n, values, total / ((double) n * values), per);
    }

    /**
     * Inpaints {@code n} records with a model and scores the fill against the records themselves (their missing
     * values are known here, only hidden from the model).
     *
     * @param model an image model
     * @param records {@code n × C·H·W} complete records as the model sees them
     * @param n number of records
     * @param mask which pixels to hide and fill
     * @param method how to fill
     * @param iterations completion rounds or Adam steps
     * @return the fill's score
     */
    public static Score inpaintAndScore(VaeModel model, float[] records, int n, Mask mask, Method method, int iterations) {
        return inpaintAndScore(model, records, n, null, mask, method, iterations);
    }

    /**
     * Inpaints {@code n} records given their labels (conditional models) and scores the fill against the records.
     *
     * @param model an image model
     * @param records {@code n × C·H·W} complete records as the model sees them
     * @param n number of records
     * @param labels one per record for a conditional model, null for an unconditional one
     * @param mask which pixels to hide and fill
     * @param method how to fill
     * @param iterations completion rounds or Adam steps
     * @return the fill's score
     */
    public static Score inpaintAndScore(VaeModel model, float[] records, int n, int[] labels, Mask mask, Method method, int iterations) {
        float[] filled = inpaint(model, records, n, labels, mask, method, iterations);
        return score(records, filled, n, Encodings.channels(model), mask);
    }

    private static void keepObserved(float[] x, float[] decoded, int n, boolean[] missing) {
        int d = missing.length;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (missing[j]) {
                    x[i * d + j] = decoded[i * d + j];
                }
            }
        }
    }

    /** Adam on z: minimise −log p(x_obs | z) + ½‖z‖² with the likelihood evaluated on observed values only. */
    private static float[] optimize(VaeModel model, float[] records, int n, int[] labels, boolean[] missing, float[] start,
                                    int iterations, double lr) {
        int d = missing.length;
        int observed = 0;
        for (boolean m : missing) {
            if (!m) {
                observed++;
            }
        }
        int p = model.likelihood().paramsPerValue();
        // the likelihoods factorise over values, so the observed-value likelihood is the likelihood of the
        // observed columns: gather them from the decoder output (N, P, D) and from the data
        long[] index = new long[n * p * observed];
        float[] xObs = new float[n * observed];
        int k = 0;
        for (int j = 0; j < d; j++) {
            if (!missing[j]) {
                for (int i = 0; i < n; i++) {
                    xObs[i * observed + k] = records[i * d + j];
                    for (int q = 0; q < p; q++) {
                        index[(i * p + q) * observed + k] = j;
                    }
                }
                k++;
            }
        }
        Scalars s = model.scalars();
        try (NDManager constants = model.manager().newSubManager()) {
            NDArray idx = constants.create(index, new Shape(n, p, observed));
            NDArray target = constants.create(xObs, new Shape(n, observed));
            NDArray condition = model.condition(constants, labels);
            LatentOptimizer.Result r = LatentOptimizer.minimize(model, constants, start, n, iterations, lr, z -> {
                NDArray params = model.decoderOutput(z, condition, false).gather(idx, 2);
                NDArray nll = model.likelihood().nll(params, target, s);
                return nll.add(z.square().sum(new int[] {1}).mul(s.of(0.5)));
            });
            return r.codes();
        }
    }
}
