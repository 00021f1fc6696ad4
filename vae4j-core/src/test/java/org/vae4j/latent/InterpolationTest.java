package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class InterpolationTest {
    @Test
    void linearHitsEndpointsAndMidpoint() {
        float[] p = Interpolation.path(new float[] {0, 2}, new float[] {4, -2}, 3, Interpolation.Mode.LINEAR);
        assertThat(p).containsExactly(0, 2, 2, 0, 4, -2);
    }

    @Test
    void slerpKeepsTheNormBetweenEqualNormCodes() {
        float[] a = {3, 0};
        float[] b = {0, 3};
        float[] p = Interpolation.path(a, b, 5, Interpolation.Mode.SLERP);
        for (int s = 0; s < 5; s++) {
            assertThat(Math.hypot(p[2 * s], p[2 * s + 1])).isCloseTo(3.0, within(1e-5));
        }
        assertThat(p[0]).isEqualTo(3f);
        assertThat(p[9]).isEqualTo(3f);
    }
}
