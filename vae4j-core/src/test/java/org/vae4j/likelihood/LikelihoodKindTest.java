package org.vae4j.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.nn.Scalars;

class LikelihoodKindTest {
    static NDManager manager;
    static Scalars s;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        s = new Scalars(manager);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static double nll(LikelihoodKind k, double sigma, float[] params, int p, float[] x) {
        Likelihood l = k.create(sigma);
        NDArray pr = manager.create(params, new Shape(1, p, x.length));
        NDArray xs = manager.create(x, new Shape(1, x.length));
        return l.nll(pr, xs, s).getFloat(0);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    @Test
    void bernoulliIsBinaryCrossEntropyAndStableForLargeLogits() {
        float[] logits = {2f, -1f, 0f, 80f, -80f};
        float[] x = {1f, 0f, 0.3f, 1f, 0f};
        double want = 0;
        for (int i = 0; i < x.length; i++) {
            double pr = sigmoid(logits[i]);
            double a = x[i] == 0 ? 0 : x[i] * Math.log(Math.max(pr, 1e-300));
            double b = x[i] == 1 ? 0 : (1 - x[i]) * Math.log(Math.max(1 - pr, 1e-300));
            want -= a + b;
        }
        assertThat(nll(LikelihoodKind.BERNOULLI, 1, logits, 1, x)).isCloseTo(want, within(1e-4));
        // wrong-way extreme logit costs ~80 nats, finite
        assertThat(nll(LikelihoodKind.BERNOULLI, 1, new float[] {-80f}, 1, new float[] {1f})).isCloseTo(80.0, within(1e-3));
    }

    @Test
    void repeatedNllEqualsTheNllOfRepeatedRecordsWithTheSameGradient() {
        // the importance-weighted estimators score K decoder outputs per record against that record: Bernoulli's
        // matrix-vector form must give what repeating x K times gives, in value and in the logits' gradient
        int r = 3;
        int k = 4;
        int d = 6;
        java.util.Random rnd = new java.util.Random(7);
        float[] logits = new float[r * k * d];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (rnd.nextGaussian() * 4);
        }
        float[] x = new float[r * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 3 == 0 ? rnd.nextFloat() : (rnd.nextBoolean() ? 1f : 0f);
        }
        for (LikelihoodKind kind : new LikelihoodKind[] {LikelihoodKind.BERNOULLI, LikelihoodKind.GAUSSIAN_FIXED}) {
            Likelihood l = kind.create(0.3);
            try (NDManager m = manager.newSubManager()) {
                float[][] values = new float[2][];
                float[][] grads = new float[2][];
                for (int way = 0; way < 2; way++) {
                    NDArray p = m.create(logits, new Shape(r * k, 1, d));
                    p.setRequiresGradient(true);
                    NDArray xr = m.create(x, new Shape(r, 1, 2, d / 2)); // an image-shaped record
                    NDArray out;
                    try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        out = way == 0
                                ? l.nll(p, xr.reshape(r, 1, d).broadcast(r, k, d).reshape(r * k, d), s).reshape(r, k)
                                : l.nllRepeated(p, xr, r, k, s);
                        gc.backward(out.sum());
                    }
                    assertThat(out.getShape()).isEqualTo(new Shape(r, k));
                    values[way] = out.toFloatArray();
                    grads[way] = p.getGradient().toFloatArray();
                }
                for (int i = 0; i < values[0].length; i++) {
                    assertThat((double) values[1][i]).as(kind + " value " + i).isCloseTo(values[0][i], within(1e-4 * (1 + Math.abs(values[0][i]))));
                }
                for (int i = 0; i < grads[0].length; i++) {
                    assertThat((double) grads[1][i]).as(kind + " gradient " + i).isCloseTo(grads[0][i], within(1e-5));
                }
            }
        }
    }

    @Test
    void gaussianWithLearnedVarianceMatchesTheDensity() {
        float[] params = {0.5f, -1f, /* log-variances */ -2f, 0.5f};
        float[] x = {0.7f, 0.1f};
        double want = 0;
        for (int i = 0; i < 2; i++) {
            double mu = sigmoid(params[i]);
            double lv = params[2 + i];
            want += 0.5 * (Math.log(2 * Math.PI) + lv + (x[i] - mu) * (x[i] - mu) / Math.exp(lv));
        }
        assertThat(nll(LikelihoodKind.GAUSSIAN, 1, params, 2, x)).isCloseTo(want, within(1e-4));
        assertThat(LikelihoodKind.GAUSSIAN.create(1).paramsPerValue()).isEqualTo(2);
    }

    @Test
    void fixedGaussianAndSquaredError() {
        float[] params = {0f, 1f};
        float[] x = {0.2f, 0.9f};
        double sse = Math.pow(0.2 - 0.5, 2) + Math.pow(0.9 - sigmoid(1), 2);
        double sigma = 0.1;
        double want = sse / (2 * sigma * sigma) + 2 * (Math.log(sigma) + 0.5 * Math.log(2 * Math.PI));
        assertThat(nll(LikelihoodKind.GAUSSIAN_FIXED, sigma, params, 1, x)).isCloseTo(want, within(1e-3));
        assertThat(nll(LikelihoodKind.MSE, 1, params, 1, x)).isCloseTo(sse, within(1e-5));
        assertThat(LikelihoodKind.MSE.create(1).isDensity()).isFalse();
        assertThat(LikelihoodKind.BERNOULLI.create(1).isDensity()).isTrue();
    }

    /** The continuous Bernoulli density must integrate to 1 over [0,1] and its mean must be E[x]. */
    @Test
    void continuousBernoulliIsANormalisedDensityWithTheRightMean() {
        for (float logit : new float[] {-6f, -1.3f, -0.004f, 0f, 0.004f, 0.7f, 5f}) {
            int steps = 4000;
            float[] xs = new float[steps];
            float[] ps = new float[steps];
            for (int i = 0; i < steps; i++) {
                xs[i] = (i + 0.5f) / steps;
                ps[i] = logit;
            }
            NDArray pr = manager.create(ps, new Shape(steps, 1, 1));
            NDArray x = manager.create(xs, new Shape(steps, 1));
            float[] nll = LikelihoodKind.CONTINUOUS_BERNOULLI.create(1).nll(pr, x, s).toFloatArray();
            double integral = 0;
            double mean = 0;
            for (int i = 0; i < steps; i++) {
                double dens = Math.exp(-nll[i]);
                integral += dens / steps;
                mean += xs[i] * dens / steps;
            }
            assertThat(integral).as("∫p for logit %s", logit).isCloseTo(1.0, within(2e-3));
            float m = LikelihoodKind.CONTINUOUS_BERNOULLI.create(1).mean(manager.create(new float[] {logit}, new Shape(1, 1, 1)), s)
                    .getFloat(0, 0);
            assertThat((double) m).as("mean for logit %s", logit).isCloseTo(mean, within(2e-3));
        }
    }

    @Test
    void unknownIdListsTheChoices() {
        assertThatThrownBy(() -> LikelihoodKind.byId("poisson"))
                .hasMessageContaining("unknown likelihood 'poisson'")
                .hasMessageContaining("continuous-bernoulli");
        assertThat(LikelihoodKind.byId("Gaussian-Fixed")).isEqualTo(LikelihoodKind.GAUSSIAN_FIXED);
    }
}
