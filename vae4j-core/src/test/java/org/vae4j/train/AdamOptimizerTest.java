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
            NDArray w = m.create(w0.clone());
            w.setRequiresGradient(true);
            NDArray coef = m.create(c);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", w);
            double lr = 0.1;
            double b1 = 0.9;
            double b2 = 0.999;
            double eps = 1e-8;
            AdamOptimizer adam = new AdamOptimizer(params, m, lr, b1, b2, eps);
            double[] ref = {1, -2, 0.5};
            double[] mm = new double[3];
            double[] vv = new double[3];
            for (int t = 1; t <= 2; t++) {
                try (NDManager sub = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(w.square().mul(coef).sum());
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
            for (int i = 0; i < 3; i++) {
                assertThat((double) got[i]).isCloseTo(ref[i], within(1e-5));
            }
            assertThat(adam.steps()).isEqualTo(2);
            assertThat(adam.state()).containsKeys("adam.m.w", "adam.v.w");
        }
    }
}
