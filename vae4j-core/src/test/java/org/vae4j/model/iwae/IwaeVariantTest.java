package org.vae4j.model.iwae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.eval.Evaluator;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.Batch;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariants;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vae.VaeVariant;
import org.vae4j.nn.Scalars;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.Inputs;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/**
 * The importance-weighted autoencoder against Burda et al. (2016): log w = log p(x|z) + log p(z) − log q(z|x),
 * L_K = log (1/K) Σ_k w_k computed stably, gradients through the normalised weights, K = 1 is the VAE, and
 * ELBO ≤ L_1 ≈ ELBO ≤ L_5 ≤ L_50 on a trained model. Every reference value is computed here in Java (double) from
 * the same ε the model was given, not with the model's own code.
 */
class IwaeVariantTest {
    static final int D = 256;
    static final int L = 3;
    static final double LOG_2PI = Math.log(2 * Math.PI);

    static ModelConfig config(String model, int k) {
        return new ModelConfig(ModelConfig.FORMAT_VERSION, model, List.of(1, 16, 16), L, ArchConfig.mlp(32).withActivation("tanh"),
                "bernoulli", 1.0, 1.0, DataTransform.NONE, model.equals("iwae") ? new IwaeVariant.Settings(k) : null);
    }

    /** Binarised blobs (the Bernoulli likelihood is then a true probability), {@code n} records. */
    static float[] records(int n, long seed) {
        return Inputs.bernoulli(TestData.blobs("blobs", n, 1, 16, seed).data(), seed);
    }

    /** A standard normal ε the test knows, handed to the model as its {@link Noise}. */
    static float[] normals(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) VaeModel.Gaussian.next(r);
        }
        return v;
    }

    static Noise fixed(float[] eps) {
        return (manager, shape) -> {
            assertThat(shape.size()).as("draws asked for").isEqualTo(eps.length);
            return manager.create(eps, shape);
        };
    }

    /**
     * log w_k = log p(x|z_k) + log N(z_k; 0, I) − log N(z_k; μ, σ²) of every record and draw, in double, with the
     * decoder's logits for z_k = μ + σ ε_k and all normalising constants written out (they cancel in w but not in
     * the individual terms): Burda et al.'s eq. (7)–(8) integrand.
     *
     * @return {@code [n][k]}
     */
    static double[][] javaLogWeights(VaeModel m, float[] x, int n, int k, float[] eps) {
        try (NDManager sub = m.manager().newSubManager()) {
            NDArray[] post = m.posterior(Batch.of(sub.create(x, m.batchShape(n))), false);
            float[] mu = post[0].toFloatArray();
            float[] logvar = post[1].toFloatArray();
            float[] z = new float[n * k * L];
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < k; s++) {
                    for (int j = 0; j < L; j++) {
                        int e = (i * k + s) * L + j;
                        z[e] = (float) (mu[i * L + j] + Math.exp(0.5 * logvar[i * L + j]) * eps[e]);
                    }
                }
            }
            float[] logits = m.decoderOutput(sub.create(z, new Shape((long) n * k, L)), null, false).toFloatArray();
            double[][] w = new double[n][k];
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < k; s++) {
                    double logPx = 0;
                    for (int d = 0; d < D; d++) {
                        double l = logits[(i * k + s) * D + d];
                        // log Bernoulli(x; sigmoid(l)) = x·l − softplus(l)
                        logPx += x[i * D + d] * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
                    }
                    double logPz = 0;
                    double logQ = 0;
                    for (int j = 0; j < L; j++) {
                        int e = (i * k + s) * L + j;
                        double lv = logvar[i * L + j];
                        double diff = z[e] - mu[i * L + j];
                        logPz += -0.5 * (LOG_2PI + z[e] * (double) z[e]);
                        logQ += -0.5 * (LOG_2PI + lv + diff * diff / Math.exp(lv));
                    }
                    w[i][s] = logPx + logPz - logQ;
                }
            }
            return w;
        }
    }

    /** log (1/K) Σ exp(w) in double, the textbook way with a shift by the maximum. */
    static double logMeanExp(double[] w) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : w) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : w) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s / w.length);
    }

    @Test
    void settingsComeFromIwSamplesAndAreChecked() {
        IwaeVariant v = (IwaeVariant) ModelVariants.get("iwae");
        assertThat(v.settings(Map.of(), 0)).isEqualTo(new IwaeVariant.Settings(5));
        assertThat(v.settings(Map.of("iw-samples", " 50 "), 0)).isEqualTo(new IwaeVariant.Settings(50));
        assertThatThrownBy(() -> v.settings(Map.of("iw-samples", "0"), 0)).hasMessageContaining("1..5000");
        assertThatThrownBy(() -> v.settings(Map.of("iw-samples", "five"), 0)).hasMessageContaining("whole number");
        assertThatThrownBy(() -> v.settings(Map.of("classes", "10"), 10)).hasMessageContaining("does not take option 'classes'");
        assertThatThrownBy(() -> ModelVariants.get("vae").settings(Map.of("iw-samples", "5"), 0))
                .hasMessageContaining("does not take option 'iw-samples'");
        assertThat(v.termNames()).containsExactly("recon", "kl", "neg_iw_bound");
    }

    /**
     * K = 1 is the VAE: the same networks, the same ε, the same reconstruction and KL terms. The IWAE's loss
     * −log w_1 estimates the KL by Monte Carlo (log q(z|x) − log p(z) at the drawn z), where the VAE uses the
     * closed form, so the two losses differ by exactly mean_i [Σ_j (−½ε² − ½ log σ² + ½z²) − KL_i]: zero in
     * expectation (second check, over 20,000 draws), not per draw.
     */
    @Test
    void withOneSampleItIsTheVaeOnTheSameEpsilon() {
        int n = 8;
        float[] x = records(n, 3);
        float[] eps = normals(n * L, 11);
        try (VaeModel iwae = VaeModel.create(config("iwae", 1), 7); VaeModel vae = VaeModel.create(config("vae", 1), 99)) {
            Map<String, float[]> weights = new HashMap<>();
            iwae.parameters().forEach((name, a) -> weights.put(name, a.toFloatArray()));
            vae.setParametersFrom(weights);
            try (NDManager sub = iwae.manager().newSubManager()) {
                ModelOutput a = iwae.forward(Batch.of(sub.create(x, iwae.batchShape(n))), false, Objective.elbo(1), fixed(eps));
                ModelOutput b = vae.forward(Batch.of(sub.create(x, vae.batchShape(n))), false, Objective.elbo(1), fixed(eps));
                assertThat(a.z().toFloatArray()).containsExactly(b.z().toFloatArray(), within(1e-6f));
                assertThat(a.recon().toFloatArray()).containsExactly(b.recon().toFloatArray(), within(1e-4f));
                assertThat(a.kl().toFloatArray()).containsExactly(b.kl().toFloatArray(), within(1e-5f));
                float[] mu = a.mu().toFloatArray();
                float[] logvar = a.logvar().toFloatArray();
                float[] kl = b.kl().toFloatArray();
                double mcMinusClosed = 0;
                for (int i = 0; i < n; i++) {
                    double mc = 0;
                    for (int j = 0; j < L; j++) {
                        double e = eps[i * L + j];
                        double z = mu[i * L + j] + Math.exp(0.5 * logvar[i * L + j]) * e;
                        mc += -0.5 * e * e - 0.5 * logvar[i * L + j] + 0.5 * z * z;
                    }
                    mcMinusClosed += (mc - kl[i]) / n;
                }
                // losses of ~170 nats in float32: 1e-3 is a few ulps of the sum
                assertThat((double) a.loss().getFloat()).as("IWAE K=1 loss = VAE loss + (MC KL − closed-form KL)")
                        .isCloseTo(b.loss().getFloat() + mcMinusClosed, within(1e-3));
                assertThat(Math.abs(mcMinusClosed)).as("the ε here is not a degenerate one").isGreaterThan(1e-3);
            }
            // in expectation they are equal: one record, 20,000 draws, in one batch of repeated records
            int reps = 20_000;
            float[] one = java.util.Arrays.copyOf(x, D);
            float[] many = new float[reps * D];
            for (int r = 0; r < reps; r++) {
                System.arraycopy(one, 0, many, r * D, D);
            }
            float[] epsMany = normals(reps * L, 12);
            try (NDManager sub = iwae.manager().newSubManager()) {
                ModelOutput a = iwae.forward(Batch.of(sub.create(many, iwae.batchShape(reps))), false, Objective.elbo(1), fixed(epsMany));
                ModelOutput b = vae.forward(Batch.of(sub.create(many, vae.batchShape(reps))), false, Objective.elbo(1), fixed(epsMany));
                float[] diff = a.terms().get("neg_iw_bound").sub(b.recon().add(b.kl())).toFloatArray();
                double mean = 0;
                double sq = 0;
                for (float d : diff) {
                    mean += d / reps;
                    sq += (double) d * d / reps;
                }
                double se = Math.sqrt((sq - mean * mean) / reps);
                // the difference is the MC KL minus the closed form, mean 0: 4 standard errors (≈ 1 in 16,000 false alarm)
                assertThat(Math.abs(mean)).as("mean (−log w_1) − (recon + KL) over %d draws, s.e. %.4f", reps, se).isLessThan(4 * se);
                assertThat(se).as("the check has power: s.e. small against the KL").isLessThan(0.05);
            }
        }
    }

    /**
     * The model's log weights and bound against Java: log w from the decoder's logits and the three densities written
     * out, L_K as a log-mean-exp over them; the forward pass's loss is the batch mean of −L_K and its recon term the
     * mean over the draws of −log p(x|z_k).
     */
    @Test
    void theBoundIsTheLogMeanExpOfTheLogWeights() {
        int n = 6;
        int k = 5;
        float[] x = records(n, 4);
        float[] eps = normals(n * k * L, 21);
        try (VaeModel m = VaeModel.create(config("iwae", k), 5); NDManager sub = m.manager().newSubManager()) {
            double[][] expected = javaLogWeights(m, x, n, k, eps);
            Batch batch = Batch.of(sub.create(x, m.batchShape(n)));
            NDArray[] post = m.posterior(batch, false);
            float[] logw = m.variant().logWeights(m, batch, post, sub.create(eps, new Shape(n, k, L))).toFloatArray();
            ModelOutput out = m.forward(batch, false, Objective.elbo(1), fixed(eps));
            float[] negBound = out.terms().get("neg_iw_bound").toFloatArray();
            double meanNegBound = 0;
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < k; s++) {
                    // log weights of ~−180 nats summed over 256 pixels in float32: 2e-3 nats is ~1e-5 relative
                    assertThat((double) logw[i * k + s]).as("log w[%d][%d]", i, s).isCloseTo(expected[i][s], within(2e-3));
                }
                double lk = logMeanExp(expected[i]);
                assertThat((double) negBound[i]).as("−L_5 of record %d", i).isCloseTo(-lk, within(2e-3));
                meanNegBound += -lk / n;
            }
            assertThat((double) out.loss().getFloat()).as("loss = mean −L_K").isCloseTo(meanNegBound, within(2e-3));
            // the draws really differ: the bound is not any single weight
            assertThat(expected[0][0]).isNotCloseTo(expected[0][1], within(0.1));
            // recon: mean over the K draws of −log p(x|z_k), the same z as the weights
            float[] recon = out.recon().toFloatArray();
            float[] kl = out.kl().toFloatArray();
            float[] mu = out.mu().toFloatArray();
            float[] lv = out.logvar().toFloatArray();
            for (int i = 0; i < n; i++) {
                double closedKl = 0;
                for (int j = 0; j < L; j++) {
                    double m2 = mu[i * L + j];
                    closedKl += 0.5 * (m2 * m2 + Math.exp(lv[i * L + j]) - lv[i * L + j] - 1);
                }
                assertThat((double) kl[i]).as("closed-form KL of record %d", i).isCloseTo(closedKl, within(1e-4));
                double meanLogPxz = 0;
                for (int s = 0; s < k; s++) {
                    // log w − (log p(z) − log q(z|x)) = log p(x|z): recompute it from the same Java pieces
                    meanLogPxz += logPxGivenZ(m, x, i, eps, k, s) / k;
                }
                assertThat((double) recon[i]).as("recon of record %d", i).isCloseTo(-meanLogPxz, within(2e-3));
            }
        }
    }

    /** log p(x_i | z_{i,s}) in double from the decoder's logits for the Java-built z. */
    static double logPxGivenZ(VaeModel m, float[] x, int i, float[] eps, int k, int s) {
        try (NDManager sub = m.manager().newSubManager()) {
            NDArray[] post = m.posterior(Batch.of(sub.create(java.util.Arrays.copyOfRange(x, i * D, (i + 1) * D), m.batchShape(1))), false);
            float[] mu = post[0].toFloatArray();
            float[] lv = post[1].toFloatArray();
            float[] z = new float[L];
            for (int j = 0; j < L; j++) {
                z[j] = (float) (mu[j] + Math.exp(0.5 * lv[j]) * eps[(i * k + s) * L + j]);
            }
            float[] logits = m.decoderOutput(sub.create(z, new Shape(1, L)), null, false).toFloatArray();
            double lp = 0;
            for (int d = 0; d < D; d++) {
                double l = logits[d];
                lp += x[i * D + d] * l - (Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))));
            }
            return lp;
        }
    }

    /**
     * log-mean-exp is stable where exp under- or overflows (log weights of −10⁴ nats are ordinary for large images)
     * and its gradient is the normalised importance weights w̃_k = w_k / Σ w (Burda et al. eq. 13): the shift by the
     * maximum, outside the graph, does not change it.
     */
    @Test
    void logMeanExpIsStableAndItsGradientIsTheNormalisedWeights() {
        try (NDManager mgr = NDManager.newBaseManager()) {
            Scalars s = new Scalars(mgr);
            double[][] w = {{-10_000, -10_001, -10_003}, {800, 799.5, 0}, {-2, -2, -2}};
            float[] flat = new float[9];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    flat[i * 3 + j] = (float) w[i][j];
                }
            }
            NDArray logw = mgr.create(flat, new Shape(3, 3));
            logw.setRequiresGradient(true);
            NDArray lme;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                lme = VaeVariant.logMeanExp(logw, s);
                gc.backward(lme.sum());
            }
            float[] got = lme.toFloatArray();
            float[] grad = logw.getGradient().toFloatArray();
            for (int i = 0; i < 3; i++) {
                double expected = logMeanExp(w[i]);
                // float32 at |10⁴|: one ulp is 1e-3
                assertThat((double) got[i]).as("L of row %d", i).isCloseTo(expected, within(2e-3));
                for (int j = 0; j < 3; j++) {
                    double softmax = Math.exp(w[i][j] - expected) / 3;
                    assertThat((double) grad[i * 3 + j]).as("dL/dlog w[%d][%d]", i, j).isCloseTo(softmax, within(1e-5));
                }
            }
            assertThat(got[2]).isCloseTo(-2f, within(1e-6f));
        }
    }

    /** The training loss −L_K reaches every parameter of both networks with a finite, non-zero gradient. */
    @Test
    void gradientsReachEveryParameter() {
        int n = 8;
        int k = 5;
        float[] x = records(n, 6);
        try (VaeModel m = VaeModel.create(config("iwae", k), 2); NDManager sub = m.manager().newSubManager()) {
            ModelOutput out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = m.forward(Batch.of(sub.create(x, m.batchShape(n))), true, Objective.elbo(1), fixed(normals(n * k * L, 8)));
                gc.backward(out.loss());
            }
            assertThat(m.parameters()).hasSizeGreaterThanOrEqualTo(6);
            for (Map.Entry<String, NDArray> p : m.parameters().entrySet()) {
                NDArray g = p.getValue().getGradient();
                g.attach(sub);
                float[] v = g.toFloatArray();
                double norm = 0;
                for (float f : v) {
                    assertThat(f).as("gradient of %s", p.getKey()).isFinite();
                    norm += (double) f * f;
                }
                assertThat(norm).as("squared gradient norm of %s", p.getKey()).isGreaterThan(0);
            }
        }
    }

    /**
     * On a briefly trained model, over 256 held-out records with per-record seeded draws: −ELBO ≥ −L_5 ≥ −L_50 on
     * average (the bound tightens with K), and −L_1 equals −ELBO in expectation (it is the ELBO with a Monte Carlo KL).
     * The inequalities hold in expectation, not per record or per draw, so each is a paired comparison over records
     * required to exceed 3 standard errors of its own mean difference; the equality is required within 4 standard
     * errors.
     */
    @Test
    void onATrainedModelTheBoundRisesWithK() {
        DataSplits data = TestData.splits(512, 256, 1, 16);
        TrainConfig tc = TrainConfig.defaults().withEpochs(5).withBatchSize(32).withLr(3e-3).withSeed(4);
        int n = data.test().size();
        float[] x = Inputs.bernoulli(data.test().head(n).materialize().data(), 9);
        try (VaeModel m = Training.of(config("iwae", 5), tc).data(data, "blobs").fit()) {
            double[] iw1 = Evaluator.importanceWeightedNllPerRecord(m, x, null, n, 1, 17, null);
            double[] iw5 = Evaluator.importanceWeightedNllPerRecord(m, x, null, n, 5, 17, null);
            double[] iw50 = Evaluator.importanceWeightedNllPerRecord(m, x, null, n, 50, 17, null);
            // −ELBO per record with the closed-form KL and its own draws (the VAE's estimator of the same model)
            double[] negElbo = new double[n];
            try (NDManager sub = m.manager().newSubManager()) {
                Batch batch = Batch.of(sub.create(x, m.batchShape(n)));
                ModelOutput vae = VaeVariant.elbo(m, batch, false, Objective.elbo(1), Noise.perRecord(23, x, 0, n, D));
                float[] r = vae.recon().toFloatArray();
                float[] kl = vae.kl().toFloatArray();
                for (int i = 0; i < n; i++) {
                    negElbo[i] = r[i] + kl[i];
                }
            }
            double[] d = pairedMean(negElbo, iw5);
            assertThat(d[0]).as("−ELBO − (−L_5): mean %.3f, s.e. %.3f", d[0], d[1]).isGreaterThan(3 * d[1]);
            d = pairedMean(iw1, iw5);
            assertThat(d[0]).as("−L_1 − (−L_5): mean %.3f, s.e. %.3f", d[0], d[1]).isGreaterThan(3 * d[1]);
            d = pairedMean(iw5, iw50);
            assertThat(d[0]).as("−L_5 − (−L_50): mean %.3f, s.e. %.3f", d[0], d[1]).isGreaterThan(3 * d[1]);
            d = pairedMean(iw1, negElbo);
            assertThat(Math.abs(d[0])).as("−L_1 − (−ELBO): mean %.3f, s.e. %.3f", d[0], d[1]).isLessThan(4 * d[1]);
        }
    }

    /** Mean of a − b over records and its standard error. */
    static double[] pairedMean(double[] a, double[] b) {
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (a[i] - b[i]) / n;
        }
        double var = 0;
        for (int i = 0; i < n; i++) {
            double e = a[i] - b[i] - mean;
            var += e * e / (n - 1);
        }
        return new double[] {mean, Math.sqrt(var / n)};
    }

    /**
     * The reported terms: neg_iw_bound ≤ recon + kl on average over records (L_K ≥ ELBO), per record equal to
     * −log-mean-exp of the weights; the loss is their mean.
     */
    @Test
    void theReportedTermsAreConsistent() {
        int n = 64;
        float[] x = records(n, 8);
        try (VaeModel m = VaeModel.create(config("iwae", 5), 3); NDManager sub = m.manager().newSubManager()) {
            ModelOutput out = m.forward(Batch.of(sub.create(x, m.batchShape(n))), false, Objective.elbo(1), Noise.perRecord(5, x, 0, n, D));
            assertThat(out.terms().keySet()).containsExactly("recon", "kl", "neg_iw_bound");
            assertThat(out.terms().get("recon")).isSameAs(out.recon());
            assertThat(out.terms().get("kl")).isSameAs(out.kl());
            double[] bound = toDouble(out.terms().get("neg_iw_bound").toFloatArray());
            float[] r = out.recon().toFloatArray();
            float[] kl = out.kl().toFloatArray();
            double[] elbo = new double[n];
            double meanBound = 0;
            for (int i = 0; i < n; i++) {
                elbo[i] = r[i] + kl[i];
                meanBound += bound[i] / n;
            }
            assertThat((double) out.loss().getFloat()).isCloseTo(meanBound, within(1e-3));
            double[] d = pairedMean(elbo, bound);
            assertThat(d[0]).as("mean (recon + kl) − neg_iw_bound %.3f, s.e. %.3f", d[0], d[1]).isGreaterThan(3 * d[1]);
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * A 2-epoch run writes train_neg_iw_bound and test_neg_iw_bound after the fixed columns; readCsv reads them back;
     * the training loss is the training bound (the same per-batch value summed twice).
     */
    @Test
    void metricsCsvHasTheBoundColumns(@TempDir Path dir) throws Exception {
        DataSplits data = TestData.splits(128, 64, 1, 16);
        Path run = dir.resolve("run");
        TrainConfig tc = TrainConfig.defaults().withEpochs(2).withBatchSize(32).withLr(3e-3);
        Training.of(config("iwae", 5), tc).data(data, "blobs").runDirectory(run).fit().close();
        Path csv = run.resolve("metrics.csv");
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo(EpochMetrics.HEADER + ",train_neg_iw_bound,test_neg_iw_bound");
        List<EpochMetrics> rows = EpochMetrics.readCsv(csv);
        assertThat(rows).hasSize(2);
        for (EpochMetrics e : rows) {
            assertThat(e.extra().keySet()).containsExactly("train_neg_iw_bound", "test_neg_iw_bound");
            assertThat(e.extra().get("train_neg_iw_bound")).isCloseTo(e.trainLoss(), within(1e-6));
            assertThat(e.extra().get("test_neg_iw_bound")).isFinite().isPositive();
            // 64 records, K = 5: the bound is below the same draws' −ELBO by several nats on blobs
            assertThat(e.extra().get("test_neg_iw_bound")).isLessThan(e.testNegElbo());
        }
        assertThat(rows.get(1).extra().get("test_neg_iw_bound")).isLessThan(rows.get(0).extra().get("test_neg_iw_bound"));
        assertThat(EpochMetrics.toCsv(rows)).isEqualTo(Files.readString(csv));
    }
}
