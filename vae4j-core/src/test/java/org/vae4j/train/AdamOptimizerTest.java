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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdamOptimizerTest {
    private static final float[] W0 = {1f, -2f, 0.5f};
    private static final float[] C = {1f, 3f, -0.5f};
    private static final double LR = 0.1;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    /**
     * Three Adam steps on f(w) = Σ c·w², the second with the gradient scaled by ½ (as norm clipping does), against
     * the textbook update computed in Java, on the fused kernel and on DJL's update.
     */
    @ParameterizedTest(name = "fused={0}")
    @ValueSource(booleans = {true, false})
    void matchesTextbookAdam(boolean fused) {
        String old = System.getProperty(FusedAdamKernel.PROPERTY);
        System.setProperty(FusedAdamKernel.PROPERTY, Boolean.toString(fused));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = param(m);
            NDArray coef = m.create(C);
            try (AdamOptimizer adam = new AdamOptimizer(Map.of("w", w), m, LR, B1, B2, EPS)) {
                assertThat(adam.fused()).isEqualTo(fused);
                double[] ref = {1, -2, 0.5};
                double[] mm = new double[3];
                double[] vv = new double[3];
                for (int t = 1; t <= 3; t++) {
                    float scale = t == 2 ? 0.5f : 1f;
                    step(m, adam, w, coef, scale);
                    for (int i = 0; i < 3; i++) {
                        double g = 2 * C[i] * ref[i] * scale;
                        mm[i] = B1 * mm[i] + (1 - B1) * g;
                        vv[i] = B2 * vv[i] + (1 - B2) * g * g;
                        double mh = mm[i] / (1 - Math.pow(B1, t));
                        double vh = vv[i] / (1 - Math.pow(B2, t));
                        ref[i] -= LR * mh / (Math.sqrt(vh) + EPS);
                    }
                    // the gradients are consumed: the next backward pass starts from zero
                    assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
                }
                float[] got = w.toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertThat((double) got[i]).isCloseTo(ref[i], within(1e-5));
                }
                assertThat(adam.steps()).isEqualTo(3);
                assertThat(adam.state()).containsKeys("adam.m.w", "adam.v.w");
            }
        } finally {
            if (old == null) {
                System.clearProperty(FusedAdamKernel.PROPERTY);
            } else {
                System.setProperty(FusedAdamKernel.PROPERTY, old);
            }
        }
    }

    /** The kernel loads here (it is what training uses), and a restored optimiser continues with the right step count. */
    @Test
    void restoredStateContinuesExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray coef = m.create(C);
            NDArray a = param(m);
            NDArray b = param(m);
            Map<String, float[]> saved = new LinkedHashMap<>();
            try (AdamOptimizer first = new AdamOptimizer(Map.of("w", a), m, LR, B1, B2, EPS)) {
                assertThat(first.fused()).as("fused Adam kernel loads").isTrue();
                step(m, first, a, coef, 1f);
                step(m, first, a, coef, 1f);
                first.state().forEach((k, v) -> saved.put(k, v.toFloatArray()));
                b.set(a.toFloatArray());
                step(m, first, a, coef, 1f);
            }
            try (AdamOptimizer resumed = new AdamOptimizer(Map.of("w", b), m, LR, B1, B2, EPS)) {
                resumed.restore(saved, 2);
                step(m, resumed, b, coef, 1f);
                assertThat(resumed.steps()).isEqualTo(3);
            }
            // a wrong step count (bias correction of step 1 instead of 3) would move w by a visibly different amount
            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
        }
    }

    private static NDArray param(NDManager m) {
        NDArray w = m.create(W0.clone());
        w.setRequiresGradient(true);
        return w;
    }

    private static void step(NDManager m, AdamOptimizer adam, NDArray w, NDArray coef, float scale) {
        try (NDManager sub = m.newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.square().mul(coef).sum());
            }
            adam.step(sub, scale);
        }
    }
}
