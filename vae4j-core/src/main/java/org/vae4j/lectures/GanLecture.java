package org.vae4j.lectures;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.Dataset;
import org.vae4j.judge.Judgement;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.VaeModel;
import org.vae4j.model.gan.GanVariant;
import org.vae4j.nn.Overwrite;
import org.vae4j.train.AdamOptimizer;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.TrainConfig;

/**
 * The GAN section of the lectures ("GANs: sampling without a density"): a GAN whose generator has the architecture of
 * the lectures' β = 1 VAE's decoder (and whose discriminator has its encoder's, with one logit), trained on the same
 * data for the same epochs, against that VAE. Measured:
 *
 * <ul>
 *   <li>both models' decoded prior samples, judged alike (the yardstick's Fréchet distance, precision, recall and label
 *       coverage, or without a yardstick the model-relative {@link Realism} at the VAE's threshold for both), and their
 *       {@link Sharpness} against the test images';
 *   <li>the generator's gradient at the start of training under the notes' minimax loss log(1 − D(G(z))) and the
 *       non-saturating −log D(G(z)), on the same freshly initialised G and a D given a few updates until it rejects
 *       G's samples ({@link Saturation});
 *   <li>D(x) and D(G(z)) per epoch of the GAN's training, against the ½ of the game's optimum;
 *   <li>what each model can do, read from its capabilities ({@link VaeModel#can}).
 * </ul>
 *
 * @param config the GAN's configuration
 * @param epochs its training epochs
 * @param curve per epoch, mean D(x) and D(G(z)) in training and on the test split
 * @param saturation the generator's gradient under both losses at the start of training
 * @param gan the GAN's samples
 * @param vae the VAE's samples
 * @param data the sharpness of the test images the samples are compared with
 * @param dataRow the first {@link #ROW} test images (the picture's reference row)
 * @param ganCan what the GAN can do
 * @param vaeCan what the VAE can do
 */
public record GanLecture(ModelConfig config, int epochs, List<EpochPoint> curve, Saturation saturation, Side gan, Side vae,
                         Sharpness data, float[] dataRow, Set<Capability> ganCan, Set<Capability> vaeCan) {
    /** Images per model in the picture's rows. */
    public static final int ROW = 10;
    /** D is updated until the mean D(G(z)) of a batch falls below this, before G's gradients are measured. */
    public static final double REJECTING = 0.05;
    /** At most this many D updates before the gradients are measured. */
    public static final int MAX_D_STEPS = 1000;
    /** Codes on which G's gradients are measured. */
    public static final int GRADIENT_CODES = 256;

    /**
     * Copies the lists and sets.
     *
     * @param config see the record
     * @param epochs see the record
     * @param curve see the record
     * @param saturation see the record
     * @param gan see the record
     * @param vae see the record
     * @param data see the record
     * @param dataRow see the record
     * @param ganCan see the record
     * @param vaeCan see the record
     */
    public GanLecture {
        curve = List.copyOf(curve);
        ganCan = Set.copyOf(ganCan);
        vaeCan = Set.copyOf(vaeCan);
    }

    /**
     * D's view in one epoch of the GAN's training.
     *
     * @param epoch 1-based epoch
     * @param trainReal mean D(x) over the epoch's batches (measured before each D update)
     * @param trainFake mean D(G(z)) over them
     * @param testReal mean D(x) on the test split after the epoch
     * @param testFake mean D(G(z)) against as many samples
     */
    public record EpochPoint(int epoch, double trainReal, double trainFake, double testReal, double testFake) {
        /** D(x) − D(G(z)) in training: how well D tells them apart (0 at the optimum). */
        public double trainGap() {
            return trainReal - trainFake;
        }

        /**
         * D's figures from a GAN's epoch metrics ({@code train_d_real}, {@code train_d_fake}, {@code test_d_real},
         * {@code test_d_fake}; NaN where absent).
         *
         * @param m the epoch's metrics
         * @return the point
         */
        public static EpochPoint of(EpochMetrics m) {
            return new EpochPoint(m.epoch(), extra(m, "train_" + GanVariant.D_REAL), extra(m, "train_" + GanVariant.D_FAKE),
                    extra(m, "test_" + GanVariant.D_REAL), extra(m, "test_" + GanVariant.D_FAKE));
        }

        private static double extra(EpochMetrics m, String key) {
            Double v = m.extra().get(key);
            return v == null ? Double.NaN : v;
        }
    }

    /**
     * G's gradient at the start of training under both generator losses, on the same G and D and the same codes.
     *
     * @param dSteps D updates taken first (Adam at the GAN's rate, the GAN's batches), until D rejected the samples
     * @param dReal mean D(x) on a training batch when measured
     * @param dFake mean D(G(z)) on the measured codes
     * @param codes codes measured
     * @param nonSaturatingLogit mean |∂L/∂l| per sample logit l under −log D(G(z)): 1 − σ(l)
     * @param minimaxLogit the same under log(1 − D(G(z))): σ(l)
     * @param nonSaturatingNorm ‖∂L/∂θ_G‖ of the mean non-saturating loss
     * @param minimaxNorm ‖∂L/∂θ_G‖ of the mean minimax loss
     */
    public record Saturation(int dSteps, double dReal, double dFake, int codes, double nonSaturatingLogit, double minimaxLogit,
                             double nonSaturatingNorm, double minimaxNorm) {
        /** The minimax gradient norm as a share of the non-saturating one. */
        public double ratio() {
            return minimaxNorm / nonSaturatingNorm;
        }
    }

    /**
     * One model's decoded prior samples, judged.
     *
     * @param name the model's name in the report
     * @param samples samples judged
     * @param judgement the yardstick's judgement (null without a yardstick)
     * @param realism model-relative realism at the VAE's threshold (the fallback precision)
     * @param realismRecall share of probe records with a sample that close (the fallback recall)
     * @param sharpness sharpness of the samples
     * @param row the first {@link #ROW} samples
     */
    public record Side(String name, int samples, Judgement judgement, Realism.Scored realism, double realismRecall, Sharpness sharpness,
                       float[] row) {
        /** Whether the yardstick judged the samples. */
        public boolean judged() {
            return judgement != null;
        }

        /** Fréchet distance in the yardstick's features (NaN without a yardstick). */
        public double fd() {
            return judged() ? judgement.fd() : Double.NaN;
        }

        /** Precision: the yardstick's, else the realism share. */
        public double precision() {
            return judged() ? judgement.precision() : realism.fraction();
        }

        /** Recall: the yardstick's, else the model-relative one. */
        public double recall() {
            return judged() ? judgement.recall() : realismRecall;
        }
    }

    /**
     * What the lectures' VAE could do that the GAN cannot: the capabilities the VAE has and the GAN lacks, in the
     * enum's order.
     *
     * @return the capabilities
     */
    public List<Capability> vaeOnly() {
        List<Capability> out = new ArrayList<>();
        for (Capability c : Capability.values()) {
            if (vaeCan.contains(c) && !ganCan.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * What a capability gives a user of vae4j, in the lectures' terms (the commands it enables).
     *
     * @param c the capability
     * @return a short phrase
     */
    public static String uses(Capability c) {
        return switch (c) {
            case ENCODES -> "encode a record, reconstruct it, interpolate between records, inpaint by encoding the visible part";
            case POSTERIOR -> "the −ELBO of a record (scores, anomaly detection), KL per dimension";
            case DECODES -> "decode chosen codes: interpolate and traverse between codes";
            case SAMPLES -> "draw new records from the prior";
            case CONDITIONAL -> "ask for a label";
            case IMPORTANCE_WEIGHTED -> "a tight estimate of log p(x) (IW NLL)";
        };
    }

    /**
     * The VAE's side, taken from the β-VAE while it is open ({@link #vaeSide}).
     *
     * @param side its samples, judged
     * @param capabilities what it can do
     * @param threshold its {@link Realism#threshold}, which also judges the GAN's samples when there is no yardstick
     */
    public record VaeSide(Side side, Set<Capability> capabilities, double threshold) {}

    /**
     * The VAE's samples and capabilities, on an open model whose {@link Lectures.BetaStats} were just measured (its
     * judgement is reused: the same {@code priorSamples} samples from the same seed).
     *
     * @param name its name in the report
     * @param model the model
     * @param stats its measurements
     * @param bench the data
     * @param s settings
     * @return its side
     */
    public static VaeSide vaeSide(String name, VaeModel model, Lectures.BetaStats stats, Lectures.Bench bench, Lectures.Settings s) {
        int n = s.priorSamples();
        float[] samples = model.sample(n, s.seed());
        int[] shape = bench.data().train().shape();
        Side side = new Side(name, n, stats.priorJudgement(), stats.prior(), stats.priorRecall(), Sharpness.of(samples, n, shape),
                Arrays.copyOf(samples, Math.min(ROW, n) * model.featureSize()));
        return new VaeSide(side, model.variant().capabilities(), stats.threshold());
    }

    /**
     * The GAN's training settings: the lectures' batch size, seed and threads with the GAN's own learning rate and
     * Adam betas ({@link ModelVariant#defaultLearningRate()}, {@link ModelVariant#defaultAdamBetas()}).
     *
     * @param variant the GAN's variant
     * @param epochs epochs
     * @param s settings
     * @return the training configuration
     */
    public static TrainConfig trainConfig(ModelVariant variant, int epochs, Lectures.Settings s) {
        double[] b = variant.defaultAdamBetas();
        return new TrainConfig(epochs, s.batchSize(), variant.defaultLearningRate(), b[0], b[1], s.seed(), s.threads(), 0, 0, 0, "stop",
                1000);
    }

    /**
     * Measures a trained GAN against the VAE's side.
     *
     * @param gan the trained GAN
     * @param epochs its epochs
     * @param curve its per-epoch D figures
     * @param saturation the gradient measurement ({@link #saturation})
     * @param vae the VAE's side
     * @param bench the data
     * @param s settings
     * @return the section's measurements
     */
    public static GanLecture measure(VaeModel gan, int epochs, List<EpochPoint> curve, Saturation saturation, VaeSide vae,
                                     Lectures.Bench bench, Lectures.Settings s) {
        int n = s.priorSamples();
        float[] samples = gan.sample(n, s.seed());
        int[] shape = bench.data().train().shape();
        ArrayDataset p = bench.probe();
        Side side = new Side("GAN", n, Lectures.judge(bench.yardstick(), samples, n),
                Realism.score(bench.reference(), samples, n, vae.threshold()),
                Realism.recall(samples, n, p.data(), p.size(), p.featureSize(), vae.threshold()), Sharpness.of(samples, n, shape),
                Arrays.copyOf(samples, Math.min(ROW, n) * gan.featureSize()));
        int rows = Math.min(ROW, p.size());
        return new GanLecture(gan.config(), epochs, curve, saturation, side, vae.side(), Sharpness.of(p.data(), p.size(), shape),
                Arrays.copyOf(p.data(), rows * p.featureSize()), gan.variant().capabilities(), vae.capabilities());
    }

    /**
     * G's gradient under the minimax and the non-saturating loss at the start of training: a GAN is initialised from
     * {@code config} and the seed, D alone is updated (Adam at the GAN's rate and betas, the training records in order,
     * fresh codes per batch) until a batch's mean D(G(z)) falls below {@link #REJECTING} (at most
     * {@link #MAX_D_STEPS} updates; both networks in evaluation mode, so without dropout), then both losses are differentiated with respect to G's weights on the same
     * {@link #GRADIENT_CODES} codes, D frozen and both networks in evaluation mode.
     *
     * @param config the GAN's configuration
     * @param bench the data
     * @param s settings (batch size, seed)
     * @return the measurement
     */
    public static Saturation saturation(ModelConfig config, Lectures.Bench bench, Lectures.Settings s) {
        ModelVariant v = config.variant();
        double[] betas = v.defaultAdamBetas();
        Dataset train = bench.data().train();
        int d = train.featureSize();
        int bs = Math.min(s.batchSize(), train.size());
        try (VaeModel m = VaeModel.create(config, s.seed())) {
            Map<String, NDArray> dParams = new LinkedHashMap<>();
            Map<String, NDArray> gParams = new LinkedHashMap<>();
            m.parameters().forEach((k, w) -> (k.startsWith("encoder.") ? dParams : gParams).put(k, w));
            float[] x = new float[bs * d];
            int steps = 0;
            double real = Double.NaN;
            try (AdamOptimizer adam = new AdamOptimizer(dParams, m.manager(), v.defaultLearningRate(), betas[0], betas[1], 1e-8)) {
                double fake = 1;
                int next = 0;
                while (steps < MAX_D_STEPS && fake >= REJECTING) {
                    for (int i = 0; i < bs; i++) {
                        train.copyRecord(next, x, i * d);
                        next = (next + 1) % train.size();
                    }
                    try (NDManager sub = m.manager().newSubManager()) {
                        NDArray xb = sub.create(x, m.batchShape(bs));
                        NDArray z = sub.create(m.priorCodes(bs, s.seed() + 1 + steps), new Shape(bs, m.latent()));
                        // evaluation mode (no dropout): this D is a measuring device, not the GAN's training
                        NDArray f = GanVariant.generate(m, z, false); // outside the collector: no graph into G
                        NDArray realLogits;
                        NDArray fakeLogits;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray logits = GanVariant.discriminator(m, NDArrays.concat(new NDList(xb, f)), false);
                            realLogits = logits.get("0:" + bs);
                            fakeLogits = logits.get(bs + ":");
                            gc.backward(GanVariant.discriminatorLoss(realLogits, fakeLogits).mean());
                        }
                        real = realLogits.getNDArrayInternal().sigmoid().mean().getFloat();
                        fake = fakeLogits.getNDArrayInternal().sigmoid().mean().getFloat();
                        adam.step(sub, 1f);
                        steps++;
                    }
                }
            }
            int n = GRADIENT_CODES;
            double[] norms = new double[2];
            double dFake = Double.NaN;
            double nsLogit = 0;
            double mmLogit = 0;
            dParams.values().forEach(w -> w.setRequiresGradient(false));
            try (NDManager sub = m.manager().newSubManager()) {
                NDArray z = sub.create(m.priorCodes(n, s.seed()), new Shape(n, m.latent()));
                for (int k = 0; k < 2; k++) {
                    Overwrite.zeroGradients(gParams.values(), sub);
                    NDArray logits;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        logits = GanVariant.discriminator(m, GanVariant.generate(m, z, false), false);
                        gc.backward(GanVariant.generatorLoss(logits, k == 0).mean());
                    }
                    double sq = 0;
                    for (NDArray w : gParams.values()) {
                        NDArray g = w.getGradient();
                        g.attach(sub);
                        sq += g.square().sum().getFloat();
                    }
                    norms[k] = Math.sqrt(sq);
                    if (k == 0) {
                        float[] l = logits.toFloatArray();
                        double sum = 0;
                        for (float li : l) {
                            double sig = 1 / (1 + Math.exp(-li));
                            sum += sig;
                            nsLogit += 1 - sig;
                            mmLogit += sig;
                        }
                        dFake = sum / n;
                        nsLogit /= n;
                        mmLogit /= n;
                    }
                }
            } finally {
                dParams.values().forEach(w -> w.setRequiresGradient(true));
            }
            return new Saturation(steps, real, dFake, n, nsLogit, mmLogit, norms[0], norms[1]);
        }
    }
}
