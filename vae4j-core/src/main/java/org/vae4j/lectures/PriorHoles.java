package org.vae4j.lectures;

import java.util.Arrays;
import org.vae4j.data.ArrayDataset;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.GaussianMixture;
import org.vae4j.generate.MixtureSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.judge.Judgement;
import org.vae4j.judge.Yardstick;
import org.vae4j.latent.Encodings;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;

/**
 * The prior's holes, measured on an already trained VAE (the lectures use the 2-D VAE of sections 1–3): a
 * {@code gmm:K} mixture is fitted by EM to the posterior means of the training records ({@link MixtureSampler}), the
 * aggregate posterior's stand-in; a code lies "in a hole" when its log-density under that fit is below the
 * {@link #HOLE_PERCENTILE} percentile of the training codes' own log-densities. N(0, I) draws and draws from the fit
 * are counted that way, their mean distance to the nearest training code taken, and the decoded samples of both
 * judged alike (the yardstick's FD, precision, recall and label coverage, or the model-relative {@link Realism}).
 *
 * @param components mixture components K
 * @param fit one line on the fit ({@link MixtureSampler#summary()})
 * @param trainCodes training codes fitted and scored
 * @param holeLogDensity the log-density below which a code is in a hole (the training codes' 1st percentile)
 * @param priorHoleShare share of N(0, I) draws in a hole
 * @param gmmHoleShare share of the fit's draws in a hole (about 1% when the fit matches the codes)
 * @param priorNearest mean Euclidean distance from an N(0, I) draw to the nearest training code
 * @param gmmNearest the same for the fit's draws
 * @param samples samples drawn, decoded and judged per sampler
 * @param priorJudgement the yardstick's judgement of the decoded prior samples (null without a yardstick)
 * @param gmmJudgement the same for the fit's samples
 * @param priorRealism the model-relative realism of the prior samples (precision without a yardstick)
 * @param gmmRealism the same for the fit's samples
 * @param priorRecall share of probe records with a decoded prior sample as close as the model's reconstructions
 * @param gmmRecall the same for the fit's samples
 * @param priorRow the first {@link #ROW} decoded prior samples
 * @param gmmRow the first {@link #ROW} decoded samples of the fit
 */
public record PriorHoles(int components, String fit, int trainCodes, double holeLogDensity, double priorHoleShare,
                         double gmmHoleShare, double priorNearest, double gmmNearest, int samples, Judgement priorJudgement,
                         Judgement gmmJudgement, Realism.Scored priorRealism, Realism.Scored gmmRealism, double priorRecall,
                         double gmmRecall, float[] priorRow, float[] gmmRow) {
    /** Mixture components of the fit (the {@code gmm:10} sampler {@code train} saves). */
    public static final int COMPONENTS = CodeSampler.Spec.DEFAULT_COMPONENTS;
    /** A code is in a hole below this percentile of the training codes' log-densities. */
    public static final double HOLE_PERCENTILE = 0.01;
    /** Samples judged per sampler at most (keeps the section's run time bounded). */
    public static final int MAX_SAMPLES = 2000;
    /** Training codes fitted and scored at most (evenly spaced when there are more). */
    public static final int MAX_TRAIN_CODES = 20_000;
    /** Decoded samples per sampler in the picture row. */
    public static final int ROW = 10;

    /** Whether the yardstick judged the samples. */
    public boolean judged() {
        return priorJudgement != null && gmmJudgement != null;
    }

    /** Precision of the prior samples: the yardstick's, else the model-relative realism share. */
    public double priorPrecision() {
        return judged() ? priorJudgement.precision() : priorRealism.fraction();
    }

    /** Precision of the fit's samples, the same way. */
    public double gmmPrecision() {
        return judged() ? gmmJudgement.precision() : gmmRealism.fraction();
    }

    /** Recall of the prior samples: the yardstick's, else the model-relative one. */
    public double priorRecallMeasured() {
        return judged() ? priorJudgement.recall() : priorRecall;
    }

    /** Recall of the fit's samples, the same way. */
    public double gmmRecallMeasured() {
        return judged() ? gmmJudgement.recall() : gmmRecall;
    }

    /** The prior samples' Fréchet distance in the yardstick's features (NaN without a yardstick). */
    public double priorFd() {
        return judged() ? priorJudgement.fd() : Double.NaN;
    }

    /** The fit's samples' Fréchet distance (NaN without a yardstick). */
    public double gmmFd() {
        return judged() ? gmmJudgement.fd() : Double.NaN;
    }

    /**
     * Measures the holes of a trained, unconditional model that encodes and samples. Nothing is trained but the
     * mixture (EM on the codes, a few seconds).
     *
     * @param model the model
     * @param bench the data (training split, probe records, reference, yardstick)
     * @param s settings: {@code priorSamples} (capped at {@link #MAX_SAMPLES}) and the seed
     * @param realismThreshold the model's {@link Realism#threshold} (for the model-relative realism)
     * @return the measurements
     * @throws IllegalArgumentException when the model does not encode or is conditional
     */
    public static PriorHoles measure(VaeModel model, Lectures.Bench bench, Lectures.Settings s, double realismThreshold) {
        org.vae4j.data.Dataset train = bench.data().train();
        int nTrain = Math.min(train.size(), MAX_TRAIN_CODES);
        int k = Math.min(COMPONENTS, nTrain); // tiny training sets get no more components than codes
        MixtureSampler gmm = MixtureSampler.fit(model, train, k, s.seed(), nTrain, null);
        GaussianMixture g = gmm.mixture(-1);
        float[] codes = trainCodes(model, train, nTrain);
        int l = model.latent();
        double[] own = new double[nTrain];
        for (int i = 0; i < nTrain; i++) {
            own[i] = g.logDensity(codes, i * l);
        }
        double hole = Realism.quantile(own, HOLE_PERCENTILE);

        int n = Math.min(s.priorSamples(), MAX_SAMPLES);
        PriorSamples.Labels none = PriorSamples.Labels.none();
        float[] priorCodes = PriorSamples.codes(model, n, s.seed(), none, CodeSampler.PRIOR);
        float[] gmmCodes = PriorSamples.codes(model, n, s.seed(), none, gmm);
        float[] priorImages = PriorSamples.sample(model, n, s.seed(), none, CodeSampler.PRIOR);
        float[] gmmImages = PriorSamples.sample(model, n, s.seed(), none, gmm);

        ArrayDataset p = bench.probe();
        Yardstick y = bench.yardstick();
        int d = model.featureSize();
        int row = Math.min(ROW, n);
        return new PriorHoles(k, gmm.summary(), nTrain, hole, holeShare(g, priorCodes, n, l, hole),
                holeShare(g, gmmCodes, n, l, hole), meanNearest(priorCodes, n, codes, nTrain, l),
                meanNearest(gmmCodes, n, codes, nTrain, l), n, Lectures.judge(y, priorImages, n), Lectures.judge(y, gmmImages, n),
                Realism.score(bench.reference(), priorImages, n, realismThreshold),
                Realism.score(bench.reference(), gmmImages, n, realismThreshold),
                Realism.recall(priorImages, n, p.data(), p.size(), p.featureSize(), realismThreshold),
                Realism.recall(gmmImages, n, p.data(), p.size(), p.featureSize(), realismThreshold),
                Arrays.copyOf(priorImages, row * d), Arrays.copyOf(gmmImages, row * d));
    }

    /** The posterior means of {@code n} evenly spaced training records, the ones {@link MixtureSampler#fit} fits. */
    private static float[] trainCodes(VaeModel model, org.vae4j.data.Dataset train, int n) {
        int size = train.size();
        int d = train.featureSize();
        float[] x = new float[Math.multiplyExact(n, d)];
        for (int i = 0; i < n; i++) {
            train.copyRecord((int) ((long) i * size / n), x, i * d);
        }
        return Encodings.encode(model, Inputs.forEvaluation(x, model.config().transform()), n).mu();
    }

    /**
     * Share of codes whose log-density under {@code g} is below {@code threshold}.
     *
     * @param g the mixture
     * @param codes {@code n × l} codes
     * @param n codes
     * @param l code width
     * @param threshold the hole's log-density
     * @return the share in [0, 1]
     */
    public static double holeShare(GaussianMixture g, float[] codes, int n, int l, double threshold) {
        int in = 0;
        for (int i = 0; i < n; i++) {
            if (g.logDensity(codes, i * l) < threshold) {
                in++;
            }
        }
        return (double) in / n;
    }

    /**
     * Mean Euclidean distance from each query code to its nearest reference code (brute force: the lectures' codes are
     * 2-D and a few tens of thousands).
     *
     * @param queries {@code nq × l} codes
     * @param nq their number
     * @param refs {@code nr × l} codes
     * @param nr their number
     * @param l code width
     * @return the mean distance
     */
    public static double meanNearest(float[] queries, int nq, float[] refs, int nr, int l) {
        double sum = 0;
        for (int i = 0; i < nq; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < nr; j++) {
                double s = 0;
                for (int k = 0; k < l && s < best; k++) {
                    double t = queries[i * l + k] - refs[j * l + k];
                    s += t * t;
                }
                best = Math.min(best, s);
            }
            sum += Math.sqrt(best);
        }
        return sum / nq;
    }
}
