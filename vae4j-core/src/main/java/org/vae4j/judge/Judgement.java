package org.vae4j.judge;

/**
 * What the {@link Yardstick} says about a set of samples, measured against the reference images (a data set's test
 * split) in the feature space of a classifier trained on the training split.
 *
 * @param n samples judged
 * @param referenceN reference images
 * @param featureWidth dimension of the feature space (the classifier's penultimate layer)
 * @param fd the Fréchet distance between Gaussians fitted to the samples' and the references' features, squared as
 *     FID reports it ({@link Frechet}); 0 for identical statistics, lower is better. <b>Not Inception FID</b>: the
 *     feature space is a small classifier's, so the number compares models judged with the same classifier only
 * @param fdMeans its part |μ₁ − μ₂|²
 * @param fdCovariances its part tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)
 * @param k the neighbour that sets the k-NN balls' radii ({@link KnnManifolds})
 * @param precision share of samples inside the references' k-NN manifold (realism), in [0, 1]
 * @param recall share of references inside the samples' k-NN manifold (variety), in [0, 1]
 * @param histogram samples the classifier labels as each class
 * @param entropy entropy of that histogram in nats; log(classes) when every class is equally common
 * @param coverageShare the share a class must hold to count as covered (0.03 by default)
 * @param classesCovered classes holding at least {@code coverageShare} of the samples
 * @param minShare the smallest share of any class
 * @param rarestLabel the class with that share
 * @param askedLabelShare for samples drawn with a label (conditional models), the share the classifier gives the
 *     label asked for; NaN otherwise
 */
public record Judgement(int n, int referenceN, int featureWidth, double fd, double fdMeans, double fdCovariances, int k,
        double precision, double recall, long[] histogram, double entropy, double coverageShare, int classesCovered,
        double minShare, int rarestLabel, double askedLabelShare) {
    /** Copies the histogram. */
    public Judgement {
        histogram = histogram.clone();
    }

    /** The predicted-label histogram as {@link LabelShares}. */
    public LabelShares shares() {
        return new LabelShares(histogram);
    }

    /** Number of classes of the classifier. */
    public int classes() {
        return histogram.length;
    }

    /** The entropy of a uniform histogram, log(classes): the most {@link #entropy} can be. */
    public double maxEntropy() {
        return Math.log(histogram.length);
    }

    /** The histogram's copy. */
    @Override
    public long[] histogram() {
        return histogram.clone();
    }

    /** Whether the samples were drawn with labels and {@link #askedLabelShare} is measured. */
    public boolean hasAskedLabels() {
        return !Double.isNaN(askedLabelShare);
    }
}
