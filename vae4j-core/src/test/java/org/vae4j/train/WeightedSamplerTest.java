package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WeightedSamplerTest {
    @Test
    void zeroWeightRecordsAreNeverDrawn() {
        double[] w = new double[100];
        java.util.Arrays.fill(w, 0, 50, 1.0);
        int[] draws = new WeightedSampler(w).draw(20_000, 11);
        assertThat(java.util.Arrays.stream(draws).max().orElseThrow()).isLessThan(50);
        // and all of the first half are drawn
        assertThat(java.util.Arrays.stream(draws).distinct().count()).isEqualTo(50);
    }

    @Test
    void frequenciesFollowTheWeights() {
        double[] w = {1, 2, 3, 4, 0, 10};
        int n = 200_000;
        int[] counts = new int[w.length];
        for (int i : new WeightedSampler(w).draw(n, 5)) {
            counts[i]++;
        }
        for (int i = 0; i < w.length; i++) {
            double p = w[i] / 20;
            // 5 standard deviations of a binomial count
            assertThat((double) counts[i]).isCloseTo(n * p, org.assertj.core.api.Assertions.within(5 * Math.sqrt(n * p * (1 - p)) + 1e-9));
        }
    }

    @Test
    void sameSeedSameDrawsOtherSeedOtherDraws() {
        WeightedSampler s = new WeightedSampler(new double[] {1, 1, 1, 1});
        assertThat(s.draw(50, 3)).containsExactly(s.draw(50, 3));
        assertThat(s.draw(50, 3)).isNotEqualTo(s.draw(50, 4));
    }

    @Test
    void rejectsBadWeights() {
        assertThatThrownBy(() -> new WeightedSampler(new double[] {1, -1})).hasMessageContaining("weight 1");
        assertThatThrownBy(() -> new WeightedSampler(new double[] {Double.NaN})).hasMessageContaining("weight 0");
        assertThatThrownBy(() -> new WeightedSampler(new double[] {0, 0})).hasMessageContaining("all weights are zero");
    }
}
