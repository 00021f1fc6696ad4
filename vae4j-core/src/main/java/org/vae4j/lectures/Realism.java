package org.vae4j.lectures;

import java.util.Arrays;
import java.util.TreeMap;
import org.vae4j.latent.Encodings;
import org.vae4j.model.VaeModel;

/**
 * Whether decoded images look like data, judged against a model's own standard: an image counts as realistic when
 * it is at least as close (mean squared error per value) to some training image as the model's reconstructions of
 * test images are, at their 90th percentile. A decoder's blur therefore does not count against it; what counts is
 * whether a code leads somewhere the decoder knows.
 */
public final class Realism {
    /** The quantile of the reconstructions' nearest-neighbour errors used as the threshold. */
    public static final double QUANTILE = 0.9;

    private Realism() {}

    /**
     * Images scored against the reference set.
     *
     * @param n number of images
     * @param threshold the realism threshold (MSE per value)
     * @param mse each image's error to its nearest reference image
     * @param nearest index of that reference image
     * @param fraction fraction of images with {@code mse <= threshold}
     * @param medianMse median of {@code mse}
     * @param labelsCovered distinct labels among the nearest reference images (0 without labels)
     * @param labelEntropyBits entropy of those labels' distribution in bits (NaN without labels)
     */
    public record Scored(int n, double threshold, double[] mse, int[] nearest, double fraction, double medianMse,
                         int labelsCovered, double labelEntropyBits) {
        /**
         * Whether image {@code i} counts as realistic.
         *
         * @param i image index
         * @return {@code mse[i] <= threshold}
         */
        public boolean realistic(int i) {
            return mse[i] <= threshold;
        }

        /**
         * How many images count as realistic.
         *
         * @return the count
         */
        public int realisticCount() {
            int c = 0;
            for (double v : mse) {
                if (v <= threshold) {
                    c++;
                }
            }
            return c;
        }
    }

    /**
     * The entropy of an even spread over {@code k} labels, the most {@link Scored#labelEntropyBits()} can be.
     *
     * @param k number of labels, at least 1
     * @return log2 k
     */
    public static double maxEntropyBits(int k) {
        return Math.log(k) / Math.log(2);
    }

    /**
     * The threshold for a model: the {@value #QUANTILE} quantile of its reconstructions' nearest-neighbour errors.
     *
     * @param model the model
     * @param nn the reference (training) images
     * @param test {@code n × featureSize} test records as the model sees them
     * @param n number of records
     * @return the threshold (MSE per value)
     */
    public static double threshold(VaeModel model, NearestNeighbours nn, float[] test, int n) {
        float[] recon = Encodings.reconstruct(model, test, n);
        return quantile(nn.nearest(recon, n).mse(), QUANTILE);
    }

    /**
     * Scores images.
     *
     * @param nn the reference images
     * @param images {@code n × d} values
     * @param n number of images
     * @param threshold realism threshold
     * @return the scores
     */
    public static Scored score(NearestNeighbours nn, float[] images, int n, double threshold) {
        NearestNeighbours.Result r = nn.nearest(images, n);
        int ok = 0;
        for (double v : r.mse()) {
            if (v <= threshold) {
                ok++;
            }
        }
        int covered = 0;
        double entropy = Double.NaN;
        if (nn.hasLabels()) {
            TreeMap<Integer, Integer> counts = new TreeMap<>();
            for (int i : r.index()) {
                counts.merge(nn.label(i), 1, Integer::sum);
            }
            covered = counts.size();
            entropy = 0;
            for (int c : counts.values()) {
                double p = (double) c / n;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return new Scored(n, threshold, r.mse(), r.index(), (double) ok / n, quantile(r.mse(), 0.5), covered, entropy);
    }

    /**
     * Recall (coverage) of generated images: the fraction of target images (e.g. test images) that have some generated
     * image within the threshold. High precision ({@link Scored#fraction()}) with low recall means the samples look
     * like data but only like a small part of it.
     *
     * @param generated {@code ng × d} generated images
     * @param ng number of generated images
     * @param targets {@code nt × d} target images
     * @param nt number of targets
     * @param d values per image
     * @param threshold the realism threshold (MSE per value)
     * @return the fraction of targets covered
     */
    public static double recall(float[] generated, int ng, float[] targets, int nt, int d, double threshold) {
        try (NearestNeighbours nn = new NearestNeighbours(generated, ng, d, null)) {
            int ok = 0;
            for (double v : nn.nearest(targets, nt).mse()) {
                if (v <= threshold) {
                    ok++;
                }
            }
            return (double) ok / nt;
        }
    }

    /**
     * A quantile by linear interpolation between order statistics.
     *
     * @param values at least one value
     * @param q in [0, 1]
     * @return the quantile
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }
}
