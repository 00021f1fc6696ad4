package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {
    /** Two Adam steps on f(w) = Σ c·w² against the textbook update computed in Java. */
    @Test
    void matchesTextbookAdam() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w0 = {1f, -2f, 0.5f};
            float[] c = {1f, 3f, -0.5f};
            NDArray flat = m.create(new float[] {7f, w0[0], w0[1], w0[2]});
            NDArray other = flat.get(org.vae4j.nn.ParameterArena.range(0, 1));
            NDArray w = flat.get(org.vae4j.nn.ParameterArena.range(1, 3));
            other.setRequiresGradient(true);
            w.setRequiresGradient(true);
            NDArray coef = m.create(c);
            NDArray zero = m.create(0f);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("other", other);
            params.put("w", w);
            Map<String, long[]> slots = new LinkedHashMap<>();
            slots.put("other", new long[] {0, 1});
            slots.put("w", new long[] {1, 3});
            double lr = 0.1;
            double b1 = 0.9;
            double b2 = 0.999;
            double eps = 1e-8;
            AdamOptimizer adam = new AdamOptimizer(flat, params, slots, m, lr, b1, b2, eps);
            double[] ref = {1, -2, 0.5};
            double[] mm = new double[3];
            double[] vv = new double[3];
            for (int t = 1; t <= 2; t++) {
                try (NDManager sub = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.square().mul(coef).sum().add(other.sum().mul(zero)));
                    }
                    adam.step(sub, 1f);
                }
                for (int i = 0; i < 3; i++) {
                    double g = 2 * c[i] * ref[i];
                    mm[i] = b1 * mm[i] + (1 - b1) * g;
                    vv[i] = b2 * vv[i] + (1 - b2) * g * g;
                    double mh = mm[i] / (1 - Math.pow(b1, t));
                    double vh = vv[i] / (1 - Math.pow(b2, t));
                    ref[i] -= lr * mh / (Math.sqrt(vh) + eps);
                }
            }
            float[] got = w.toFloatArray();
            assertThat(flat.toFloatArray()[0]).as("a zero gradient leaves the value").isEqualTo(7f);
            assertThat(w.getGradient().toFloatArray()).as("gradients zeroed after the step").containsOnly(0f);
            assertThat(flat.get(org.vae4j.nn.ParameterArena.range(1, 3)).toFloatArray()).as("the view and the flat tensor agree")
                    .containsExactly(got);
            for (int i = 0; i < 3; i++) {
                assertThat((double) got[i]).isCloseTo(ref[i], within(1e-5));
            }
            assertThat(adam.steps()).isEqualTo(2);
            assertThat(adam.state()).containsKeys("adam.m.w", "adam.v.w");
            float[] mSaved = adam.state().get("adam.m.w").toFloatArray();
            assertThat((double) mSaved[1]).isCloseTo(mm[1], within(1e-5));
            Map<String, float[]> saved = new LinkedHashMap<>();
            adam.state().forEach((k, a) -> saved.put(k, a.toFloatArray()));
            saved.put("adam.m.w", new float[] {1f, 2f, 3f});
            adam.restore(saved, 5);
            assertThat(adam.state().get("adam.m.w").toFloatArray()).as("restore writes through the views").containsExactly(1f, 2f, 3f);
            assertThat(adam.steps()).isEqualTo(5);
        }
    }
}
