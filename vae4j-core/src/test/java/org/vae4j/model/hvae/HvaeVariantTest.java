package org.vae4j.model.hvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
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

/**
 * The two-stochastic-layer VAE: its log importance weights against a plain-Java (double) forward pass of its four
 * networks from the model's own weights, the ELBO terms at one draw against the same, prior codes through p(z1|z2),
 * and its settings.
 */
class HvaeVariantTest {
    static final int D = 6;
    static final int L1 = 2;
    static final int L2 = 2;

    static ModelConfig tiny() {
        return new ModelConfig(ModelConfig.FORMAT_VERSION, "hvae", List.of(D), L1, ArchConfig.mlp(4).withActivation("tanh"),
                "bernoulli", 1.0, 1.0, DataTransform.NONE, new HvaeVariant.Settings(L2, List.of(3), 1));
    }

    /** y = W x + b for DJL's Linear (weight (out, in)), in double. */
    static double[] dense(Map<String, NDArray> p, String layer, double[] x) {
        float[] w = p.get(layer + ".weight").toFloatArray();
        float[] b = p.get(layer + ".bias").toFloatArray();
        double[] y = new double[b.length];
        for (int j = 0; j < b.length; j++) {
            double s = b[j];
            for (int i = 0; i < x.length; i++) {
                s += w[j * x.length + i] * x[i];
            }
            y[j] = s;
        }
        return y;
    }

    static double[] tanh(double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Math.tanh(v[i]);
        }
        return o;
    }

    /** A one-hidden-layer net named {@code net} ({@code fc1}, then {@code last}). */
    static double[] net(Map<String, NDArray> p, String net, String last, double[] x) {
        return dense(p, net + "." + last, tanh(dense(p, net + ".fc1", x)));
    }

    static double clip(double lv) {
        return Math.max(-20, Math.min(10, lv));
    }

    /** log N(v; μ, exp(lv)) without the log 2π terms. */
    static double logNormal(double[] v, double[] mu, double[] lv) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += -0.5 * ((v[i] - mu[i]) * (v[i] - mu[i]) * Math.exp(-lv[i]) + lv[i]);
        }
        return s;
    }

    /** log p(x|z1) + log p(z1|z2) + log p(z2) − log q(z1|x) − log q(z2|z1) for one record and one draw, in double. */
    static double[] reference(Map<String, NDArray> p, float[] x, float[] eps) {
        double[] xd = new double[D];
        for (int i = 0; i < D; i++) {
            xd[i] = x[i];
        }
        double[] h1 = net(p, "encoder", "head", xd);
        double[] mu1 = {h1[0], h1[1]};
        double[] lv1 = {clip(h1[2]), clip(h1[3])};
        double[] z1 = new double[L1];
        for (int i = 0; i < L1; i++) {
            z1[i] = mu1[i] + Math.exp(0.5 * lv1[i]) * eps[i];
        }
        double[] h2 = net(p, "encoder2", "head", z1);
        double[] mu2 = {h2[0], h2[1]};
        double[] lv2 = {clip(h2[2]), clip(h2[3])};
        double[] z2 = new double[L2];
        for (int i = 0; i < L2; i++) {
            z2[i] = mu2[i] + Math.exp(0.5 * lv2[i]) * eps[L1 + i];
        }
        double[] hp = net(p, "decoder2", "head", z2);
        double[] mup = {hp[0], hp[1]};
        double[] lvp = {clip(hp[2]), clip(hp[3])};
        double[] logits = net(p, "decoder", "out", z1);
        double logpx = 0;
        for (int i = 0; i < D; i++) {
            logpx += xd[i] * logits[i] - Math.log1p(Math.exp(logits[i]));
        }
        double kl = logNormal(z1, mu1, lv1) + logNormal(z2, mu2, lv2) - logNormal(z1, mup, lvp)
                - logNormal(z2, new double[L2], new double[L2]);
        return new double[] {logpx - kl, -logpx, kl};
    }

    static float[] binary(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < 0.4 ? 1f : 0f;
        }
        return x;
    }

    static float[] normals(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) VaeModel.Gaussian.next(r) * 1.5f;
        }
        return v;
    }

    @Test
    void logWeightsEqualAPlainJavaComputationOfTheFourNetworks() {
        int r = 3;
        int s = 4;
        int w = L1 + L2;
        float[] x = binary(r, 5);
        float[] eps = normals(r * s * w, 6);
        try (VaeModel m = VaeModel.create(tiny(), 12); NDManager sub = m.manager().newSubManager()) {
            assertThat(m.parameters().keySet()).contains("encoder.fc1.weight", "decoder.out.weight", "encoder2.head.weight",
                    "decoder2.head.weight");
            Batch batch = Batch.of(sub.create(x, m.batchShape(r)));
            NDArray[] post = m.posterior(batch, false);
            float[] logw = m.variant().logWeights(m, batch, post, sub.create(eps, new Shape(r, s, w))).toFloatArray();
            Map<String, NDArray> p = m.parameters();
            for (int i = 0; i < r; i++) {
                for (int k = 0; k < s; k++) {
                    float[] xi = java.util.Arrays.copyOfRange(x, i * D, (i + 1) * D);
                    float[] ek = java.util.Arrays.copyOfRange(eps, (i * s + k) * w, (i * s + k + 1) * w);
                    double want = reference(p, xi, ek)[0];
                    assertThat((double) logw[i * s + k]).as("record %d draw %d", i, k).isCloseTo(want, within(1e-4 * Math.max(1, Math.abs(want))));
                }
            }
        }
    }

    @Test
    void theElboTermsAtOneDrawAreReconstructionAndSampledKlOfTheSameDraw() {
        int r = 4;
        int w = L1 + L2;
        float[] x = binary(r, 8);
        float[] eps = normals(r * w, 9);
        try (VaeModel m = VaeModel.create(tiny(), 13); NDManager sub = m.manager().newSubManager()) {
            Noise fixed = (manager, shape) -> {
                assertThat(shape.getShape()).containsExactly(r, 1, w);
                return manager.create(eps, shape);
            };
            ModelOutput out = m.forward(Batch.of(sub.create(x, m.batchShape(r))), false, Objective.elbo(1), fixed);
            float[] recon = out.recon().toFloatArray();
            float[] kl = out.kl().toFloatArray();
            float[] bound = out.terms().get(ModelOutput.IW_BOUND).toFloatArray();
            Map<String, NDArray> p = m.parameters();
            double loss = 0;
            for (int i = 0; i < r; i++) {
                double[] ref = reference(p, java.util.Arrays.copyOfRange(x, i * D, (i + 1) * D),
                        java.util.Arrays.copyOfRange(eps, i * w, (i + 1) * w));
                assertThat((double) recon[i]).isCloseTo(ref[1], within(1e-4));
                assertThat((double) kl[i]).isCloseTo(ref[2], within(1e-4));
                assertThat((double) bound[i]).as("−ELBO = recon + KL").isCloseTo(-ref[0], within(1e-4));
                loss += -ref[0] / r;
            }
            assertThat((double) out.loss().getFloat()).isCloseTo(loss, within(1e-4));
            // β weights the sampled KL of the one-draw ELBO
            ModelOutput half = m.forward(Batch.of(sub.create(x, m.batchShape(r))), false, Objective.elbo(0.5), fixed);
            double weighted = 0;
            for (int i = 0; i < r; i++) {
                weighted += (recon[i] + 0.5 * kl[i]) / r;
            }
            assertThat((double) half.loss().getFloat()).isCloseTo(weighted, within(1e-4));
        }
    }

    /**
     * The one-draw ELBO's gradient is the path-derivative form of the sampled KL's: per draw it differs from the
     * gradient of −log w (the full form), its mean over many draws of one record equals that gradient's mean (unbiased:
     * the dropped score terms have expectation zero), and it varies less from draw to draw.
     */
    @Test
    void theElboGradientIsThePathDerivativeFormUnbiasedAndLessNoisy() {
        int n = 400;
        int w = L1 + L2;
        float[] one = binary(1, 31);
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            System.arraycopy(one, 0, x, i * D, D);
        }
        float[] eps = normals(n * w, 32);
        for (int i = 0; i < eps.length; i++) {
            eps[i] /= 1.5f; // standard normal draws
        }
        try (VaeModel m = VaeModel.create(tiny(), 16); NDManager sub = m.manager().newSubManager()) {
            Noise fixed = (manager, shape) -> manager.create(eps, shape);
            Batch batch = Batch.of(sub.create(x, m.batchShape(n)));
            // per-record gradients of the encoder's log-variance head bias are what the score term touches most
            double[][] path = perRecordGradient(m, sub, batch, fixed, true);
            double[][] full = perRecordGradient(m, sub, batch, fixed, false);
            double meanDiff = 0;
            double meanFull = 0;
            double varPath = 0;
            double varFull = 0;
            double differs = 0;
            for (int j = 0; j < path[0].length; j++) {
                meanDiff += Math.pow(path[0][j] - full[0][j], 2);
                meanFull += full[0][j] * full[0][j];
                varPath += path[1][j];
                varFull += full[1][j];
            }
            differs = path[2][0];
            assertThat(differs).as("a single draw's gradients differ").isGreaterThan(1e-3);
            // within three standard errors of the means over the 400 draws
            assertThat(Math.sqrt(meanDiff)).as("same expected gradient").isLessThan(3 * Math.sqrt((varFull + varPath) / 400));
            assertThat(Math.sqrt(meanFull)).as("a gradient to compare").isGreaterThan(1e-3);
            assertThat(varPath).as("less spread than the full form").isLessThan(varFull);
        }
    }

    /**
     * Mean and variance over the batch's records (one draw each) of the gradient w.r.t. the three Gaussian heads' biases,
     * each record's from a pass of its own: of the one-draw ELBO's loss ({@code elbo}) or of −log w. Returns
     * {mean, variance, {Σ|g − g_other| of the first record}}.
     */
    private static double[][] perRecordGradient(VaeModel m, NDManager sub, Batch batch, Noise noise, boolean elbo) {
        int n = (int) batch.size();
        int records = n;
        java.util.List<String> names = java.util.List.of("encoder.head.bias", "encoder2.head.bias", "decoder2.head.bias");
        double[] sum = null;
        double[] sq = null;
        double[] first = null;
        double[] firstOther = null;
        for (int i = 0; i < n; i++) {
            NDArray xi = batch.x().get(i + ":" + (i + 1));
            int at = i;
            Noise ni = (manager, shape) -> {
                float[] all = noise.normal(manager, new Shape(n, L1 + L2)).toFloatArray();
                return manager.create(java.util.Arrays.copyOfRange(all, at * (L1 + L2), (at + 1) * (L1 + L2)), shape);
            };
            double[] g = gradient(m, sub, Batch.of(xi), ni, elbo, names);
            if (sum == null) {
                sum = new double[g.length];
                sq = new double[g.length];
                first = g;
                firstOther = gradient(m, sub, Batch.of(xi), ni, !elbo, names);
            }
            for (int j = 0; j < g.length; j++) {
                sum[j] += g[j];
                sq[j] += g[j] * g[j];
            }
        }
        double[] mean = new double[sum.length];
        double[] var = new double[sum.length];
        double diff = 0;
        for (int j = 0; j < sum.length; j++) {
            mean[j] = sum[j] / records;
            var[j] = sq[j] / records - mean[j] * mean[j];
            diff += Math.abs(first[j] - firstOther[j]);
        }
        return new double[][] {mean, var, {diff}};
    }

    private static double[] gradient(VaeModel m, NDManager sub, Batch batch, Noise noise, boolean elbo, java.util.List<String> names) {
        try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            ModelOutput out = m.forward(batch, true, Objective.elbo(1), noise);
            NDArray loss = elbo ? out.loss() : m.variant().logWeights(m, batch, m.posterior(batch, true),
                    noise.normal(sub, new Shape(batch.size(), 1, L1 + L2))).mean().neg();
            gc.backward(loss);
        }
        java.util.List<Double> g = new java.util.ArrayList<>();
        for (Map.Entry<String, NDArray> e : m.parameters().entrySet()) {
            NDArray grad = e.getValue().getGradient();
            if (names.contains(e.getKey())) {
                for (float v : grad.toFloatArray()) {
                    g.add((double) v);
                }
            }
            org.vae4j.nn.Overwrite.zero(grad);
        }
        return g.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Prior codes are z1 ~ p(z1|z2), z2 ~ N(0, I): computed here in Java from decoder2's weights and the same stream
     * (per code, L2 values of z2 then L1 of ε).
     */
    @Test
    void priorCodesGoThroughTheUpperDecoder() {
        try (VaeModel m = VaeModel.create(tiny(), 14)) {
            int n = 70; // more than one block of 64
            float[] z = m.priorCodes(n, 3);
            SplittableRandom r = new SplittableRandom(3);
            Map<String, NDArray> p = m.parameters();
            for (int i = 0; i < n; i++) {
                double[] z2 = new double[L2];
                for (int j = 0; j < L2; j++) {
                    z2[j] = (float) VaeModel.Gaussian.next(r);
                }
                double[] hp = net(p, "decoder2", "head", z2);
                for (int j = 0; j < L1; j++) {
                    double e = (float) VaeModel.Gaussian.next(r);
                    double want = hp[j] + Math.exp(0.5 * clip(hp[L1 + j])) * e;
                    assertThat((double) z[i * L1 + j]).as("code %d dim %d", i, j).isCloseTo(want, within(1e-5));
                }
            }
            // and a code does not depend on how many are drawn with it
            assertThat(m.priorCodes(65, 3)).containsExactly(java.util.Arrays.copyOf(z, 65 * L1));
        }
    }

    /** With K draws the IW-NLL is at most the one-draw estimate on average, and both are finite. */
    @Test
    void theImportanceWeightedNllFallsWithK() {
        int n = 20;
        float[] x = binary(n, 21);
        try (VaeModel m = VaeModel.create(tiny(), 15)) {
            double k1 = mean(Evaluator.importanceWeightedNllPerRecord(m, x, n, 1, 4, null));
            double k200 = mean(Evaluator.importanceWeightedNllPerRecord(m, x, n, 200, 4, null));
            assertThat(k200).isFinite().isLessThan(k1);
        }
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }

    @Test
    void settingsHaveThePapersDefaultsAndRefuseNonsense() {
        HvaeVariant v = (HvaeVariant) ModelVariants.get("hvae");
        assertThat(v.settings(Map.of(), 0)).isEqualTo(new HvaeVariant.Settings(50, List.of(100, 100), 1));
        assertThat(v.settings(Map.of("latent2", "7", "hidden2", "30, 20", "iw-samples", "5"), 0))
                .isEqualTo(new HvaeVariant.Settings(7, List.of(30, 20), 5));
        assertThatThrownBy(() -> v.settings(Map.of("latent2", "0"), 0)).hasMessageContaining("latent2");
        assertThatThrownBy(() -> v.settings(Map.of("hidden2", "10,x"), 0)).hasMessageContaining("hidden2");
        assertThatThrownBy(() -> v.settings(Map.of("iw-samples", "0"), 0)).hasMessageContaining("--iw-samples");
        assertThatThrownBy(() -> v.settings(Map.of("classes", "3"), 0)).hasMessageContaining("does not take option 'classes'");
        assertThat(v.noiseWidth(tiny())).isEqualTo(L1 + L2);
        assertThat(v.weightsKl(new HvaeVariant.Settings(50, List.of(100), 1))).as("the ELBO's KL is weighted").isTrue();
        assertThat(v.weightsKl(new HvaeVariant.Settings(50, List.of(100), 5))).as("the K-sample bound has no KL term").isFalse();
        assertThat(v.klSampled()).isTrue();
    }
}
