package org.vae4j.model.vamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.Batch;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.ModelVariants;
import org.vae4j.model.Noise;
import org.vae4j.model.Objective;
import org.vae4j.model.VaeModel;

/**
 * The VampPrior: pseudo-inputs are the prior group's linear layer applied to the identity, the prior's log-density is
 * log (1/K) Σ_k N(z; μ_k, σ_k²) (checked against a Java logsumexp), the log weights use it, the sampled KL is unbiased
 * (checked where the prior is one Gaussian and the KL has a closed form), and prior codes are drawn from the mixture.
 */
class VampVariantTest {
    static final int D = 6;
    static final int L = 2;

    static ModelConfig tiny(int k) {
        return new ModelConfig(ModelConfig.FORMAT_VERSION, "vamp", List.of(D), L, ArchConfig.mlp(5).withActivation("tanh"),
                "bernoulli", 1.0, 1.0, DataTransform.NONE, new VampVariant.Settings(k));
    }

    /** The components [μ_k, log σ²_k] as the model computes them, {@code K × L} each. */
    static float[][] components(VaeModel m) {
        try (NDManager sub = m.manager().newSubManager()) {
            NDArray[] c = VampVariant.components(m, sub, false);
            return new float[][] {c[0].toFloatArray(), c[1].toFloatArray()};
        }
    }

    /** log (1/K) Σ_k exp(−½ Σ_l [(z_l − μ_kl)² / σ²_kl + log σ²_kl]) in double (no log 2π, as the model's). */
    static double logPrior(double[] z, float[][] c, int k) {
        double[] a = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int l = 0; l < L; l++) {
                double mu = c[0][j * L + l];
                double lv = c[1][j * L + l];
                s += (z[l] - mu) * (z[l] - mu) * Math.exp(-lv) + lv;
            }
            a[j] = -0.5 * s;
            max = Math.max(max, a[j]);
        }
        double sum = 0;
        for (double v : a) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - Math.log(k);
    }

    @Test
    void pseudoInputsAreThePriorGroupsLinearLayerOfTheIdentityAndAreSavedAsParameters() {
        int k = 4;
        try (VaeModel m = VaeModel.create(tiny(k), 3)) {
            Map<String, NDArray> p = m.parameters();
            assertThat(p.keySet()).contains("prior.pseudo.weight", "prior.pseudo.bias");
            float[] w = p.get("prior.pseudo.weight").toFloatArray(); // (D, K)
            float[] b = p.get("prior.pseudo.bias").toFloatArray();
            float[] u = VampVariant.pseudoInputs(m);
            assertThat(u).hasSize(k * D);
            assertThat(VampVariant.pseudoInputCount(m)).isEqualTo(k);
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < D; i++) {
                    assertThat(u[j * D + i]).isCloseTo(w[i * k + j] + b[i], within(1e-6f));
                }
            }
        }
        try (VaeModel vae = VaeModel.create(ModelConfig.vae(List.of(D), L, ArchConfig.mlp(5), "bernoulli", 1), 3)) {
            assertThatThrownBy(() -> VampVariant.pseudoInputs(vae)).hasMessageContaining("only vamp models");
        }
    }

    @Test
    void thePriorDensityIsTheMixtureOfThePseudoInputPosteriors() {
        int k = 7;
        try (VaeModel m = VaeModel.create(tiny(k), 4); NDManager sub = m.manager().newSubManager()) {
            float[][] c = components(m);
            int n = 9;
            float[] z = new float[n * L];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (VaeModel.Gaussian.next(r) * 0.3);
            }
            NDArray[] comp = VampVariant.components(m, sub, false);
            float[] got = VampVariant.logPrior(sub.create(z, new Shape(n, L)), comp, m.scalars()).toFloatArray();
            for (int i = 0; i < n; i++) {
                double want = logPrior(new double[] {z[i * L], z[i * L + 1]}, c, k);
                assertThat((double) got[i]).as("code %d", i).isCloseTo(want, within(1e-4));
            }
        }
    }

    @Test
    void logWeightsUseTheMixturePrior() {
        int k = 5;
        int r = 3;
        int s = 4;
        SplittableRandom rnd = new SplittableRandom(2);
        float[] x = new float[r * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble() < 0.5 ? 1 : 0;
        }
        float[] eps = new float[r * s * L];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) VaeModel.Gaussian.next(rnd);
        }
        try (VaeModel m = VaeModel.create(tiny(k), 5); NDManager sub = m.manager().newSubManager()) {
            float[][] c = components(m);
            Batch batch = Batch.of(sub.create(x, m.batchShape(r)));
            NDArray[] post = m.posterior(batch, false);
            float[] mu = post[0].toFloatArray();
            float[] lv = post[1].toFloatArray();
            float[] logw = m.variant().logWeights(m, batch, post, sub.create(eps, new Shape(r, s, L))).toFloatArray();
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < s; j++) {
                    double[] z = new double[L];
                    float[] zf = new float[L];
                    double logq = 0;
                    for (int l = 0; l < L; l++) {
                        double e = eps[(i * s + j) * L + l];
                        z[l] = mu[i * L + l] + Math.exp(0.5 * lv[i * L + l]) * e;
                        zf[l] = (float) z[l];
                        logq += -0.5 * (e * e + lv[i * L + l]);
                    }
                    float[] logits = m.decoderOutput(sub.create(zf, new Shape(1, L)), false).toFloatArray();
                    double logpx = 0;
                    for (int d = 0; d < D; d++) {
                        logpx += x[i * D + d] * logits[d] - Math.log1p(Math.exp(logits[d]));
                    }
                    double want = logpx + logPrior(z, c, k) - logq;
                    assertThat((double) logw[i * s + j]).as("record %d draw %d", i, j).isCloseTo(want, within(2e-4));
                }
            }
        }
    }

    /**
     * With one pseudo-input the prior is the Gaussian q(z|u_1), so KL(q(z|x) ‖ p(z)) has a closed form; the forward
     * pass's sampled KL (log q − log p at z ~ q) averages to it: 4000 draws, within 4 standard errors.
     */
    @Test
    void theSampledKlIsUnbiased() {
        int n = 4000;
        float[] x = new float[n * D];
        float[] one = {1, 0, 1, 1, 0, 0};
        for (int i = 0; i < n; i++) {
            System.arraycopy(one, 0, x, i * D, D);
        }
        try (VaeModel m = VaeModel.create(tiny(1), 6); NDManager sub = m.manager().newSubManager()) {
            float[][] c = components(m);
            Batch batch = Batch.of(sub.create(x, m.batchShape(n)));
            // one stream for all (identical) records: per-record streams would give them identical draws
            Noise oneStream = (manager, shape) -> {
                SplittableRandom r = new SplittableRandom(7);
                float[] v = new float[(int) shape.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) VaeModel.Gaussian.next(r);
                }
                return manager.create(v, shape);
            };
            ModelOutput out = m.forward(batch, false, Objective.elbo(1), oneStream);
            float[] kl = out.kl().toFloatArray();
            double mean = Arrays.stream(toDouble(kl)).average().orElseThrow();
            double var = Arrays.stream(toDouble(kl)).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
            float[] mu = out.mu().toFloatArray();
            float[] lv = out.logvar().toFloatArray();
            double closed = 0;
            for (int l = 0; l < L; l++) {
                double m1 = mu[l];
                double v1 = Math.exp(lv[l]);
                double m2 = c[0][l];
                double v2 = Math.exp(c[1][l]);
                closed += 0.5 * (Math.log(v2 / v1) + (v1 + (m1 - m2) * (m1 - m2)) / v2 - 1);
            }
            double se = Math.sqrt(var / n);
            assertThat(se).isPositive();
            assertThat(mean).as("sampled KL mean vs closed form %.4f (standard error %.4f)", closed, se).isCloseTo(closed, within(4 * se));
        }
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Prior codes: a uniform component, then its Gaussian; the mean of many codes is the mean of the μ_k. */
    @Test
    void priorCodesComeFromTheMixture() {
        int k = 3;
        try (VaeModel m = VaeModel.create(tiny(k), 8)) {
            float[][] c = components(m);
            int n = 20000;
            float[] z = m.priorCodes(n, 11);
            // the first code by hand: component from the stream, then ε
            SplittableRandom r = new SplittableRandom(11);
            int comp = r.nextInt(k);
            for (int l = 0; l < L; l++) {
                double want = c[0][comp * L + l] + Math.exp(0.5 * c[1][comp * L + l]) * VaeModel.Gaussian.next(r);
                assertThat((double) z[l]).isCloseTo(want, within(1e-6));
            }
            for (int l = 0; l < L; l++) {
                double mean = 0;
                double mixMean = 0;
                double mixVar = 0;
                for (int i = 0; i < n; i++) {
                    mean += z[i * L + l] / (double) n;
                }
                for (int j = 0; j < k; j++) {
                    mixMean += c[0][j * L + l] / k;
                }
                for (int j = 0; j < k; j++) {
                    double d = c[0][j * L + l] - mixMean;
                    mixVar += (Math.exp(c[1][j * L + l]) + d * d) / k;
                }
                assertThat(mean).as("dimension %d", l).isCloseTo(mixMean, within(4 * Math.sqrt(mixVar / n)));
            }
            assertThat(m.priorCodes(5, 11)).containsExactly(Arrays.copyOf(z, 5 * L));
        }
    }

    @Test
    void settingsDefaultToThePapersKAndRefuseNonsense() {
        VampVariant v = (VampVariant) ModelVariants.get("vamp");
        assertThat(v.settings(Map.of(), 0)).isEqualTo(new VampVariant.Settings(500));
        assertThat(v.settings(Map.of("pseudo-inputs", "12"), 0)).isEqualTo(new VampVariant.Settings(12));
        assertThatThrownBy(() -> v.settings(Map.of("pseudo-inputs", "0"), 0)).hasMessageContaining("pseudo-inputs");
        assertThatThrownBy(() -> v.settings(Map.of("pseudo-inputs", "many"), 0)).hasMessageContaining("whole number");
        assertThatThrownBy(() -> v.settings(Map.of("iw-samples", "5"), 0)).hasMessageContaining("does not take option 'iw-samples'");
        assertThat(v.klSampled()).isTrue();
        assertThat(VaeModel.parameterCount(tiny(4))).isEqualTo(
                VaeModel.parameterCount(ModelConfig.vae(List.of(D), L, ArchConfig.mlp(5).withActivation("tanh"), "bernoulli", 1))
                        + 4L * D + D);
    }
}
