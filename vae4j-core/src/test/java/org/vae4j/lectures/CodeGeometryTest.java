package org.vae4j.lectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.model.VaeModel;

/** The latent-geometry, nearest-neighbour and alignment measures on synthetic inputs with known answers. */
class CodeGeometryTest {

    static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] c = new float[2 * n];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) VaeModel.Gaussian.next(r);
        }
        return c;
    }

    @Test
    void twoDistantClustersLeaveAGapAndMissThePriorsBulk() {
        int n = 1000;
        SplittableRandom r = new SplittableRandom(1);
        float[] c = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            c[2 * i] = (float) ((labels[i] == 0 ? -8 : 8) + 0.1 * VaeModel.Gaussian.next(r));
            c[2 * i + 1] = (float) (0.1 * VaeModel.Gaussian.next(r));
        }
        CodeGeometry g = CodeGeometry.of(c, n, labels);
        assertThat(g.meanDistanceFromOrigin()).isCloseTo(8, within(0.05));
        assertThat(g.centroidDistance()).isLessThan(0.05);
        assertThat(g.coverage()).isZero(); // nothing within ±3
        // the disc of radius ≈ 8 around the centroid is almost all gap
        assertThat(g.cloudRadius()).isCloseTo(8, within(0.3));
        assertThat(g.gapFraction()).isGreaterThan(0.9);
        // the emptiest point lies between the clusters, about 8 from either
        assertThat(g.gapDistances()[0]).isGreaterThan(0.9);
        assertThat(g.neighbourLabelAgreement()).isEqualTo(1.0);
    }

    @Test
    void standardNormalCodesFillThePriorsBulk() {
        int n = 2000;
        float[] c = gaussian(n, 2);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2; // labels unrelated to position
        }
        CodeGeometry g = CodeGeometry.of(c, n, labels);
        // E‖z‖ = sqrt(π/2) for a standard normal in 2-D
        assertThat(g.meanDistanceFromOrigin()).isCloseTo(Math.sqrt(Math.PI / 2), within(0.05));
        assertThat(g.rmsSpread()).isCloseTo(Math.sqrt(2), within(0.05));
        // the 90% disc has radius sqrt(−2 ln 0.1) ≈ 2.146
        assertThat(g.cloudRadius()).isCloseTo(Math.sqrt(-2 * Math.log(0.1)), within(0.1));
        assertThat(g.gapFraction()).isLessThan(0.05);
        assertThat(g.coverage()).isBetween(0.4, 0.9);
        assertThat(g.neighbourLabelAgreement()).isCloseTo(0.5, within(0.05));
    }

    @Test
    void nearestNeighboursAndRealism() {
        float[] ref = {0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1};
        try (NearestNeighbours nn = new NearestNeighbours(ref, 3, 4, new int[] {7, 8, 9})) {
            NearestNeighbours.Result r = nn.nearest(new float[] {0.9f, 1, 1, 1, 0, 0.8f, 0, 1, 0.1f, 0.1f, 0, 0}, 3);
            assertThat(r.index()).containsExactly(1, 2, 0);
            assertThat(r.mse()[0]).isCloseTo(0.01 / 4, within(1e-6));
            assertThat(r.mse()[1]).isCloseTo(0.04 / 4, within(1e-6));
            Realism.Scored s = Realism.score(nn, new float[] {0.9f, 1, 1, 1, 0, 0.8f, 0, 1, 0.1f, 0.1f, 0, 0}, 3, 0.006);
            assertThat(s.fraction()).isCloseTo(2.0 / 3, within(1e-9));
            assertThat(s.realistic(1)).isFalse();
            assertThat(s.labelsCovered()).isEqualTo(3);
            assertThat(s.labelEntropyBits()).isCloseTo(Math.log(3) / Math.log(2), within(1e-9));
        }
        assertThat(Realism.quantile(new double[] {4, 1, 3, 2, 5}, 0.5)).isEqualTo(3);
        assertThat(Realism.quantile(new double[] {0, 10}, 0.9)).isCloseTo(9, within(1e-12));
    }

    @Test
    void alignmentIsHighWhenOneDimensionTracksEachFactor() {
        int n = 500;
        SplittableRandom r = new SplittableRandom(3);
        int[] fx = new int[n];
        int[] fy = new int[n];
        float[] aligned = new float[3 * n];
        float[] mixed = new float[3 * n];
        for (int i = 0; i < n; i++) {
            fx[i] = r.nextInt(10);
            fy[i] = r.nextInt(10);
            aligned[3 * i] = fx[i] + (float) (0.1 * VaeModel.Gaussian.next(r));
            aligned[3 * i + 1] = fy[i];
            aligned[3 * i + 2] = (float) VaeModel.Gaussian.next(r);
            mixed[3 * i] = fx[i] + fy[i];
            mixed[3 * i + 1] = fx[i] - fy[i];
            mixed[3 * i + 2] = (float) VaeModel.Gaussian.next(r);
        }
        FactorAlignment a = FactorAlignment.of(aligned, n, 3, Map.of("x", fx, "y", fy));
        FactorAlignment b = FactorAlignment.of(mixed, n, 3, Map.of("x", fx, "y", fy));
        assertThat(a.score()).isGreaterThan(0.8);
        assertThat(a.perFactor().get("x")[2]).isEqualTo(0);
        assertThat(a.perFactor().get("y")[2]).isEqualTo(1);
        // rotated by 45°: each factor is spread over two dimensions equally
        assertThat(b.score()).isLessThan(0.1);
    }
}
