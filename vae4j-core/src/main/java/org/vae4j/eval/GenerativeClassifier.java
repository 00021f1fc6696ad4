package org.vae4j.eval;

import java.util.function.IntConsumer;
import org.vae4j.data.BatchReader;
import org.vae4j.data.Dataset;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/**
 * A conditional model as a generative classifier (Sohn et al. 2015; the "CVAE as a classifier"): a record x gets the
 * label {@code argmax_y [log p(x | y) + log p(y)]}, with log p(x | y) estimated by importance sampling with K draws
 * from q(z | x, y) ({@link Evaluator#importanceWeightedNllPerRecord(VaeModel, float[], int[], int, int, long,
 * IntConsumer)}, once per candidate label) and p(y) the label frequencies of the training split.
 *
 * <p>Records are processed {@value #CHUNK} at a time, so memory does not grow with the number of records. A record's
 * draws come from its own stream ({@link org.vae4j.model.Noise#perRecord}), the same for every candidate label (common
 * random numbers: the labels are compared on the same ε), so its prediction depends only on the record, K and the
 * seed.
 */
public final class GenerativeClassifier {
    /** Records whose estimates for every label are held at once. */
    static final int CHUNK = 4096;

    private GenerativeClassifier() {}

    /**
     * The classifier's figures on labelled records.
     *
     * @param n records classified
     * @param classes candidate labels (the model's classes)
     * @param iwSamples importance samples K per record and label
     * @param correct records whose predicted label is their own
     * @param confusion {@code confusion[true][predicted]} record counts
     * @param logPrior log p(y) used, per label
     * @param meanNll mean over records of the estimate of −log p(x) = −log Σ_y p(x | y) p(y), in nats
     */
    public record Result(int n, int classes, int iwSamples, long correct, long[][] confusion, double[] logPrior,
            double meanNll) {
        /** Share of records classified correctly. */
        public double accuracy() {
            return n == 0 ? Double.NaN : (double) correct / n;
        }

        /** Records whose true label is {@code label}. */
        public long count(int label) {
            long c = 0;
            for (long v : confusion[label]) {
                c += v;
            }
            return c;
        }

        /** Share of the records of {@code label} classified as {@code label} (NaN when there are none). */
        public double classAccuracy(int label) {
            long c = count(label);
            return c == 0 ? Double.NaN : (double) confusion[label][label] / c;
        }
    }

    /**
     * log p(y) from the training split's labels: (count_y + 1) / (N + classes) (add-one smoothing, so that a label
     * absent from the training split is improbable rather than impossible).
     *
     * @param trainLabels one label per training record, each in 0..classes-1
     * @param classes number of labels
     */
    public static double[] logPrior(int[] trainLabels, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("need at least one class, got " + classes);
        }
        long[] counts = new long[classes];
        for (int y : trainLabels) {
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("training label " + y + " is out of range 0.." + (classes - 1));
            }
            counts[y]++;
        }
        double[] out = new double[classes];
        for (int y = 0; y < classes; y++) {
            out[y] = Math.log((counts[y] + 1.0) / (trainLabels.length + (double) classes));
        }
        return out;
    }

    /**
     * Classifies {@code n} labelled records held in memory.
     *
     * @param model a conditional model that bounds log p(x | y) by importance sampling
     * @param data {@code n × featureSize} values as the model sees them (already transformed, e.g. binarised)
     * @param labels the records' true labels
     * @param logPrior log p(y) per label ({@link #logPrior})
     * @param k importance samples per record and label, ≥ 1
     * @param seed seed of the draws
     * @param progress receives the number of records done (may be null)
     */
    public static Result classify(VaeModel model, float[] data, int[] labels, int n, double[] logPrior, int k, long seed,
            IntConsumer progress) {
        return classify(model, data, labels, n, logPrior, k, seed, progress, 1);
    }

    /**
     * {@link #classify(VaeModel, float[], int[], int, double[], int, long, IntConsumer)} with the importance-weighted
     * estimates made {@code workers} records at a time, each on one engine thread (the same estimates; see
     * {@link Evaluator#importanceWeightedNllPerRecord(VaeModel, float[], int[], int, int, long, IntConsumer, int)}).
     */
    public static Result classify(VaeModel model, float[] data, int[] labels, int n, double[] logPrior, int k, long seed,
            IntConsumer progress, int workers) {
        check(model, logPrior, k);
        int d = model.featureSize();
        if (n < 1 || data.length < (long) n * d || labels == null || labels.length < n) {
            throw new IllegalArgumentException("expected " + n + " records of " + d + " values and " + n + " labels");
        }
        Accumulator acc = new Accumulator(model.classes());
        for (int start = 0; start < n; start += CHUNK) {
            int r = Math.min(CHUNK, n - start);
            float[] chunk = java.util.Arrays.copyOfRange(data, start * d, (start + r) * d);
            acc.add(scores(model, chunk, r, logPrior, k, seed, done(progress, start), workers), labels, start);
        }
        return acc.result(n, k, logPrior);
    }

    /**
     * Classifies the records of a labelled data set read chunk by chunk (for data sets not held in memory).
     *
     * @param transform applied to each record as it is read (e.g. binarisation), or null
     */
    public static Result classify(VaeModel model, Dataset data, BatchReader.Transform transform, double[] logPrior, int k,
            long seed, IntConsumer progress) {
        return classify(model, data, transform, logPrior, k, seed, progress, 1);
    }

    /**
     * {@link #classify(VaeModel, Dataset, BatchReader.Transform, double[], int, long, IntConsumer)} with the estimates
     * made {@code workers} records at a time.
     */
    public static Result classify(VaeModel model, Dataset data, BatchReader.Transform transform, double[] logPrior, int k,
            long seed, IntConsumer progress, int workers) {
        check(model, logPrior, k);
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.name() + ": the generative classifier's accuracy needs labelled records");
        }
        int n = data.size();
        Accumulator acc = new Accumulator(model.classes());
        try (BatchReader reader = new BatchReader(data, Evaluator.identity(n), CHUNK, 1, transform)) {
            for (int start = 0; start < n; start += CHUNK) {
                int r = Math.min(CHUNK, n - start);
                acc.add(scores(model, reader.next(), r, logPrior, k, seed, done(progress, start), workers), data.labels(), start);
            }
        }
        return acc.result(n, k, logPrior);
    }

    /**
     * Predicted labels of {@code n} records (no true labels needed).
     *
     * @return one label per record
     */
    public static int[] predict(VaeModel model, float[] data, int n, double[] logPrior, int k, long seed) {
        check(model, logPrior, k);
        int d = model.featureSize();
        int[] out = new int[n];
        for (int start = 0; start < n; start += CHUNK) {
            int r = Math.min(CHUNK, n - start);
            double[][] s = scores(model, java.util.Arrays.copyOfRange(data, start * d, (start + r) * d), r, logPrior, k, seed, null, 1);
            for (int i = 0; i < r; i++) {
                out[start + i] = argmax(s[i]);
            }
        }
        return out;
    }

    private static void check(VaeModel model, double[] logPrior, int k) {
        model.require(Capability.CONDITIONAL, "the generative classifier");
        model.require(Capability.IMPORTANCE_WEIGHTED, "the generative classifier");
        if (logPrior == null || logPrior.length != model.classes()) {
            throw new IllegalArgumentException("log p(y) must have one value per class (" + model.classes() + ")");
        }
        if (k < 1) {
            throw new IllegalArgumentException("--iw-samples must be >= 1, got " + k);
        }
    }

    /** Progress of the chunk starting at {@code start}, reported as records done overall. */
    private static IntConsumer done(IntConsumer progress, int start) {
        return progress == null ? null : records -> progress.accept(start + records);
    }

    /**
     * {@code scores[i][y] = log p(x_i | y) + log p(y)} (IW estimate) for the records of one chunk.
     *
     * @param progress receives the chunk's records done, counting each label's pass as {@code 1/classes} of the work
     */
    private static double[][] scores(VaeModel model, float[] chunk, int r, double[] logPrior, int k, long seed,
            IntConsumer progress, int workers) {
        int classes = model.classes();
        double[][] s = new double[r][classes];
        int[] labels = new int[r];
        for (int y = 0; y < classes; y++) {
            java.util.Arrays.fill(labels, y);
            int label = y;
            IntConsumer inner = progress == null ? null : done -> progress.accept((int) (((long) label * r + done) / classes));
            double[] nll = Evaluator.importanceWeightedNllPerRecord(model, chunk, labels, r, k, seed, inner, workers);
            for (int i = 0; i < r; i++) {
                s[i][y] = -nll[i] + logPrior[y];
            }
        }
        return s;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    /** Confusion counts and the marginal likelihood, chunk by chunk. */
    private static final class Accumulator {
        final long[][] confusion;
        long correct;
        double sumNll;

        Accumulator(int classes) {
            confusion = new long[classes][classes];
        }

        void add(double[][] scores, int[] labels, int start) {
            for (int i = 0; i < scores.length; i++) {
                int truth = labels[start + i];
                if (truth < 0 || truth >= confusion.length) {
                    throw new IllegalArgumentException("label " + truth + " of record " + (start + i)
                            + " is out of range: the model knows labels 0.." + (confusion.length - 1));
                }
                int p = argmax(scores[i]);
                confusion[truth][p]++;
                if (p == truth) {
                    correct++;
                }
                double m = scores[i][p];
                double e = 0;
                for (double v : scores[i]) {
                    e += Math.exp(v - m);
                }
                sumNll -= m + Math.log(e);
            }
        }

        Result result(int n, int k, double[] logPrior) {
            return new Result(n, confusion.length, k, correct, confusion, logPrior.clone(), sumNll / n);
        }
    }
}
