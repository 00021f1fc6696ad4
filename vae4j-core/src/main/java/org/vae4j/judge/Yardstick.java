package org.vae4j.judge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.vae4j.data.Dataset;
import org.vae4j.generate.PriorSamples;
import org.vae4j.generate.SampleSource;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.Npy;
import org.vae4j.util.Permutations;

/**
 * One yardstick for the samples of any generator: a classifier trained on a labelled data set's training split
 * ({@link DigitClassifier}, {@link ClassifierCache}) maps images to features (its penultimate layer) and labels, and
 * the samples are compared with the reference images (the test split) in that space:
 *
 * <ul>
 *   <li>the Fréchet distance between Gaussians fitted to the two feature sets ({@link Frechet}) — the formula of FID,
 *       but <b>not Inception FID</b>: the features are a small classifier's, so the figure is comparable only
 *       between sample sets judged with the same classifier;</li>
 *   <li>precision and recall by k-NN manifolds ({@link KnnManifolds}, Kynkäänniemi et al. 2019): the share of
 *       samples that look like some test image, and the share of test images that some sample looks like;</li>
 *   <li>the histogram of predicted labels, its entropy and how many classes hold at least a given share (mode
 *       coverage);</li>
 *   <li>for samples drawn with labels (conditional models), the share the classifier gives the label asked for.</li>
 * </ul>
 *
 * <p>The reference's features, Gaussian and k-NN radii are computed once per yardstick, so judging several sample
 * sets against the same data costs only the samples' share. Memory: the features of the samples and references
 * (n × width floats, e.g. 15,000 × 128) and one block of distances.
 *
 * <pre>{@code
 * try (DigitClassifier c = ClassifierCache.obtain(cacheRoot, splits.train(),
 *         DigitClassifier.Settings.yardstick(splits.train().size()), 1, null, null).classifier()) {
 *     Yardstick y = Yardstick.of(c, splits.test(), Yardstick.Settings.defaults());
 *     Judgement j = y.judge(SampleSource.prior(model, 1, PriorSamples.Labels.none()), 5000, PriorSamples.Labels.none());
 * }
 * }</pre>
 */
public final class Yardstick {
    /** Images put through the classifier at once. */
    static final int BATCH = DigitClassifier.PREDICT_BATCH;

    private final DigitClassifier classifier;
    private final Settings settings;
    private final float[] referenceFeatures;
    private final int referenceN;
    private final Frechet.Gaussian reference;
    private double[] referenceRadii2;

    /**
     * How to judge.
     *
     * @param k the neighbour whose distance is the radius of each k-NN ball (precision and recall), ≥ 1; 3 in the paper
     * @param coverageShare the share of the samples a class must hold to count as covered, in [0, 1]
     */
    public record Settings(int k, double coverageShare) {
        /** Validates. */
        public Settings {
            if (k < 1 || k > 1000) {
                throw new IllegalArgumentException("k must be in 1..1000, got " + k);
            }
            if (!(coverageShare >= 0 && coverageShare <= 1)) {
                throw new IllegalArgumentException("the coverage share must be in [0, 1], got " + coverageShare);
            }
        }

        /** k = 3, a class is covered with at least 3% of the samples. */
        public static Settings defaults() {
            return new Settings(3, 0.03);
        }
    }

    private Yardstick(DigitClassifier classifier, Settings settings, float[] referenceFeatures, int referenceN) {
        this.classifier = classifier;
        this.settings = settings;
        this.referenceFeatures = referenceFeatures;
        this.referenceN = referenceN;
        this.reference = Frechet.Gaussian.of(referenceFeatures, referenceN, classifier.featureWidth());
    }

    /**
     * A yardstick comparing samples with the records of {@code reference} (normally the test split of the data the
     * classifier was trained on). The classifier stays the caller's to close, after the yardstick's last use.
     *
     * @throws IllegalArgumentException if the references' record shape is not the classifier's, or there are not
     *     more than k of them
     */
    public static Yardstick of(DigitClassifier classifier, Dataset reference, Settings settings) {
        int[] shape = classifier.meta().inputShape().stream().mapToInt(Integer::intValue).toArray();
        if (!Arrays.equals(reference.shape(), shape)) {
            throw new IllegalArgumentException(reference.name() + ": records of shape " + Arrays.toString(reference.shape())
                    + ", the classifier takes " + classifier.meta().inputShape());
        }
        int n = reference.size();
        if (n <= settings.k()) {
            throw new IllegalArgumentException(reference.name() + ": " + n + " reference records; the yardstick needs more than k = "
                    + settings.k());
        }
        int d = classifier.meta().featureSize();
        int w = classifier.featureWidth();
        float[] features = new float[Math.multiplyExact(n, w)];
        float[] x = new float[Math.min(BATCH, n) * d];
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            for (int i = 0; i < b; i++) {
                reference.copyRecord(start + i, x, i * d);
            }
            System.arraycopy(classifier.outputs(x, b).features(), 0, features, start * w, b * w);
        }
        return new Yardstick(classifier, settings, features, n);
    }

    /** The classifier whose features are the yardstick's space. */
    public DigitClassifier classifier() {
        return classifier;
    }

    /** How it judges. */
    public Settings settings() {
        return settings;
    }

    /** Reference images. */
    public int referenceSize() {
        return referenceN;
    }

    /**
     * Judges {@code n} images.
     *
     * @param images {@code n × featureSize} values in [0, 1], row-major, records shaped as the classifier's input
     * @param asked the label each image was drawn with ({@link PriorSamples.Labels#none()} for none)
     */
    public Judgement judge(float[] images, int n, PriorSamples.Labels asked) {
        Collector c = new Collector(n, asked);
        int d = classifier.meta().featureSize();
        if (images.length < (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " images of " + d + " values, got " + images.length + " values");
        }
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            c.add(Arrays.copyOfRange(images, start * d, (start + b) * d), b);
        }
        return c.judgement();
    }

    /**
     * Judges the images of a float32 {@code .npy} file, read {@value #BATCH} at a time: shape {@code (N, C, H, W)} as
     * the classifier's records, {@code (N, H, W)} for one channel, or {@code (N, D)} with D values per record, all
     * values in [0, 1].
     *
     * @param file named in messages
     * @param samples an open reader at its first value
     * @param asked the label each image was drawn with ({@link PriorSamples.Labels#none()} for none)
     * @throws ModelFormatException (one line naming the file) for another shape, a non-finite value or one outside [0, 1]
     */
    public Judgement judge(String file, Npy.Reader samples, PriorSamples.Labels asked) {
        long[] shape = samples.shape();
        List<Integer> in = classifier.meta().inputShape();
        int d = classifier.meta().featureSize();
        if (!fits(shape, in, d)) {
            String expected = "(N, " + String.join(", ", in.stream().map(String::valueOf).toList()) + ")"
                    + (in.size() == 3 && in.get(0) == 1 ? ", (N, " + in.get(1) + ", " + in.get(2) + ")" : "") + " or (N, " + d + ")";
            throw new ModelFormatException(file + ": samples of shape " + Arrays.toString(shape).replace('[', '(').replace(']', ')')
                    + " do not fit the classifier's images; expected " + expected);
        }
        if (shape[0] > Integer.MAX_VALUE / Math.max(1, classifier.featureWidth())) {
            throw new ModelFormatException(file + ": " + shape[0] + " samples are too many to judge at once");
        }
        int n = (int) shape[0];
        Collector c = new Collector(n, asked);
        float[] x = new float[Math.min(BATCH, Math.max(1, n)) * d];
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            samples.read(x, 0, b * d);
            for (int i = 0; i < b * d; i++) {
                float v = x[i];
                if (!(v >= 0 && v <= 1)) {
                    throw new ModelFormatException(file + ": sample " + (start + i / d) + " holds the value " + v
                            + "; the yardstick takes images with values in [0, 1]");
                }
            }
            c.add(b == BATCH ? x : Arrays.copyOf(x, b * d), b);
        }
        return c.judgement();
    }

    /**
     * Judges {@code n} samples drawn from {@code source} (a model's prior, ...), {@value #BATCH} at a time.
     *
     * @param asked the labels the source draws with (the same {@link PriorSamples.Labels} it was made with), to
     *     measure the share carrying them; {@link PriorSamples.Labels#none()} otherwise
     */
    public Judgement judge(SampleSource source, int n, PriorSamples.Labels asked) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one sample, got " + n);
        }
        Collector c = new Collector(n, asked);
        int d = classifier.meta().featureSize();
        try {
            source.draw(n, BATCH, (start, values, count) -> c.add(Arrays.copyOf(values, count * d), count));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return c.judgement();
    }

    /**
     * Judges {@code n} records of a data set chosen at random (seeded) — a model-free baseline: the training split's
     * own images against the test split give the figures a perfect generator would get (FD near 0, precision and
     * recall near 1, the data's own label histogram).
     *
     * @throws IllegalArgumentException if the data have fewer than {@code n} records
     */
    public Judgement judge(Dataset data, int n, long seed) {
        if (n < 1 || n > data.size()) {
            throw new IllegalArgumentException(data.name() + ": cannot take " + n + " of its " + data.size() + " records");
        }
        int[] pick = Arrays.copyOf(Permutations.shuffled(data.size(), seed), n);
        int d = classifier.meta().featureSize();
        Collector c = new Collector(n, PriorSamples.Labels.none());
        float[] x = new float[Math.min(BATCH, n) * d];
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            for (int i = 0; i < b; i++) {
                data.copyRecord(pick[start + i], x, i * d);
            }
            c.add(b * d == x.length ? x : Arrays.copyOf(x, b * d), b);
        }
        return c.judgement();
    }

    /**
     * The share of {@code n} images inside the references' k-NN manifold: the precision part of a judgement alone,
     * for image sets too small for a distance or a recall (a handful of decoded interpolation points, say).
     *
     * @param images {@code n × featureSize} values in [0, 1], row-major
     * @return a share in [0, 1] (NaN for no images)
     */
    public double precision(float[] images, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        int w = classifier.featureWidth();
        float[] f = classifier.outputs(images, n).features();
        return KnnManifolds.coverage(f, n, referenceFeatures, referenceN, w, referenceRadii2());
    }

    private static boolean fits(long[] shape, List<Integer> in, int d) {
        if (shape.length == 2 && shape[1] == d) {
            return true;
        }
        if (shape.length == in.size() + 1) {
            for (int i = 0; i < in.size(); i++) {
                if (shape[i + 1] != in.get(i)) {
                    return false;
                }
            }
            return true;
        }
        return in.size() == 3 && in.get(0) == 1 && shape.length == 3 && shape[1] == in.get(1) && shape[2] == in.get(2);
    }

    /** Accumulates the samples' features and labels batch by batch. */
    private final class Collector {
        final int n;
        final PriorSamples.Labels asked;
        final float[] features;
        final int[] predicted;
        int done;

        Collector(int n, PriorSamples.Labels asked) {
            if (n <= settings.k()) {
                throw new IllegalArgumentException(n + " samples; the yardstick needs more than k = " + settings.k());
            }
            this.n = n;
            this.asked = asked == null ? PriorSamples.Labels.none() : asked;
            this.features = new float[Math.multiplyExact(n, classifier.featureWidth())];
            this.predicted = new int[n];
        }

        void add(float[] images, int count) {
            if (done + count > n) {
                throw new IllegalStateException("a sample source gave more than the " + n + " samples asked for");
            }
            DigitClassifier.Outputs o = classifier.outputs(images, count);
            int w = classifier.featureWidth();
            System.arraycopy(o.features(), 0, features, done * w, count * w);
            System.arraycopy(o.predicted(), 0, predicted, done, count);
            done += count;
        }

        Judgement judgement() {
            if (done != n) {
                throw new IllegalStateException("a sample source gave " + done + " of the " + n + " samples asked for");
            }
            return compare(features, predicted, n, asked);
        }
    }

    private synchronized double[] referenceRadii2() {
        if (referenceRadii2 == null) {
            referenceRadii2 = KnnManifolds.radii2(referenceFeatures, referenceN, classifier.featureWidth(), settings.k());
        }
        return referenceRadii2;
    }

    private Judgement compare(float[] features, int[] predicted, int n, PriorSamples.Labels asked) {
        int w = classifier.featureWidth();
        Frechet.Distance fd = Frechet.distance(Frechet.Gaussian.of(features, n, w), reference);
        KnnManifolds.PrecisionRecall pr = KnnManifolds.of(referenceFeatures, referenceN, referenceRadii2(), features, n, w, settings.k());
        LabelShares shares = LabelShares.of(predicted, classifier.classes());
        double askedShare = Double.NaN;
        if (asked.any()) {
            long hit = 0;
            for (int i = 0; i < n; i++) {
                hit += predicted[i] == asked.of(i) ? 1 : 0;
            }
            askedShare = (double) hit / n;
        }
        return new Judgement(n, referenceN, w, fd.squared(), fd.means(), fd.covariances(), settings.k(), pr.precision(),
                pr.recall(), shares.counts(), shares.entropy(), settings.coverageShare(), shares.classesAtLeast(settings.coverageShare()),
                shares.minShare(), shares.rarestLabel(), askedShare);
    }
}
