package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatentDensityTest {
    @Test
    void oneDimensionByHand() {
        // μ = 0,0,0,1 in 2 bins: counts 3 and 1 → (3+1)/(4+2) = 2/3 and (1+1)/6 = 1/3; mean 7/12 → relative 8/7, 4/7
        LatentDensity.Result r = LatentDensity.estimate(new float[] {0, 0, 0, 1}, 4, 1, 2, 0.5);
        assertThat(r.density()).containsExactly(new double[] {8 / 7.0, 8 / 7.0, 8 / 7.0, 4 / 7.0}, within(1e-12));
        double common = 1 / (8 / 7.0 + 0.5);
        double rare = 1 / (4 / 7.0 + 0.5);
        double mean = (3 * common + rare) / 4;
        assertThat(r.weights()).containsExactly(new double[] {common / mean, common / mean, common / mean, rare / mean}, within(1e-12));
    }

    @Test
    void dimensionsMultiplyAndWeightsAverageOne() {
        // two dims; record 3 is rare in both, record 0 in none
        float[] mu = {0, 0, 0, 0, 0, 0, 1, 1};
        LatentDensity.Result r = LatentDensity.estimate(mu, 4, 2, 2, 0.01);
        // per-record products: (4/6)², (4/6)², (4/6)², (2/6)² → 16,16,16,4 relative to their mean 13
        assertThat(r.density()[0]).isCloseTo(16 / 13.0, within(1e-12));
        assertThat(r.density()[3]).isCloseTo(4 / 13.0, within(1e-12));
        assertThat(java.util.Arrays.stream(r.weights()).average().orElseThrow()).isCloseTo(1, within(1e-12));
        assertThat(r.weights()[3]).isGreaterThan(3 * r.weights()[0]);
    }

    @Test
    void aConstantDimensionChangesNothingAndAlphaFlattensTheWeights() {
        LatentDensity.Result a = LatentDensity.estimate(new float[] {0, 5, 0, 5, 0, 5, 1, 5}, 4, 2, 3, 0.1);
        LatentDensity.Result b = LatentDensity.estimate(new float[] {0, 0, 0, 1}, 4, 1, 3, 0.1);
        assertThat(a.density()).containsExactly(b.density(), within(1e-12));
        LatentDensity.Result flat = LatentDensity.estimate(new float[] {0, 0, 0, 1}, 4, 1, 3, 1000);
        for (double w : flat.weights()) {
            assertThat(w).isCloseTo(1, within(1e-3));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> LatentDensity.estimate(new float[] {0}, 1, 1, 0, 1)).hasMessageContaining("--bins");
        assertThatThrownBy(() -> LatentDensity.estimate(new float[] {0}, 1, 1, 2, 0)).hasMessageContaining("--alpha");
        assertThatThrownBy(() -> LatentDensity.estimate(new float[] {Float.NaN}, 1, 1, 2, 1)).hasMessageContaining("not finite");
        assertThatThrownBy(() -> LatentDensity.estimate(new float[] {0, 1}, 1, 1, 2, 1)).hasMessageContaining("expected 1 × 1");
    }
}
