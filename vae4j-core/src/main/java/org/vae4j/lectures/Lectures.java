package org.vae4j.lectures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.judge.ClassifierCache;
import org.vae4j.judge.DigitClassifier;
import org.vae4j.judge.Judgement;
import org.vae4j.judge.Yardstick;
import org.vae4j.latent.Encodings;
import org.vae4j.latent.Interpolation;
import org.vae4j.latent.Manifold;
import org.vae4j.latent.Traversal;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;
import org.vae4j.train.TrainingListener;

/**
 * The measurements behind the lecture claims about autoencoders and VAEs: an autoencoder and a VAE with 2-D codes
 * (latent geometry, decoding between clusters, prior sampling, interpolation), β-VAEs over several β
 * (reconstruction against KL), the variance of the reparameterised and score-function gradient estimators, and the
 * prior's holes on the 2-D VAE ({@link PriorHoles}), and a GAN with the β = 1 VAE's decoder as its generator against that
 * VAE ({@link GanLecture}).
 * Presentation (pictures, tables, captions) is left to the caller.
 */
public final class Lectures {
    private Lectures() {}

    /**
     * What to train and how much to measure.
     *
     * @param epochs2d epochs of the two 2-D models
     * @param epochsBeta epochs of each β-VAE
     * @param hidden2d hidden widths of the 2-D models
     * @param hiddenBeta hidden widths of the β-VAEs
     * @param latent latent size of the β-VAEs
     * @param betas the β values
     * @param batchSize training batch size
     * @param trainLimit use at most this many training records (0: all)
     * @param codes test records encoded for maps and statistics
     * @param reference training records used as the reference for realism
     * @param priorSamples prior samples scored per model
     * @param pairs interpolation pairs measured
     * @param steps images per interpolation, endpoints included
     * @param gradRecords records for the gradient-variance comparison
     * @param gradSamples Monte Carlo samples per record for it
     * @param iwSamples importance samples per record for the NLL of the β-VAEs
     * @param iwRecords records for that NLL
     * @param seed seed for training and sampling
     * @param threads intra-op threads for training (0: engine default)
     */
    public record Settings(int epochs2d, int epochsBeta, List<Integer> hidden2d, List<Integer> hiddenBeta, int latent,
                           List<Double> betas, int batchSize, int trainLimit, int codes, int reference, int priorSamples,
                           int pairs, int steps, int gradRecords, int gradSamples, int iwSamples, int iwRecords, long seed,
                           int threads) {
        /**
         * Validates.
         *
         * @param epochs2d see the record
         * @param epochsBeta see the record
         * @param hidden2d see the record
         * @param hiddenBeta see the record
         * @param latent see the record
         * @param betas see the record
         * @param batchSize see the record
         * @param trainLimit see the record
         * @param codes see the record
         * @param reference see the record
         * @param priorSamples see the record
         * @param pairs see the record
         * @param steps see the record
         * @param gradRecords see the record
         * @param gradSamples see the record
         * @param iwSamples see the record
         * @param iwRecords see the record
         * @param seed see the record
         * @param threads see the record
         */
        public Settings {
            if (epochs2d < 1 || epochsBeta < 1) {
                throw new IllegalArgumentException("epochs must be at least 1");
            }
            if (latent < 2) {
                throw new IllegalArgumentException("the β-VAEs need a latent of at least 2, got " + latent);
            }
            if (betas == null || betas.isEmpty()) {
                throw new IllegalArgumentException("need at least one β");
            }
            hidden2d = List.copyOf(hidden2d);
            hiddenBeta = List.copyOf(hiddenBeta);
            betas = List.copyOf(betas);
            if (codes < 10 || reference < 1 || priorSamples < 1 || pairs < 1 || steps < 3 || gradRecords < 1 || gradSamples < 2
                    || iwSamples < 1 || iwRecords < 1) {
                throw new IllegalArgumentException("measurement sizes out of range");
            }
        }

        /**
         * The defaults: 2-D models MLP 256-128, β-VAEs MLP 256 with a 10-D latent, 10 epochs each,
         * β ∈ {0.5, 1, 4, 10}, batch 128, all training records, one intra-op thread.
         *
         * @return the defaults
         */
        public static Settings defaults() {
            return new Settings(10, 10, List.of(256, 128), List.of(256), 10, List.of(0.5, 1.0, 4.0, 10.0), 128, 0, 2000, 5000,
                    1000, 40, 10, 16, 1000, 100, 500, 1, 1);
        }

        /**
         * Copy with other epochs.
         *
         * @param twoD epochs of the 2-D models
         * @param beta epochs of the β-VAEs
         * @return the copy
         */
        public Settings withEpochs(int twoD, int beta) {
            return new Settings(twoD, beta, hidden2d, hiddenBeta, latent, betas, batchSize, trainLimit, codes, reference,
                    priorSamples, pairs, steps, gradRecords, gradSamples, iwSamples, iwRecords, seed, threads);
        }

        /**
         * Copy with other sizes (for quick runs and tests).
         *
         * @param hidden2d hidden widths of the 2-D models
         * @param hiddenBeta hidden widths of the β-VAEs
         * @param trainLimit training records (0: all)
         * @param codes test records encoded
         * @param reference reference training records
         * @param priorSamples prior samples per model
         * @param pairs interpolation pairs
         * @param gradRecords gradient-variance records
         * @param gradSamples samples per record
         * @return the copy
         */
        public Settings withSizes(List<Integer> hidden2d, List<Integer> hiddenBeta, int trainLimit, int codes, int reference,
                                  int priorSamples, int pairs, int gradRecords, int gradSamples) {
            return new Settings(epochs2d, epochsBeta, hidden2d, hiddenBeta, latent, betas, batchSize, trainLimit, codes, reference,
                    priorSamples, pairs, steps, gradRecords, gradSamples, iwSamples, iwRecords, seed, threads);
        }

        /**
         * Copy with another latent size, batch size, seed and thread count.
         *
         * @param latent latent size of the β-VAEs
         * @param batchSize training batch size
         * @param seed seed
         * @param threads intra-op threads (0: default)
         * @return the copy
         */
        public Settings withRun(int latent, int batchSize, long seed, int threads) {
            return new Settings(epochs2d, epochsBeta, hidden2d, hiddenBeta, latent, betas, batchSize, trainLimit, codes, reference,
                    priorSamples, pairs, steps, gradRecords, gradSamples, iwSamples, iwRecords, seed, threads);
        }
    }

    /**
     * The data as the experiments use them: the (possibly limited) training split, the test records that get
     * encoded, and the reference training images for realism. Close it to free the reference's native memory.
     */
    public static final class Bench implements AutoCloseable {
        private final DataSplits data;
        private final ArrayDataset probe;
        private final NearestNeighbours reference;
        private final int[] pairA;
        private final int[] pairB;
        private final Yardstick yardstick;

        /**
         * Prepares the data, without a yardstick (decoded images are then judged only by {@link Realism}).
         *
         * @param splits loaded data (values in [0, 1], not binarised)
         * @param s settings
         */
        public Bench(DataSplits splits, Settings s) {
            this(splits, s, null);
        }

        /**
         * Prepares the data.
         *
         * @param splits loaded data (values in [0, 1], not binarised)
         * @param s settings
         * @param yardstick judges decoded images against the test split (null: none); stays the caller's
         */
        public Bench(DataSplits splits, Settings s, Yardstick yardstick) {
            this.yardstick = yardstick;
            // the lectures keep their records in memory (materialize refuses data sets too large for the heap)
            ArrayDataset train = (s.trainLimit() > 0 ? splits.train().head(s.trainLimit()) : splits.train()).materialize();
            this.data = new DataSplits(train, splits.test());
            this.probe = splits.test().head(s.codes()).materialize();
            ArrayDataset ref = train.head(s.reference());
            this.reference = new NearestNeighbours(ref.data(), ref.size(), ref.featureSize(), ref.labels());
            int pairs = Math.min(s.pairs(), probe.size());
            this.pairA = new int[pairs];
            this.pairB = new int[pairs];
            SplittableRandom r = new SplittableRandom(s.seed());
            for (int p = 0; p < pairs; p++) {
                pairA[p] = p;
                int b = r.nextInt(probe.size());
                for (int tries = 0; tries < 100 && probe.hasLabels() && probe.labels()[b] == probe.labels()[p]; tries++) {
                    b = r.nextInt(probe.size());
                }
                pairB[p] = b;
            }
        }

        /**
         * The data used for training.
         *
         * @return train (possibly limited) and test splits
         */
        public DataSplits data() {
            return data;
        }

        /**
         * The test records that get encoded and plotted.
         *
         * @return the first {@code codes} test records
         */
        public ArrayDataset probe() {
            return probe;
        }

        /**
         * The reference training images.
         *
         * @return the nearest-neighbour index over them
         */
        public NearestNeighbours reference() {
            return reference;
        }

        /**
         * The yardstick decoded images are judged with: a classifier's features, the test split as reference.
         *
         * @return it, or null when the data have no labels to train its classifier on
         */
        public Yardstick yardstick() {
            return yardstick;
        }

        /**
         * Interpolation pairs: indices into {@link #probe()}, with different labels where the data are labelled.
         *
         * @return {@code [starts, ends]}
         */
        public int[][] pairs() {
            return new int[][] {pairA.clone(), pairB.clone()};
        }

        @Override
        public void close() {
            reference.close();
        }
    }

    /**
     * The 2-D autoencoder: same architecture and likelihood as {@link #vae2d}, no KL term.
     *
     * @param shape record shape
     * @param s settings
     * @return its configuration
     */
    public static ModelConfig ae2d(List<Integer> shape, Settings s) {
        return LectureModels.autoencoder2d(shape, s.hidden2d());
    }

    /**
     * The 2-D VAE.
     *
     * @param shape record shape
     * @param s settings
     * @return its configuration
     */
    public static ModelConfig vae2d(List<Integer> shape, Settings s) {
        return LectureModels.vae2d(shape, s.hidden2d());
    }

    /**
     * A β-VAE of the sweep.
     *
     * @param shape record shape
     * @param beta β
     * @param s settings
     * @return its configuration
     */
    public static ModelConfig betaVae(List<Integer> shape, double beta, Settings s) {
        return LectureModels.betaVae(shape, s.latent(), s.hiddenBeta(), beta);
    }

    /**
     * Trains a model in memory (nothing written).
     *
     * @param config model configuration
     * @param bench the data
     * @param epochs epochs
     * @param s settings (batch size, seed, threads)
     * @param listener progress
     * @return the trained model; the caller closes it
     */
    public static VaeModel train(ModelConfig config, Bench bench, int epochs, Settings s, TrainingListener listener) {
        return train(config, bench, defaultTraining(epochs, s), listener);
    }

    /**
     * Trains a model in memory with the given training settings (nothing written).
     *
     * @param config model configuration
     * @param bench the data
     * @param tc training settings
     * @param listener progress
     * @return the trained model; the caller closes it
     */
    public static VaeModel train(ModelConfig config, Bench bench, TrainConfig tc, TrainingListener listener) {
        return Training.of(config, tc).data(bench.data(), bench.data().train().name()).listener(listener).fit();
    }

    private static TrainConfig defaultTraining(int epochs, Settings s) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(s.batchSize()).withSeed(s.seed()).withThreads(s.threads());
    }

    /**
     * Everything measured on one of the 2-D models.
     *
     * @param codes posterior means of the probe records, {@code n × 2}
     * @param geometry how the codes fill the plane
     * @param threshold the model's realism threshold ({@link Realism})
     * @param gapImages the decoded {@link CodeGeometry#gapPoints()}
     * @param gaps their realism
     * @param prior realism of decoded samples from N(0, I) (precision)
     * @param priorRecall fraction of probe records with a decoded prior sample within the threshold (recall)
     * @param paths interpolation measurements
     * @param evaluation test −ELBO, reconstruction and KL on the probe records
     * @param gapPrecision share of the decoded gap points inside the test images' k-NN manifold in the yardstick's
     *     feature space (NaN without a yardstick)
     * @param priorJudgement the yardstick's judgement of the prior samples (null without a yardstick)
     */
    public record ModelStats(float[] codes, CodeGeometry geometry, double threshold, float[] gapImages, Realism.Scored gaps,
                             Realism.Scored prior, double priorRecall, PathStats paths, EvaluationResult evaluation,
                             double gapPrecision, Judgement priorJudgement) {
        /** Whether the yardstick judged this model's images. */
        public boolean judged() {
            return priorJudgement != null;
        }

        /** Share of decoded gap points that look like data: the yardstick's precision, else the model-relative realism. */
        public double gapsLookLikeData() {
            return judged() ? gapPrecision : gaps.fraction();
        }

        /** Precision of the prior samples: the yardstick's, else the model-relative realism share. */
        public double priorPrecision() {
            return judged() ? priorJudgement.precision() : prior.fraction();
        }

        /** Recall of the prior samples: the yardstick's, else the model-relative one. */
        public double priorRecallMeasured() {
            return judged() ? priorJudgement.recall() : priorRecall;
        }
    }

    /**
     * Measures a model with a 2-D latent.
     *
     * @param model the model
     * @param bench the data
     * @param s settings
     * @return the measurements
     */
    public static ModelStats probe(VaeModel model, Bench bench, Settings s) {
        if (model.latent() != 2) {
            throw new IllegalArgumentException("the latent-space comparison needs a 2-D latent; this model has " + model.latent());
        }
        ArrayDataset p = bench.probe();
        int n = p.size();
        float[] codes = Encodings.encode(model, p.data(), n).mu();
        CodeGeometry g = CodeGeometry.of(codes, n, p.labels());
        double threshold = Realism.threshold(model, bench.reference(), p.data(), n);
        int k = g.gapDistances().length;
        float[] gapImages = Encodings.decode(model, g.gapPoints(), k);
        Realism.Scored gaps = Realism.score(bench.reference(), gapImages, k, threshold);
        float[] samples = model.sample(s.priorSamples(), s.seed());
        Realism.Scored prior = Realism.score(bench.reference(), samples, s.priorSamples(), threshold);
        double recall = Realism.recall(samples, s.priorSamples(), p.data(), n, p.featureSize(), threshold);
        int[][] pairs = bench.pairs();
        Yardstick y = bench.yardstick();
        PathStats paths = PathStats.measure(model, p.subset(pairs[0]).data(), p.subset(pairs[1]).data(), pairs[0].length,
                s.steps(), bench.reference(), threshold, y);
        EvaluationResult ev = Evaluator.evaluate(model, p.data(), n, 500, s.seed());
        double gapPrecision = y == null ? Double.NaN : y.precision(gapImages, k);
        Judgement judged = judge(y, samples, s.priorSamples());
        return new ModelStats(codes, g, threshold, gapImages, gaps, prior, recall, paths, ev, gapPrecision, judged);
    }

    /**
     * Everything measured on one β-VAE.
     *
     * @param beta β
     * @param evaluation test −ELBO (at β = 1), reconstruction, KL, KL per dimension, active units
     * @param iwNll importance-weighted NLL estimate on {@code iwRecords} test records
     * @param iwNegElbo −ELBO on the same records, for comparison with {@code iwNll}
     * @param meanSigma geometric mean posterior σ over records and all dimensions
     * @param meanSigmaUsed geometric mean posterior σ over the dimensions with mean KL above 0.1 nats (NaN if none)
     * @param meanCodeNorm mean ‖μ‖ of the probe records
     * @param threshold the model's realism threshold
     * @param prior realism of decoded prior samples (precision)
     * @param priorRecall fraction of probe records with a decoded prior sample within the threshold (recall)
     * @param alignment factor alignment of the posterior means, or null without known factors
     * @param priorJudgement the yardstick's judgement of the prior samples (null without a yardstick)
     */
    public record BetaStats(double beta, EvaluationResult evaluation, double iwNll, double iwNegElbo, double meanSigma,
                            double meanSigmaUsed, double meanCodeNorm, double threshold, Realism.Scored prior,
                            double priorRecall, FactorAlignment alignment, Judgement priorJudgement) {
        /**
         * Latent dimensions in use: those whose mean KL exceeds {@link LectureVerdicts#DIMENSION_IN_USE_NATS}.
         *
         * @return their number
         */
        public int dimensionsInUse() {
            int n = 0;
            for (double k : evaluation.klPerDimension()) {
                if (k > LectureVerdicts.DIMENSION_IN_USE_NATS) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Ordinal shapes factors used for the alignment score (shape and colour are categorical, rotation cyclic). */
    static final List<String> ORDINAL_FACTORS = List.of("x", "y", "scale");

    /**
     * Measures a β-VAE.
     *
     * @param model the model
     * @param beta its β
     * @param bench the data
     * @param s settings
     * @return the measurements
     */
    public static BetaStats probeBeta(VaeModel model, double beta, Bench bench, Settings s) {
        ArrayDataset p = bench.probe();
        int n = p.size();
        EvaluationResult ev = Evaluator.evaluate(model, p.data(), n, 500, s.seed());
        int iwN = Math.min(s.iwRecords(), n);
        float[] iwData = Arrays.copyOf(p.data(), iwN * p.featureSize());
        double iw = Evaluator.importanceWeightedNll(model, iwData, iwN, s.iwSamples(), s.seed(), null);
        double iwElbo = Evaluator.evaluate(model, iwData, iwN, 500, s.seed()).negElbo();
        Posterior post = Encodings.encode(model, p.data(), n);
        int l = model.latent();
        double lvAll = 0;
        double lvUsed = 0;
        int used = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int j = 0; j < l; j++) {
                double lv = post.logvar()[i * l + j];
                lvAll += lv;
                if (ev.klPerDimension()[j] > LectureVerdicts.DIMENSION_IN_USE_NATS) {
                    lvUsed += lv;
                    used++;
                }
                sq += (double) post.mu()[i * l + j] * post.mu()[i * l + j];
            }
            norm += Math.sqrt(sq);
        }
        double threshold = Realism.threshold(model, bench.reference(), p.data(), n);
        float[] samples = model.sample(s.priorSamples(), s.seed());
        Realism.Scored prior = Realism.score(bench.reference(), samples, s.priorSamples(), threshold);
        double recall = Realism.recall(samples, s.priorSamples(), p.data(), n, p.featureSize(), threshold);
        java.util.Map<String, int[]> factors = new java.util.LinkedHashMap<>();
        for (String f : ORDINAL_FACTORS) {
            if (p.factors().containsKey(f)) {
                factors.put(f, p.factors().get(f));
            }
        }
        FactorAlignment align = factors.isEmpty() ? null : FactorAlignment.of(post.mu(), n, l, factors);
        return new BetaStats(beta, ev, iw, iwElbo, Math.exp(0.5 * lvAll / ((double) n * l)),
                used == 0 ? Double.NaN : Math.exp(0.5 * lvUsed / used), norm / n, threshold, prior, recall, align,
                judge(bench.yardstick(), samples, s.priorSamples()));
    }

    /**
     * The reparameterised and score-function estimators of ∇_μ E_q[log p(x|z)] on the first
     * {@code gradRecords} probe records.
     *
     * @param model a VAE
     * @param bench the data
     * @param s settings
     * @return the comparison
     */
    public static GradientVariance.Summary gradients(VaeModel model, Bench bench, Settings s) {
        ArrayDataset p = bench.probe();
        int n = Math.min(s.gradRecords(), p.size());
        return GradientVariance.forRecords(model, Arrays.copyOf(p.data(), n * p.featureSize()), n, s.gradSamples(), s.seed());
    }

    /**
     * Runs every lecture experiment and returns what the report shows: trains the 2-D autoencoder and VAE
     * ({@link LectureModels}) and the β-VAEs, measures each claim, draws the figures' images and decides the verdicts.
     * Models live only during the call. With one intra-op thread ({@link Settings#threads()}) the same data, settings
     * and seed give the same numbers.
     *
     * @param splits loaded image data (records C × H × W, values in [0, 1], not binarised)
     * @param s what to train and measure, the seed included
     * @param listener progress (training epochs, finished stages); {@link LectureListener#NONE} for none
     * @return the report's content
     * @throws IllegalArgumentException when the records are not images or a lecture model is missing from the registry
     */
    public static LectureReport run(DataSplits splits, Settings s, LectureListener listener) {
        return run(splits, s, Judge.defaults(), listener);
    }

    /**
     * Where the yardstick's classifier comes from ({@link ClassifierCache}).
     *
     * @param cacheRoot the classifier cache
     * @param classifier its settings; null: {@link DigitClassifier.Settings#yardstick(int)} for the training split's size
     * @param seed its training seed
     */
    public record Judge(java.nio.file.Path cacheRoot, DigitClassifier.Settings classifier, long seed) {
        /**
         * The default cache, {@link DigitClassifier.Settings#yardstick(int)}, seed 1: the classifier {@code vae4j judge}
         * uses by default, so the two share one cache entry.
         *
         * @return the defaults
         */
        public static Judge defaults() {
            return new Judge(ClassifierCache.defaultRoot(), null, 1);
        }
    }

    /** The yardstick's judgement of {@code n} samples, or null without a yardstick or with too few samples. */
    static Judgement judge(Yardstick y, float[] samples, int n) {
        return y == null || n <= y.settings().k() ? null : y.judge(samples, n, org.vae4j.generate.PriorSamples.Labels.none());
    }

    /**
     * Runs every lecture experiment, judging decoded images with the yardstick of {@code judge} when the data are
     * labelled (its classifier is trained on the whole training split, or loaded from the cache).
     *
     * @param splits the data
     * @param s settings
     * @param judge where the yardstick's classifier is kept; null: no yardstick (the model-relative {@link Realism} only)
     * @param listener progress (may be null)
     * @return the report
     */
    public static LectureReport run(DataSplits splits, Settings s, Judge judge, LectureListener listener) {
        int[] shape = splits.train().shape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("lectures needs image data (C×H×W); " + splits.train().name() + " records have shape "
                    + Arrays.toString(shape));
        }
        // fail before any training when a lecture model is absent or cannot do what the lectures ask of it
        LectureModels.plainAutoencoder();
        LectureModels.withPosterior();
        LectureModels.adversarial();
        LectureListener l = listener == null ? LectureListener.NONE : listener;
        List<Integer> shapeList = Arrays.stream(shape).boxed().toList();
        List<LectureReport.Timing> timings = new ArrayList<>();
        DigitClassifier classifier = null;
        Yardstick yardstick = null;
        String judgeInfo = "";
        if (judge != null && splits.train().hasLabels()) {
            long j0 = System.nanoTime();
            DigitClassifier.Settings wanted = judge.classifier() != null ? judge.classifier()
                    : DigitClassifier.Settings.yardstick(splits.train().size());
            ClassifierCache.Obtained o = ClassifierCache.obtain(judge.cacheRoot(), splits.train(), wanted, judge.seed(), null, null);
            classifier = o.classifier();
            yardstick = Yardstick.of(classifier, splits.test(), Yardstick.Settings.defaults());
            double acc = classifier.accuracy(splits.test());
            DigitClassifier.Settings cs = classifier.meta().settings();
            judgeInfo = String.format(java.util.Locale.ROOT, "a %s classifier (%d epochs, %d features) %s on the %d training images "
                    + "(test accuracy %.1f%%); reference: the %d test images; k = %d", cs.arch().type(), cs.epochs(),
                    classifier.featureWidth(), o.trained() ? "trained" : "loaded from the cache, trained", splits.train().size(), 100 * acc,
                    yardstick.referenceSize(), yardstick.settings().k());
            stage(l, timings, (o.trained() ? "train" : "load")
                    + " the yardstick's classifier and judge the test images", j0);
        }
        try (Bench bench = new Bench(splits, s, yardstick)) {
            ArrayDataset probe = bench.probe();
            LectureReport.Setup setup = new LectureReport.Setup(splits.train().name(), bench.data().train().size(), probe,
                    bench.reference().size(), labelCount(bench.data().train()), shape.clone(), s, judgeInfo);
            l.started(setup);

            // sections 1–3: the two 2-D models
            LectureReport.TwoDModel ae = twoD("autoencoder (2-D)", ae2d(shapeList, s), bench, s, l, timings, null);
            // section 6 on the same VAE, before it is closed: only a mixture is fitted, nothing more is trained
            PriorHoles[] holes = new PriorHoles[1];
            LectureReport.TwoDModel vae = twoD("VAE (2-D)", vae2d(shapeList, s), bench, s, l, timings, (m, st) -> {
                long h0 = System.nanoTime();
                holes[0] = PriorHoles.measure(m, bench, s, st.threshold());
                stage(l, timings, "the prior's holes: gmm:" + holes[0].components() + " fit, " + holes[0].samples()
                        + " samples per sampler judged", h0);
            });

            // section 4: the β sweep; section 5 on the β = 1 model (or the first)
            List<LectureReport.BetaModel> sweep = new ArrayList<>();
            GradientVariance.Summary grads = null;
            GanLecture.VaeSide vaeSide = null;
            double gradBeta = s.betas().contains(1.0) ? 1.0 : s.betas().get(0);
            int shown = Math.min(LectureReport.BETA_SHOWN, probe.size());
            float[] originals = probe.head(shown).data();
            for (double b : s.betas()) {
                String name = "β-VAE β = " + LectureVerdicts.betaLabel(b);
                ModelConfig config = betaVae(shapeList, b, s);
                try (VaeModel m = trainTimed(name, config, bench, s.epochsBeta(), s, l, timings)) {
                    long m0 = System.nanoTime();
                    BetaStats st = probeBeta(m, b, bench, s);
                    float[] recons = Encodings.reconstruct(m, originals, shown);
                    float[] samples = m.sample(shown, s.seed());
                    LectureReport.TraversalFigure traversal = traversal(m, st, probe);
                    sweep.add(new LectureReport.BetaModel(name, config, st, recons, samples, traversal));
                    stage(l, timings, "measure and draw β = " + LectureVerdicts.betaLabel(b) + " (IW NLL with " + s.iwSamples() + " samples)", m0);
                    if (b == gradBeta && grads == null) {
                        long g0 = System.nanoTime();
                        grads = gradients(m, bench, s);
                        stage(l, timings, "gradient estimators (" + s.gradRecords() + " records × " + s.gradSamples() + " samples)", g0);
                        // section 7 compares the GAN with this model's samples (already judged above) and capabilities
                        vaeSide = GanLecture.vaeSide(name, m, st, bench, s);
                    }
                }
            }
            // section 7: a GAN with this VAE's decoder as its generator, the same data and epochs
            ModelConfig ganConfig = LectureModels.gan(shapeList, s.latent(), s.hiddenBeta());
            long q0 = System.nanoTime();
            GanLecture.Saturation saturation = GanLecture.saturation(ganConfig, bench, s);
            stage(l, timings, "GAN: G's gradient under both losses after " + saturation.dSteps() + " D updates", q0);
            List<GanLecture.EpochPoint> curve = new ArrayList<>();
            GanLecture gan;
            try (VaeModel g = trainTimed("GAN", ganConfig, bench, GanLecture.trainConfig(ganConfig.variant(), s.epochsBeta(), s), l, timings,
                    curve)) {
                long m0 = System.nanoTime();
                gan = GanLecture.measure(g, s.epochsBeta(), curve, saturation, vaeSide, bench, s);
                stage(l, timings, "measure and draw the GAN against " + vaeSide.side().name(), m0);
            }
            return new LectureReport(setup, LectureReport.LatentSpace.of(ae, vae),
                    LectureReport.PriorSampling.of(ae, vae, s.priorSamples(), setup.labels()), LectureReport.Interpolations.of(ae, vae),
                    LectureReport.BetaSweep.of(sweep, originals, shown, s.iwSamples()),
                    LectureReport.Gradients.of(gradBeta, grads, grads.perRecord().size(), s.gradSamples()),
                    LectureReport.Holes.of(holes[0]), LectureReport.Gan.of(gan), timings);
        } finally {
            if (classifier != null) {
                classifier.close();
            }
        }
    }

    private static int labelCount(org.vae4j.data.Dataset train) {
        return train.hasLabels() ? (int) Arrays.stream(train.labels()).distinct().count() : 0;
    }

    private static void stage(LectureListener l, List<LectureReport.Timing> timings, String what, long t0) {
        LectureReport.Timing t = new LectureReport.Timing(what, (System.nanoTime() - t0) / 1e9);
        timings.add(t);
        l.stage(t);
    }

    private static VaeModel trainTimed(String name, ModelConfig config, Bench bench, int epochs, Settings s, LectureListener l,
                                       List<LectureReport.Timing> timings) {
        return trainTimed(name, config, bench, defaultTraining(epochs, s), l, timings, null);
    }

    /** Trains with progress and a timing; {@code curve} (may be null) collects D's figures per epoch. */
    private static VaeModel trainTimed(String name, ModelConfig config, Bench bench, TrainConfig tc, LectureListener l,
                                       List<LectureReport.Timing> timings, List<GanLecture.EpochPoint> curve) {
        long t0 = System.nanoTime();
        int epochs = tc.epochs();
        l.training(name, config, epochs);
        VaeModel m = train(config, bench, tc, new TrainingListener() {
            @Override
            public void epoch(EpochMetrics metrics) {
                if (curve != null) {
                    curve.add(GanLecture.EpochPoint.of(metrics));
                }
                l.epoch(name, config, epochs, metrics);
            }
        });
        stage(l, timings, "train " + name + " (" + epochs + " epochs)", t0);
        return m;
    }

    /** Trains, measures and draws one 2-D model; {@code more} (may be null) measures more on it before it is closed. */
    private static LectureReport.TwoDModel twoD(String name, ModelConfig config, Bench bench, Settings s, LectureListener l,
                                                List<LectureReport.Timing> timings,
                                                java.util.function.BiConsumer<VaeModel, ModelStats> more) {
        try (VaeModel m = trainTimed(name, config, bench, s.epochs2d(), s, l, timings)) {
            long t0 = System.nanoTime();
            ModelStats st = probe(m, bench, s);
            ArrayDataset probe = bench.probe();
            // the training image nearest to each decoded gap point (the reference is the head of the training split)
            int k = st.gaps().n();
            int d = m.featureSize();
            float[] nearest = new float[k * d];
            for (int i = 0; i < k; i++) {
                bench.data().train().copyRecord(st.gaps().nearest()[i], nearest, i * d);
            }
            float[] prior = m.sample(LectureReport.PRIOR_GRID, s.seed());
            float[] manifold = Manifold.decode(m, LectureReport.MANIFOLD_GRID);
            int[][] pr = bench.pairs();
            int shown = Math.min(LectureReport.INTERPOLATIONS_SHOWN, pr[0].length);
            List<float[]> paths = new ArrayList<>();
            for (int i = 0; i < shown; i++) {
                paths.add(Interpolation.decodedPath(m, probe.record(pr[0][i]), probe.record(pr[1][i]), LectureReport.INTERPOLATION_STEPS,
                        Interpolation.Mode.LINEAR));
            }
            float[] fade = Interpolation.crossFade(probe.record(pr[0][0]), probe.record(pr[1][0]), LectureReport.INTERPOLATION_STEPS);
            stage(l, timings, "measure and draw " + name, t0);
            if (more != null) {
                more.accept(m, st);
            }
            return new LectureReport.TwoDModel(name, config, st, nearest, prior, manifold, paths, fade);
        }
    }

    /** The dimensions with the highest KL swept around test image 0's code. */
    private static LectureReport.TraversalFigure traversal(VaeModel m, BetaStats st, ArrayDataset probe) {
        int k = Math.min(LectureReport.TRAVERSED_DIMENSIONS, m.latent());
        double[] klPerDim = st.evaluation().klPerDimension();
        int[] top = Traversal.topDimensions(klPerDim, k);
        double[] kl = new double[k];
        for (int i = 0; i < k; i++) {
            kl[i] = klPerDim[top[i]];
        }
        float[] base = Encodings.encode(m, probe.record(0), 1).mu();
        float[] images = Traversal.decode(m, base, top, LectureReport.TRAVERSAL_RANGE, LectureReport.TRAVERSAL_STEPS);
        return new LectureReport.TraversalFigure(top, kl, images, LectureReport.TRAVERSAL_STEPS, LectureReport.TRAVERSAL_RANGE);
    }
}
