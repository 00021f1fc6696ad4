package org.vae4j.model.vae;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.likelihood.LikelihoodKind;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelOutput;
import org.vae4j.model.Objective;
import org.vae4j.model.Posterior;
import org.vae4j.model.VaeModel;

/**
 * Extreme posteriors: encoder weights scaled by ±1e4 drive the raw log-variances to ±1e5 and beyond, where exp()
 * overflows float32 (above ~88.7) or underflows to 0 (below ~-103). {@link VaeVariant} clips log σ² to
 * [{@value VaeVariant#MIN_LOGVAR}, {@value VaeVariant#MAX_LOGVAR}] before any exp(), so the KL, the reconstruction
 * term, the loss, the gradients and the evaluation figures stay finite for every likelihood and both architectures.
 */
class NumericalSafetyTest {
    static final int N = 8;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (LikelihoodKind lk : LikelihoodKind.values()) {
            if (lk.needsTable()) {
                continue; // tables have their own tests (CompositeLikelihoodTest, TableTrainingTest)
            }
            for (String arch : List.of("mlp", "conv")) {
                for (float scale : new float[] {1e4f, -1e4f}) {
                    out.add(Arguments.of(lk.id(), arch, scale));
                }
            }
        }
        return out;
    }

    /** Inputs in [0,1]: random, all zeros and all ones. */
    static float[] inputs(int d) {
        float[] x = new float[N * d];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            int row = i / d;
            x[i] = row == 0 ? 0f : row == 1 ? 1f : (float) r.nextDouble();
        }
        return x;
    }

    static void assertFinite(float[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            assertThat(Float.isFinite(v[i])).as("%s[%d] = %s", what, i, v[i]).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} {1} encoder weights x {2}")
    @MethodSource("cases")
    void hugeLogVariancesAreClippedSoKlLossAndGradientsStayFinite(String likelihood, String arch, float scale) {
        ArchConfig a = arch.equals("mlp") ? ArchConfig.mlp(32) : ArchConfig.conv(List.of(4, 8), 16);
        ModelConfig config = ModelConfig.vae(List.of(1, 8, 8), 3, a, likelihood, 1.0);
        try (VaeModel model = VaeModel.create(config, 1)) {
            Map<String, float[]> w = new LinkedHashMap<>();
            model.parameters().forEach((k, v) -> {
                float[] values = v.toFloatArray();
                if (k.startsWith("encoder.")) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] *= scale;
                    }
                }
                w.put(k, values);
            });
            model.setParametersFrom(w);
            float[] x = inputs(config.featureSize());

            try (NDManager sub = model.manager().newSubManager()) {
                NDArray input = sub.create(x, model.batchShape(N));
                // the raw log-variances really are far outside what exp() survives
                float[] raw = model.encoderOutput(input, false).get(":, 3:").toFloatArray();
                float maxAbs = 0;
                for (float v : raw) {
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
                assertThat(maxAbs).as("largest |raw log-variance|").isGreaterThan(1e3f);

                ModelOutput out;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    out = model.forward(input, true, Objective.elbo(1.0));
                    gc.backward(out.loss());
                }
                float[] logvar = out.logvar().toFloatArray();
                for (float v : logvar) {
                    assertThat(v).isBetween(VaeVariant.MIN_LOGVAR, VaeVariant.MAX_LOGVAR);
                }
                assertFinite(out.kl().toFloatArray(), "kl");
                assertFinite(out.recon().toFloatArray(), "recon");
                assertFinite(out.z().toFloatArray(), "z");
                assertFinite(new float[] {out.loss().getFloat()}, "loss");
                assertFinite(VaeVariant.klPerDimension(out.mu(), out.logvar(), model.scalars()).toFloatArray(), "kl/dim");
                for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
                    NDArray g = p.getValue().getGradient();
                    g.attach(sub);
                    assertFinite(g.toFloatArray(), "gradient of " + p.getKey());
                }
            }

            Posterior post = model.encode(x, N);
            for (float v : post.logvar()) {
                assertThat(v).isBetween(VaeVariant.MIN_LOGVAR, VaeVariant.MAX_LOGVAR);
            }
            assertFinite(model.reconstruct(x, N), "reconstruction");
            EvaluationResult ev = Evaluator.evaluate(model, x, N, 4, 9);
            assertThat(ev.negElbo()).as("test -ELBO").isFinite();
            assertThat(ev.kl()).as("test KL").isFinite();
            assertThat(ev.recon()).as("test recon").isFinite();
        }
    }
}
