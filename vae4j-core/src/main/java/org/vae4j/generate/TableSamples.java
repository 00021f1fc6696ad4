package org.vae4j.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.vae4j.data.TableSchema;
import org.vae4j.likelihood.CompositeLikelihood;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/**
 * Synthetic rows of a table model: codes z from the prior N(0, I), decoded, and turned into rows of the table the
 * model was trained on (like SDV's TVAE).
 *
 * <p>Rows come out in two forms: <em>encoded</em>, in the schema's value layout ({@link TableSchema}: standardised
 * continuous values, 0/1 binary values, one-hot category groups), which {@link TableFidelity} compares with real rows
 * encoded the same way; and as <em>cells</em> in the file's own terms ({@link #cells}): original units (the stored
 * standardisation undone), 0/1, category names.
 *
 * <p>Two ways from z to a row ({@link Draw}):
 *
 * <ul>
 *   <li>{@link Draw#SAMPLE} (the default): a draw from p(x|z): a continuous value is μ + σ·ε with the decoder's mean
 *       and variance, a binary value is 1 with the decoder's probability, a category is drawn from the decoder's
 *       categorical distribution. The rows then have the spread of the data: the marginals (and the shares of rare
 *       categories) are those the model learned.
 *   <li>{@link Draw#MEAN}: the decoder's most likely value: the Gaussian mean, 1 when p(1) ≥ 0.5, the most probable
 *       category. Smoother rows; continuous columns are narrower than the data and rare categories are under-drawn,
 *       since every row takes the mode.
 * </ul>
 *
 * <p>Continuous columns whose real values are all whole numbers ({@link #integralColumns}) can be written rounded
 * ({@link #cells(TableSchema, float[], int, boolean[])}); the encoded rows keep the drawn values.
 *
 * <p>The one-hot slot {@link TableSchema#OTHER} (categories unseen in training) is never drawn: the categories are
 * renormalised over those of the training split, so every synthetic cell names a real category.
 *
 * <p>Reproducible: code i is drawn exactly as {@link PriorSamples} draws it (so with {@link Draw#MEAN} the rows are
 * the decoded means of {@link PriorSamples}), and the draws from p(x|z) come from a second stream seeded with
 * {@code seed}, consumed in row order; row i depends only on the seed, i and its label, not on the batch size.
 */
public final class TableSamples {
    /** Most rows one call writes. */
    public static final int MAX_ROWS = 10_000_000;

    private TableSamples() {}

    /** How a decoded code becomes a row. */
    public enum Draw {
        /** The decoder's most likely value per column. */
        MEAN("mean"),
        /** A draw from p(x|z) per column (the default). */
        SAMPLE("sample");

        private final String id;

        Draw(String id) {
            this.id = id;
        }

        /** {@code mean} or {@code sample}. */
        public String id() {
            return id;
        }

        /**
         * Parses {@code mean} or {@code sample}.
         *
         * @throws IllegalArgumentException (one line) for anything else
         */
        public static Draw parse(String s) {
            String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            for (Draw d : values()) {
                if (d.id.equals(k)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("--draw must be mean or sample, got '" + s + "'");
        }
    }

    /** Receives the rows batch by batch. */
    @FunctionalInterface
    public interface Consumer {
        /**
         * One batch of encoded rows.
         *
         * @param start index of the batch's first row
         * @param rows {@code count × schema.width()} values in the schema's layout (the array may be reused afterwards)
         * @param count rows in the batch
         */
        void accept(long start, float[] rows, int count) throws IOException;
    }

    /**
     * The model's table schema.
     *
     * @throws IllegalArgumentException (one line) when the model was not trained on a table with the composite
     *     likelihood
     */
    public static TableSchema schema(VaeModel model) {
        TableSchema t = model.config().transform().table();
        if (t == null || !(model.likelihood() instanceof CompositeLikelihood)) {
            throw new IllegalArgumentException("a '" + model.config().model() + "' model of " + (t == null ? "images or vectors" : "a table with the "
                    + model.config().likelihood() + " likelihood") + " has no synthetic rows; they need a table model (csv: data, composite likelihood)");
        }
        return t;
    }

    /**
     * Draws {@code n} rows and passes them to {@code consumer} in order, {@code batchSize} at a time.
     *
     * @param model a table model ({@link #schema})
     * @param n rows, 1..{@value #MAX_ROWS}
     * @param seed seed of the codes and of the draws
     * @param labels for a conditional model the label of each row ({@code n} of them); null for an unconditional one
     * @param draw how codes become rows
     * @param batchSize rows per forward pass (memory; the rows do not depend on it)
     */
    public static void forEachBatch(VaeModel model, int n, long seed, int[] labels, Draw draw, int batchSize, Consumer consumer)
            throws IOException {
        forEachBatch(model, n, seed, labels, CodeSampler.PRIOR, draw, batchSize, consumer);
    }

    /**
     * {@link #forEachBatch(VaeModel, int, long, int[], Draw, int, Consumer)} with codes from {@code sampler} (the prior
     * or a {@code gmm:K} fit, see {@link Samplers}), drawn in row order from one stream seeded with {@code seed}, as
     * {@link PriorSamples} draws them.
     */
    public static void forEachBatch(VaeModel model, int n, long seed, int[] labels, CodeSampler sampler, Draw draw, int batchSize,
            Consumer consumer) throws IOException {
        TableSchema t = schema(model);
        model.require(Capability.SAMPLES, "synthetic rows");
        model.require(Capability.DECODES, "synthetic rows");
        if (n < 1 || n > MAX_ROWS || batchSize < 1) {
            throw new IllegalArgumentException("need 1 <= n <= " + MAX_ROWS + " and batchSize >= 1, got " + n + " and " + batchSize);
        }
        if (model.conditional() != (labels != null)) {
            throw new IllegalArgumentException(model.conditional()
                    ? "a '" + model.config().model() + "' model is conditional: give a label (0.." + (model.classes() - 1) + ")"
                    : "a '" + model.config().model() + "' model takes no label; only conditional models (cvae) do");
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        }
        int l = model.latent();
        int d = t.width();
        SplittableRandom codes = new SplittableRandom(seed);
        // the draws from p(x|z) have their own stream, so the codes are PriorSamples' for any draw
        SplittableRandom noise = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            float[] z = new float[b * l];
            for (int i = 0; i < b; i++) {
                sampler.draw(model, codes, labels == null ? -1 : labels[start + i], z, i * l);
            }
            int[] lab = labels == null ? null : java.util.Arrays.copyOfRange(labels, start, start + b);
            float[] params;
            try (NDManager sub = model.manager().newSubManager()) {
                NDArray out = model.decoderOutput(sub.create(z, new Shape(b, l)), model.condition(sub, lab), false);
                params = out.toFloatArray();
            }
            float[] rows = new float[b * d];
            for (int i = 0; i < b; i++) {
                row(t, params, i * 2 * d, d, draw, noise, rows, i * d);
            }
            consumer.accept(start, rows, b);
        }
    }

    /**
     * All {@code n} rows in one array (for tests and reports; use {@link #forEachBatch} for many).
     *
     * @return {@code n × schema.width()} encoded values
     */
    public static float[] sample(VaeModel model, int n, long seed, int[] labels, Draw draw) {
        int d = schema(model).width();
        float[] out = new float[Math.multiplyExact(n, d)];
        try {
            forEachBatch(model, n, seed, labels, draw, PriorSamples.DEFAULT_BATCH,
                    (start, v, b) -> System.arraycopy(v, 0, out, (int) start * d, b * d));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the array consumer does no I/O
        }
        return out;
    }

    /**
     * One row from the decoder's parameters of one code ({@code p0} at {@code params[off..off+d)}, {@code p1} at
     * {@code params[off+d..off+2d)}, as {@link CompositeLikelihood} reads them).
     */
    static void row(TableSchema t, float[] params, int off, int d, Draw draw, SplittableRandom noise, float[] dst, int at) {
        int o = 0;
        for (TableSchema.Column c : t.columns()) {
            float p0 = params[off + o];
            if (c.type().equals(TableSchema.CONTINUOUS)) {
                double v = p0;
                if (draw == Draw.SAMPLE) {
                    double logvar = Math.max(CompositeLikelihood.MIN_LOGVAR, Math.min(CompositeLikelihood.MAX_LOGVAR, params[off + d + o]));
                    v += Math.exp(0.5 * logvar) * VaeModel.Gaussian.next(noise);
                }
                dst[at + o] = (float) v;
            } else if (c.type().equals(TableSchema.BINARY)) {
                double p = 1 / (1 + Math.exp(-p0));
                dst[at + o] = (draw == Draw.SAMPLE ? noise.nextDouble() < p : p >= 0.5) ? 1f : 0f;
            } else {
                // the training categories only: the last slot (OTHER) stands for values never seen, so it is never drawn
                int k = c.categories().size();
                double max = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int j = 0; j < k; j++) {
                    if (params[off + o + j] > max) {
                        max = params[off + o + j];
                        best = j;
                    }
                }
                int chosen = best;
                if (draw == Draw.SAMPLE) {
                    double sum = 0;
                    double[] w = new double[k];
                    for (int j = 0; j < k; j++) {
                        w[j] = Math.exp(params[off + o + j] - max);
                        sum += w[j];
                    }
                    double u = noise.nextDouble() * sum;
                    chosen = k - 1;
                    for (int j = 0; j < k; j++) {
                        u -= w[j];
                        if (u < 0) {
                            chosen = j;
                            break;
                        }
                    }
                }
                java.util.Arrays.fill(dst, at + o, at + o + c.width(), 0f);
                dst[at + o + chosen] = 1f;
            }
            o += c.width();
        }
    }

    /**
     * One encoded row in the file's terms, one text per column: continuous values in original units (six significant
     * digits), binary values as {@code 0}/{@code 1}, categories by name; missing cells (NaN) as empty text.
     *
     * @param t the schema
     * @param rows encoded rows
     * @param offset where the row starts
     * @return {@code t.columns().size()} texts
     */
    public static List<String> cells(TableSchema t, float[] rows, int offset) {
        return cells(t, rows, offset, null);
    }

    /**
     * {@link #cells(TableSchema, float[], int)}, with the continuous columns marked in {@code integral} (see
     * {@link #integralColumns}) rounded to whole numbers, as the file writes them.
     *
     * @param integral per column whether its values are whole numbers, or null
     */
    public static List<String> cells(TableSchema t, float[] rows, int offset, boolean[] integral) {
        List<String> out = new ArrayList<>(t.columns().size());
        int o = offset;
        for (int i = 0; i < t.columns().size(); i++) {
            TableSchema.Column c = t.columns().get(i);
            float v = rows[o];
            if (Float.isNaN(v)) {
                out.add("");
            } else if (c.type().equals(TableSchema.CONTINUOUS)) {
                double x = t.toOriginal(i, v);
                out.add(integral != null && integral[i] ? number(Math.rint(x)) : number(x));
            } else if (c.type().equals(TableSchema.BINARY)) {
                out.add(v >= 0.5f ? "1" : "0");
            } else {
                int best = 0;
                for (int k = 1; k < c.width(); k++) {
                    if (rows[o + k] > rows[o + best]) {
                        best = k;
                    }
                }
                out.add(best < c.categories().size() ? c.categories().get(best) : TableSchema.OTHER);
            }
            o += c.width();
        }
        return out;
    }

    /**
     * Which continuous columns of real rows hold whole numbers only (ages, counts), so that synthetic values can be
     * written as the file writes them. A column counts as whole when every observed value, taken back to the file's
     * units, is within the precision of the stored floats (10⁻⁶ of its magnitude, mean and sd) of an integer; columns without observed
     * values and other types are false.
     *
     * @param t the schema {@code real} is encoded with
     * @param real encoded rows
     * @return per column of {@code t}
     */
    public static boolean[] integralColumns(TableSchema t, org.vae4j.data.Dataset real) {
        int c = t.columns().size();
        boolean[] whole = new boolean[c];
        boolean[] seen = new boolean[c];
        int[] offsets = new int[c];
        for (int j = 0; j < c; j++) {
            whole[j] = t.columns().get(j).type().equals(TableSchema.CONTINUOUS);
            offsets[j] = t.offset(j);
        }
        float[] row = new float[t.width()];
        for (int i = 0; i < real.size(); i++) {
            real.copyRecord(i, row, 0);
            for (int j = 0; j < c; j++) {
                float v = row[offsets[j]];
                if (!whole[j] || Float.isNaN(v)) {
                    continue;
                }
                double x = t.toOriginal(j, v);
                // the file's value and its standardised form are floats: ~6e-8 relative error each, allowed 16x over
                TableSchema.Column col = t.columns().get(j);
                double tol = 1e-6 * (Math.abs(x) + Math.abs(col.mean()) + col.std());
                seen[j] = true;
                if (!(Math.abs(x - Math.rint(x)) <= tol)) {
                    whole[j] = false;
                }
            }
        }
        for (int j = 0; j < c; j++) {
            whole[j] &= seen[j];
        }
        return whole;
    }

    /** A value with six significant digits, without exponent or trailing zeros ("170.25", "-3", "0.000125"). */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        if (v == 0) {
            return "0";
        }
        String s = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /**
     * Labels drawn in proportion to {@code shares} (e.g. the training split's label counts), one per row,
     * reproducibly for a seed: for sampling a conditional model's rows with the data's label mix.
     *
     * @param shares non-negative weights per label, not all zero
     * @param n rows
     * @param seed seed
     * @return {@code n} labels
     */
    public static int[] drawLabels(double[] shares, int n, long seed) {
        double sum = 0;
        for (double s : shares) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("label shares must be finite and non-negative");
            }
            sum += s;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("label shares are all zero");
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() * sum;
            int k = shares.length - 1;
            for (int j = 0; j < shares.length; j++) {
                u -= shares[j];
                if (u < 0) {
                    k = j;
                    break;
                }
            }
            while (shares[k] == 0) {
                k--; // rounding left u at the end: the last label with weight
            }
            out[i] = k;
        }
        return out;
    }
}
