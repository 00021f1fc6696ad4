package org.vae4j.lectures;

import org.vae4j.latent.Encodings;
import org.vae4j.latent.Interpolation;
import org.vae4j.model.VaeModel;

/**
 * Interpolations between pairs of records, measured: a straight path between the two posterior means is decoded,
 * and so is a pixel-space cross-fade of the same two records for contrast.
 *
 * @param pairs number of pairs
 * @param steps images per path, endpoints included
 * @param interiorRealism fraction of the decoded interior images (endpoints excluded) that are realistic
 *     ({@link Realism}, with the model's threshold)
 * @param crossFadeRealism the same for the pixel cross-fades' interior images
 * @param maxStepShare mean over pairs of the largest change between consecutive decoded images as a share of the
 *     path's total change (1 / (steps − 1) for a perfectly even path, 1 for a single jump)
 * @param interiorPrecision share of the decoded interior images inside the test images' k-NN manifold in the
 *     yardstick's feature space ({@link org.vae4j.judge.Yardstick#precision}); NaN when measured without a yardstick
 * @param crossFadePrecision the same for the pixel cross-fades' interior images
 */
public record PathStats(int pairs, int steps, double interiorRealism, double crossFadeRealism, double maxStepShare,
                        double interiorPrecision, double crossFadePrecision) {

    /**
     * Measures {@code pairs} interpolations from {@code a[i]} to {@code b[i]}.
     *
     * @param model the model
     * @param a {@code pairs × featureSize} start records as the model sees them
     * @param b {@code pairs × featureSize} end records
     * @param pairs number of pairs
     * @param steps images per path, at least 3
     * @param nn reference (training) images
     * @param threshold the model's realism threshold
     * @param yardstick judges the interior images ({@link #interiorPrecision()}); null: not measured
     * @return the measurements
     */
    public static PathStats measure(VaeModel model, float[] a, float[] b, int pairs, int steps, NearestNeighbours nn,
                                    double threshold, org.vae4j.judge.Yardstick yardstick) {
        if (steps < 3) {
            throw new IllegalArgumentException("need at least 3 steps (one interior image), got " + steps);
        }
        int d = model.featureSize();
        int l = model.latent();
        float[] muA = Encodings.encode(model, a, pairs).mu();
        float[] muB = Encodings.encode(model, b, pairs).mu();
        float[] codes = new float[pairs * steps * l];
        float[] fades = new float[pairs * (steps - 2) * d];
        for (int p = 0; p < pairs; p++) {
            float[] path = Interpolation.path(java.util.Arrays.copyOfRange(muA, p * l, (p + 1) * l),
                    java.util.Arrays.copyOfRange(muB, p * l, (p + 1) * l), steps, Interpolation.Mode.LINEAR);
            System.arraycopy(path, 0, codes, p * steps * l, steps * l);
            float[] fade = Interpolation.crossFade(java.util.Arrays.copyOfRange(a, p * d, (p + 1) * d),
                    java.util.Arrays.copyOfRange(b, p * d, (p + 1) * d), steps);
            System.arraycopy(fade, d, fades, p * (steps - 2) * d, (steps - 2) * d);
        }
        float[] images = Encodings.decode(model, codes, pairs * steps);
        int interior = pairs * (steps - 2);
        float[] inner = new float[interior * d];
        double shareSum = 0;
        for (int p = 0; p < pairs; p++) {
            System.arraycopy(images, (p * steps + 1) * d, inner, p * (steps - 2) * d, (steps - 2) * d);
            double total = 0;
            double max = 0;
            for (int s = 0; s + 1 < steps; s++) {
                double e = 0;
                int o1 = (p * steps + s) * d;
                int o2 = o1 + d;
                for (int j = 0; j < d; j++) {
                    double v = images[o2 + j] - images[o1 + j];
                    e += v * v;
                }
                e = Math.sqrt(e);
                total += e;
                max = Math.max(max, e);
            }
            shareSum += total > 0 ? max / total : 1;
        }
        double realism = Realism.score(nn, inner, interior, threshold).fraction();
        double fadeRealism = Realism.score(nn, fades, interior, threshold).fraction();
        double precision = yardstick == null ? Double.NaN : yardstick.precision(inner, interior);
        double fadePrecision = yardstick == null ? Double.NaN : yardstick.precision(fades, interior);
        return new PathStats(pairs, steps, realism, fadeRealism, shareSum / pairs, precision, fadePrecision);
    }

    /** Whether the yardstick judged the paths ({@link #interiorPrecision()} is measured). */
    public boolean judged() {
        return !Double.isNaN(interiorPrecision);
    }

    /** The share of interior images that look like data: the yardstick's precision when measured, else {@link #interiorRealism()}. */
    public double interiorLooksLikeData() {
        return judged() ? interiorPrecision : interiorRealism;
    }

    /** The same for the cross-fades. */
    public double crossFadeLooksLikeData() {
        return judged() ? crossFadePrecision : crossFadeRealism;
    }

    /**
     * The largest-step share of a perfectly even path.
     *
     * @return {@code 1 / (steps − 1)}
     */
    public double evenShare() {
        return 1.0 / (steps - 1);
    }
}
