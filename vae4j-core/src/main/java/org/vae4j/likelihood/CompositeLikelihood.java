package org.vae4j.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.vae4j.data.TableSchema;
import org.vae4j.nn.Scalars;

/**
 * The likelihood of a table row: a product over its columns, each with the distribution of its type in the
 * {@link TableSchema}. The decoder emits two parameters per value ({@code (N, 2, D)}):
 *
 * <ul>
 *   <li>continuous value: a Gaussian with mean {@code p0} and log-variance {@code p1} (clipped to
 *       [{@value #MIN_LOGVAR}, {@value #MAX_LOGVAR}]) over the standardised value;
 *   <li>binary value: a Bernoulli with logit {@code p0} ({@code p1} unused);
 *   <li>categorical group: a categorical distribution with logits {@code p0} over the group's slots, normalised by a
 *       log-softmax within the group ({@code p1} unused).
 * </ul>
 *
 * <p>{@link #nll} is −log p(x|z) in nats: a density for the continuous columns (of the standardised values; in the
 * file's units add {@link #logScale()}) times probabilities for the others, so −ELBO is a true bound. Missing cells
 * (NaN in the data) are left out of the sum, and the encoder sees {@link TableSchema#missingFill()} in their place.
 */
public final class CompositeLikelihood implements Likelihood {
    /** Log-variance bounds of the continuous columns: σ in [0.0067, 148] standard deviations. */
    public static final float MIN_LOGVAR = -10f;
    /** Upper log-variance bound. */
    public static final float MAX_LOGVAR = 10f;

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final TableSchema table;
    private final Shape row;
    private final float[] continuousMask;
    private final float[] binaryMask;
    private final float[] fill;
    private final boolean hasContinuous;
    private final boolean hasBinary;
    private final boolean fillsNonZero;
    /** {@code {start, end}} of each one-hot group and of each run of one-value columns, in value order. */
    private final List<int[]> groups = new ArrayList<>();
    private final List<int[]> segments = new ArrayList<>();
    private final List<Boolean> segmentIsGroup = new ArrayList<>();
    /** Per segment: 1 at its binary values (null when it has none), for {@link #mean}. */
    private final List<float[]> segmentBinaryMasks = new ArrayList<>();

    /**
     * @param table the schema of the data the model is trained on
     */
    public CompositeLikelihood(TableSchema table) {
        if (table == null) {
            throw new IllegalArgumentException("the composite likelihood needs a table schema");
        }
        this.table = table;
        int d = table.width();
        this.row = new Shape(1, d);
        this.continuousMask = new float[d];
        this.binaryMask = new float[d];
        this.fill = table.missingFill();
        boolean cont = false;
        boolean bin = false;
        int runStart = -1;
        int o = 0;
        for (TableSchema.Column c : table.columns()) {
            int w = c.width();
            if (c.categorical()) {
                if (runStart >= 0) {
                    addSegment(runStart, o, false);
                    runStart = -1;
                }
                groups.add(new int[] {o, o + w});
                addSegment(o, o + w, true);
            } else {
                if (runStart < 0) {
                    runStart = o;
                }
                if (c.type().equals(TableSchema.CONTINUOUS)) {
                    continuousMask[o] = 1f;
                    cont = true;
                } else {
                    binaryMask[o] = 1f;
                    bin = true;
                }
            }
            o += w;
        }
        if (runStart >= 0) {
            addSegment(runStart, o, false);
        }
        this.hasContinuous = cont;
        this.hasBinary = bin;
        boolean nonZero = false;
        for (float f : fill) {
            nonZero |= f != 0f;
        }
        this.fillsNonZero = nonZero;
    }

    private void addSegment(int start, int end, boolean group) {
        segments.add(new int[] {start, end});
        segmentIsGroup.add(group);
        float[] mask = null;
        if (!group) {
            for (int j = start; j < end; j++) {
                if (binaryMask[j] != 0f) {
                    mask = new float[end - start];
                    System.arraycopy(binaryMask, start, mask, 0, mask.length);
                    break;
                }
            }
        }
        segmentBinaryMasks.add(mask);
    }

    /** The schema this likelihood was built for. */
    public TableSchema table() {
        return table;
    }

    /** Σ log std over the continuous columns: add it to {@link #nll} for −log p in the file's own units. */
    public double logScale() {
        double s = 0;
        for (TableSchema.Column c : table.columns()) {
            if (c.type().equals(TableSchema.CONTINUOUS)) {
                s += Math.log(c.std());
            }
        }
        return s;
    }

    @Override
    public String id() {
        return LikelihoodKind.COMPOSITE.id();
    }

    @Override
    public int paramsPerValue() {
        return 2;
    }

    @Override
    public NDArray nll(NDArray params, NDArray x, Scalars s) {
        NDArray p0 = Likelihood.param(params, 0);
        NDArray missing = x.isNaN();
        NDArray x0 = NDArrays.where(missing, x.zerosLike(), x);
        NDArray perRecord = null;
        if (hasContinuous || hasBinary) {
            NDArray terms = null;
            if (hasContinuous) {
                NDArray logvar = Likelihood.param(params, 1).clip(MIN_LOGVAR, MAX_LOGVAR);
                NDArray g = x0.sub(p0).square().mul(logvar.neg().exp()).add(logvar).add(s.of(LOG_2PI)).mul(s.of(0.5));
                terms = g.mul(s.array(continuousMask, row));
            }
            if (hasBinary) {
                // −log Bernoulli(x; sigmoid(l)) = softplus(l) − x·l, stable for any l
                NDArray b = Activation.softPlus(p0).sub(x0.mul(p0)).mul(s.array(binaryMask, row));
                terms = terms == null ? b : terms.add(b);
            }
            NDArray observed = missing.logicalNot().toType(DataType.FLOAT32, false);
            perRecord = terms.mul(observed).sum(new int[] {1});
        }
        for (int[] g : groups) {
            NDIndex slice = new NDIndex(":, {}:{}", g[0], g[1]);
            // a missing cell leaves the whole group 0 after the NaN fill, so it adds nothing
            NDArray c = x0.get(slice).mul(p0.get(slice).logSoftmax(1)).sum(new int[] {1}).neg();
            perRecord = perRecord == null ? c : perRecord.add(c);
        }
        return perRecord;
    }

    /**
     * The decoder's expected value per value: the Gaussian mean (standardised) for continuous columns, the
     * probability of 1 for binary columns and the category probabilities within each one-hot group.
     */
    @Override
    public NDArray mean(NDArray params, Scalars s) {
        NDArray p0 = Likelihood.param(params, 0);
        NDList parts = new NDList(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            int[] seg = segments.get(i);
            NDIndex slice = new NDIndex(":, {}:{}", seg[0], seg[1]);
            NDArray logits = p0.get(slice);
            if (segmentIsGroup.get(i)) {
                parts.add(logits.softmax(1));
            } else if (segmentBinaryMasks.get(i) != null) {
                float[] mask = segmentBinaryMasks.get(i);
                NDArray sig = logits.getNDArrayInternal().sigmoid();
                parts.add(sig.sub(logits).mul(s.array(mask, new Shape(1, mask.length))).add(logits));
            } else {
                parts.add(logits);
            }
        }
        return parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 1);
    }

    /** Missing cells (NaN) become {@link TableSchema#missingFill()}: 0 for standardised and one-hot values, the share of ones for binary ones. */
    @Override
    public NDArray encoderInput(NDArray x, Scalars s) {
        NDArray missing = x.isNaN();
        NDArray x0 = NDArrays.where(missing, x.zerosLike(), x);
        if (!fillsNonZero) {
            return x0;
        }
        return x0.add(missing.toType(DataType.FLOAT32, false).mul(s.array(fill, row)));
    }
}
