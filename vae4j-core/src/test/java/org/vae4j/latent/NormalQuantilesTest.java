package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalQuantilesTest {
    /** Reference values; each satisfies ½·erfc(−x/√2) = p to within 4e-14 relative. */
    static final double[][] REFERENCE = {
        {1e-300, -37.0470962993612},
        {1e-20, -9.262340089798405},
        {1e-10, -6.361340902404056},
        {1e-05, -4.2648907939228256},
        {0.001, -3.090232306167813},
        {0.01, -2.3263478740408408},
        {0.02425, -1.9729610513118845},
        {0.05, -1.6448536269514726},
        {0.075, -1.4395314709384557},
        {0.1, -1.2815515655446008},
        {0.3, -0.5244005127080407},
        {0.5, 0.0},
        {0.6, 0.2533471031357998},
        {0.8413447460685429, 1.0},
        {0.9, 1.2815515655446008},
        {0.925, 1.439531470938456},
        {0.975, 1.9599639845400536},
        {0.999, 3.090232306167813},
        {0.999999999, 5.997807019601638},
    };

    @Test
    void inverseCdfMatchesReferenceValuesInEveryBranch() {
        for (double[] r : REFERENCE) {
            assertThat(NormalQuantiles.inverseCdf(r[0])).as("p = %s", r[0]).isCloseTo(r[1], within(1e-12 * Math.max(1, Math.abs(r[1]))));
        }
    }

    @Test
    void evenlySpacedQuantilesUseMidpointProbabilitiesAndAreSymmetric() {
        double[] q = NormalQuantiles.evenlySpaced(5);
        assertThat(q[0]).isCloseTo(-1.2815515655446008, within(1e-12)); // Φ⁻¹(0.1)
        assertThat(q[1]).isCloseTo(-0.5244005127080407, within(1e-12)); // Φ⁻¹(0.3)
        assertThat(q[2]).isZero();
        assertThat(q[3]).isEqualTo(-q[1]);
        assertThat(q[4]).isEqualTo(-q[0]);
        double[] q20 = NormalQuantiles.evenlySpaced(20);
        assertThat(q20[0]).isCloseTo(NormalQuantiles.inverseCdf(0.025), within(1e-12));
        for (int i = 1; i < 20; i++) {
            assertThat(q20[i]).isGreaterThan(q20[i - 1]);
        }
    }

    @Test
    void probabilitiesOutsideTheOpenUnitIntervalAreRejected() {
        assertThatThrownBy(() -> NormalQuantiles.inverseCdf(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NormalQuantiles.inverseCdf(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NormalQuantiles.inverseCdf(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NormalQuantiles.evenlySpaced(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manifoldCodesPutZ1AlongColumnsAndZ2UpwardsAlongRows() {
        float[] z = Manifold.codes(3);
        double q = NormalQuantiles.inverseCdf(5.0 / 6);
        // top-left: z1 lowest, z2 highest
        assertThat(z[0]).isCloseTo((float) -q, within(1e-6f));
        assertThat(z[1]).isCloseTo((float) q, within(1e-6f));
        // centre is the origin
        assertThat(z[8]).isZero();
        assertThat(z[9]).isZero();
        // bottom-right: z1 highest, z2 lowest
        assertThat(z[16]).isCloseTo((float) q, within(1e-6f));
        assertThat(z[17]).isCloseTo((float) -q, within(1e-6f));
        assertThatThrownBy(() -> Manifold.codes(1)).hasMessageContaining("--grid must be at least 2");
    }
}
