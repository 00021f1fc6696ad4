package org.vae4j.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Precision and recall by k-NN manifolds on point sets whose answers are known. */
class KnnManifoldsTest {
    @Test
    void handComputedRadiiPrecisionAndRecall() {
        // reals on a line at 0, 1, 2, 3, 4: with k = 1 every ball has radius 1; with k = 2, 2 at the ends and 1 inside
        float[] real = {0, 1, 2, 3, 4};
        assertThat(KnnManifolds.radii2(real, 5, 1, 1)).containsExactly(1, 1, 1, 1, 1);
        assertThat(KnnManifolds.radii2(real, 5, 1, 2)).containsExactly(4, 1, 1, 1, 4);
        // fakes at 0.5 (inside) and 10 (outside): precision 1/2; the fakes' own balls have radius 9.5 and hold
        // every real (all within 9.5 of 0.5): recall 1
        float[] fake = {0.5f, 10};
        KnnManifolds.PrecisionRecall pr = KnnManifolds.of(real, 5, null, fake, 2, 1, 1);
        assertThat(pr.precision()).isEqualTo(0.5);
        assertThat(pr.recall()).isEqualTo(1.0);
        // with k = 2 the ball of 4 has radius 2: 5.9 lies inside, 6 on its edge (counts), 6.1 outside
        assertThat(KnnManifolds.coverage(new float[] {5.9f, 6, 6.1f}, 3, real, 5, 1, KnnManifolds.radii2(real, 5, 1, 2)))
                .isCloseTo(2 / 3.0, within(1e-12));
        assertThatThrownBy(() -> KnnManifolds.radii2(real, 3, 1, 3)).hasMessageContaining("more than k vectors");
    }

    @Test
    void identicalSetsGiveOneDisjointSetsZero() {
        int n = 3000;
        int w = 16;
        float[] a = cloud(n, w, 0, 1);
        // 3000 × 3000 distances in blocks: more than one block when the block holds fewer rows
        KnnManifolds.PrecisionRecall same = KnnManifolds.of(a, n, null, a.clone(), n, w, 3);
        assertThat(same.precision()).isEqualTo(1.0);
        assertThat(same.recall()).isEqualTo(1.0);
        float[] far = cloud(1000, w, 100, 2);
        KnnManifolds.PrecisionRecall apart = KnnManifolds.of(a, n, null, far, 1000, w, 3);
        assertThat(apart.precision()).isZero();
        assertThat(apart.recall()).isZero();
        // a sample set that holds only half of the data (a collapsed mode): precision stays 1, recall about a half
        float[] half = new float[n / 2 * w];
        int h = 0;
        for (int i = 0; i < n && h < n / 2; i++) {
            if (a[i * w] < 0) {
                System.arraycopy(a, i * w, half, h * w, w);
                h++;
            }
        }
        KnnManifolds.PrecisionRecall collapsed = KnnManifolds.of(a, n, null, half, h, w, 3);
        assertThat(collapsed.precision()).isEqualTo(1.0);
        assertThat(collapsed.recall()).isBetween(0.5, 0.85);
        assertThat(collapsed.k()).isEqualTo(3);
    }

    @Test
    void radiiEqualAPlainLoopAcrossBlocks() {
        // 3,000 rows: blocks of 1,333 rows against all 3,000
        int n = 3000;
        int w = 5;
        float[] a = cloud(n, w, 0, 4);
        float[] b = cloud(n, w, 0.5, 5);
        double[] whole = KnnManifolds.radii2(a, n, w, 3);
        // the same distances row by row (blocks of one row) from a plain loop
        for (int i = 0; i < n; i += 97) {
            double[] d = new double[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < w; c++) {
                    double v = (double) a[i * w + c] - a[j * w + c];
                    s += v * v;
                }
                d[j] = j == i ? Double.POSITIVE_INFINITY : s;
            }
            java.util.Arrays.sort(d);
            assertThat(whole[i]).isCloseTo(d[2], within(1e-9));
        }
        double p = KnnManifolds.coverage(b, n, a, n, w, whole);
        assertThat(p).isGreaterThan(0.3).isLessThan(1.0);
    }

    static float[] cloud(int n, int w, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n * w];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (shift + r.nextDouble(-1, 1));
        }
        return out;
    }
}
