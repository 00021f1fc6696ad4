package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImageMetricsTest {
    @Test
    void psnrOfAnErrorOfOneTenthEverywhereIsTwentyDecibels() {
        float[] a = {0.2f, 0.5f, 0.9f, 0f};
        float[] b = {0.3f, 0.4f, 0.8f, 0.1f};
        assertThat(ImageMetrics.meanSquaredError(a, b)).isCloseTo(0.01, within(1e-8));
        assertThat(ImageMetrics.psnr(a, b)).isCloseTo(20.0, within(1e-5));
        // MSE 0.25 on half the values and 0 on the rest: 10·log10(1/0.125) = 9.0309 dB
        assertThat(ImageMetrics.psnr(new float[] {0, 0, 0, 0}, new float[] {0.5f, 0.5f, 0, 0})).isCloseTo(9.030899869919436, within(1e-9));
        assertThat(ImageMetrics.psnr(a, a.clone())).isInfinite();
        assertThatThrownBy(() -> ImageMetrics.psnr(a, new float[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maskedSquaredErrorCountsOnlyMissingValues() {
        Mask m = Mask.parse("right-half", 1, 2);
        float[] truth = {0, 1, 0, 1};
        float[] filled = {0.5f, 0.5f, 0.9f, 0.75f};
        // missing: column 1 of each record: (1-0.5)² + (1-0.75)²
        assertThat(ImageMetrics.maskedSquaredError(truth, filled, 2, 1, m)).isCloseTo(0.3125, within(1e-9));
    }

    @Test
    void noiseIsSeededClampedAndOfTheRequestedKind() {
        float[] x = new float[3 * 100];
        java.util.Arrays.fill(x, 0.5f);
        Noise g = Noise.parse("gaussian:0.3");
        float[] a = g.apply(x, 1, 3, 7);
        assertThat(g.apply(x, 1, 3, 7)).containsExactly(a);
        assertThat(g.apply(x, 1, 3, 8)).isNotEqualTo(a);
        double mse = ImageMetrics.meanSquaredError(x, a);
        assertThat(mse).isBetween(0.05, 0.12); // σ² = 0.09, a little less after clamping
        for (float v : a) {
            assertThat(v).isBetween(0f, 1f);
        }
        Noise sp = Noise.parse("salt-pepper:0.2");
        float[] s = sp.apply(x, 1, 3, 7);
        int changed = 0;
        for (int p = 0; p < 100; p++) {
            if (s[p] != 0.5f) {
                changed++;
                assertThat(s[p]).isIn(0f, 1f);
                assertThat(s[100 + p]).isEqualTo(s[p]);
                assertThat(s[200 + p]).isEqualTo(s[p]);
            }
        }
        assertThat(changed).isBetween(8, 35);
        assertThatThrownBy(() -> Noise.parse("speckle:0.1")).hasMessageStartingWith("unknown noise 'speckle'");
        assertThatThrownBy(() -> Noise.parse("gaussian")).hasMessageContaining("needs a level");
        assertThatThrownBy(() -> Noise.parse("salt-pepper:1.5")).hasMessageContaining("must be in (0, 1]");
        assertThatThrownBy(() -> Noise.parse("gaussian:-1")).hasMessageContaining("σ must be a positive number");
    }
}
