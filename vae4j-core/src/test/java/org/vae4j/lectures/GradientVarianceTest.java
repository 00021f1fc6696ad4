package org.vae4j.lectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/**
 * The two gradient estimators on f(z) = −½(z − a)² under q = N(μ, σ²), where everything is known in closed form:
 * with d = μ − a, the true gradient is −d; the reparameterised estimator −(d + σε) has variance σ²; the score-function
 * estimator f(z)·ε/σ has variance (d⁴ + 18d²σ² + 15σ⁴) / (4σ²) − d².
 */
class GradientVarianceTest {

    static double scoreVariance(double d, double sigma) {
        return (Math.pow(d, 4) + 18 * d * d * sigma * sigma + 15 * Math.pow(sigma, 4)) / (4 * sigma * sigma) - d * d;
    }

    @Test
    void quadraticMatchesTheClosedForms() {
        // (μ, σ, a) per case; each a 1-D q so that f depends on this dimension alone
        double[][] cases = {{1.0, 1.0, 0.0}, {0.5, 0.5, 0.0}, {-1.0, 2.0, 1.0}, {0.0, 1.0, 0.0}};
        int samples = 200_000;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray half = m.create(0.5f);
            for (double[] c : cases) {
                NDArray target = m.create((float) c[2]);
                GradientVariance.Estimate e = GradientVariance.estimate(m, new float[] {(float) c[0]}, new float[] {(float) c[1]},
                        samples, 7, z -> z.sub(target).square().sum(new int[] {1}).mul(half).neg());
                double d = c[0] - c[2];
                double s = c[1];
                double sfVar = scoreVariance(d, s);
                String what = java.util.Arrays.toString(c);
                // both unbiased: means agree with −d within 4 standard errors
                assertThat(e.meanReparam()[0]).as("rep mean %s", what).isCloseTo(-d, within(4 * Math.sqrt(s * s / samples)));
                assertThat(e.meanScore()[0]).as("sf mean %s", what).isCloseTo(-d, within(4 * Math.sqrt(sfVar / samples)));
                // variances match the closed forms within 3% (their sampling error here is about 1%)
                assertThat(e.varReparam()[0]).as("rep var %s", what).isCloseTo(s * s, within(0.03 * s * s));
                assertThat(e.varScore()[0]).as("sf var %s", what).isCloseTo(sfVar, within(0.03 * sfVar));
                assertThat(e.ratio()).isCloseTo(sfVar / (s * s), within(0.06 * sfVar / (s * s)));
                assertThat(e.maxMeanGapInStandardErrors()).isLessThan(4);
                // a baseline (control variate) reduces the score-function variance but does not close the gap
                assertThat(e.meanVarScoreBaseline()).isLessThan(e.meanVarScore()).isGreaterThan(e.meanVarReparam());
            }
            // d = 1, σ = 1: 7.5 against 1; at the optimum (d = 0) still 15/4 against 1
            assertThat(scoreVariance(1, 1)).isEqualTo(7.5);
            assertThat(scoreVariance(0, 1)).isEqualTo(3.75);
        }
    }

    @Test
    void theScoreFunctionAlsoPicksUpTheNoiseOfOtherDimensions() {
        // f = Σ_k −½ z_k²: the estimator for μ_0 multiplies the whole f, so its variance grows with the dimension
        int samples = 50_000;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray half = m.create(0.5f);
            GradientVariance.Estimate one = GradientVariance.estimate(m, new float[] {1f}, new float[] {1f}, samples, 3,
                    z -> z.square().sum(new int[] {1}).mul(half).neg());
            float[] mu = new float[8];
            float[] sigma = new float[8];
            java.util.Arrays.fill(mu, 1f);
            java.util.Arrays.fill(sigma, 1f);
            GradientVariance.Estimate eight = GradientVariance.estimate(m, mu, sigma, samples, 3,
                    z -> z.square().sum(new int[] {1}).mul(half).neg());
            assertThat(eight.varReparam()[0]).isCloseTo(one.varReparam()[0], within(0.05));
            assertThat(eight.varScore()[0]).isGreaterThan(5 * one.varScore()[0]);
        }
    }

    @Test
    void onATrainedVaeTheScoreFunctionIsFarNoisier() {
        DataSplits data = TestData.splits(300, 20, 1, 8);
        ModelConfig mc = ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(32), "bernoulli", 1.0);
        try (VaeModel model = Training.of(mc, TrainConfig.defaults().withEpochs(2).withBatchSize(32).withThreads(1))
                .data(data, "blobs").fit()) {
            float[] x = data.test().head(2).materialize().data();
            GradientVariance.Summary s = GradientVariance.forRecords(model, x, 2, 2000, 3);
            assertThat(s.perRecord()).hasSize(2);
            assertThat(s.perRecord().get(0).samples()).isEqualTo(2000);
            assertThat(s.meanVarReparam()).isPositive();
            // f = log p(x|z) is tens of nats: its square dominates the score-function estimator
            assertThat(s.ratio()).isGreaterThan(10);
            assertThat(s.fractionLower()).isEqualTo(1.0);
            assertThat(s.maxMeanGapInStandardErrors()).isLessThan(5);
            // the weights are trainable again afterwards
            assertThat(model.parameters().values()).allMatch(NDArray::hasGradient);
        }
    }
}
