package org.vae4j.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Fréchet distance and the symmetric eigendecomposition it rests on, against closed forms. */
class FrechetTest {
    @Test
    void eigendecompositionReconstructsTheMatrixAndKnowsKnownEigenvalues() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3
        double[] v = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}}).values();
        java.util.Arrays.sort(v);
        assertThat(v[0]).isCloseTo(1, within(1e-14));
        assertThat(v[1]).isCloseTo(3, within(1e-14));
        // a random symmetric 40×40 matrix: V diag(λ) Vᵀ gives it back, V is orthonormal
        SplittableRandom r = new SplittableRandom(3);
        int n = 40;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                a[i][j] = r.nextDouble(-1, 1);
                a[j][i] = a[i][j];
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        double[][] back = e.apply(l -> l);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertThat(back[i][j]).isCloseTo(a[i][j], within(1e-12));
            }
        }
        double dot = 0;
        for (int k = 0; k < n; k++) {
            dot += e.vector(3)[k] * e.vector(7)[k];
        }
        assertThat(dot).isCloseTo(0, within(1e-12));
        // the square root of a PSD matrix squares back to it
        double[][] psd = Frechet.multiply(a, a);
        double[][] root = SymmetricEigen.of(psd).apply(l -> Math.sqrt(Math.max(l, 0)));
        double[][] sq = Frechet.multiply(root, root);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertThat(sq[i][j]).isCloseTo(psd[i][j], within(1e-10));
            }
        }
        assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}})).hasMessageContaining("not symmetric");
        assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}})).hasMessageContaining("not square");
    }

    @Test
    void twoGaussiansGiveTheClosedForm() {
        // diagonal covariances commute: d² = |Δμ|² + Σ (√a_i − √b_i)²
        double[] mu1 = {0, 1, 2};
        double[] mu2 = {1, 1, 0};
        double[][] s1 = {{4, 0, 0}, {0, 1, 0}, {0, 0, 9}};
        double[][] s2 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 4}};
        Frechet.Distance d = Frechet.distance(mu1, s1, mu2, s2);
        assertThat(d.means()).isCloseTo(5, within(1e-12));
        assertThat(d.covariances()).isCloseTo(1 + 0 + 1, within(1e-12));
        assertThat(d.squared()).isCloseTo(7, within(1e-12));

        // non-commuting 2×2 covariances: for a 2×2 PSD matrix M, tr(M^½) = √(tr M + 2 √det M), and M = Σ₁^½ Σ₂ Σ₁^½
        // has tr M = tr(Σ₁Σ₂) and det M = det Σ₁ det Σ₂; an independent closed form
        double[][] a = {{2, 0.7}, {0.7, 1}};
        double[][] b = {{0.5, -0.2}, {-0.2, 3}};
        double trAb = a[0][0] * b[0][0] + a[0][1] * b[1][0] + a[1][0] * b[0][1] + a[1][1] * b[1][1];
        double det = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) * (b[0][0] * b[1][1] - b[0][1] * b[1][0]);
        double expected = 9 + 16 + (3 + 3.5) - 2 * Math.sqrt(trAb + 2 * Math.sqrt(det));
        assertThat(Frechet.distance(new double[] {0, 0}, a, new double[] {3, 4}, b).squared()).isCloseTo(expected, within(1e-12));
        // symmetric in its arguments
        assertThat(Frechet.distance(new double[] {3, 4}, b, new double[] {0, 0}, a).squared()).isCloseTo(expected, within(1e-12));

        // singular covariances (a dead unit): still finite and exact
        double[][] sing = {{1, 0}, {0, 0}};
        assertThat(Frechet.distance(new double[2], sing, new double[2], sing).squared()).isCloseTo(0, within(1e-14));
        assertThat(Frechet.distance(new double[2], sing, new double[2], new double[][] {{0, 0}, {0, 4}}).squared())
                .isCloseTo(5, within(1e-12));
    }

    @Test
    void fittedToSamplesItApproachesTheClosedFormAndASetAgainstItselfGivesZero() {
        // 40,000 draws from N(μ₁, Σ₁) and N(μ₂, Σ₂) with Σ = L Lᵀ
        int n = 40_000;
        int w = 2;
        double[][] l1 = {{1.4, 0}, {0.5, 0.8}};
        double[][] l2 = {{0.7, 0}, {-0.3, 1.7}};
        float[] x = draw(n, new double[] {0, 0}, l1, 1);
        float[] y = draw(n, new double[] {3, 4}, l2, 2);
        Frechet.Gaussian gx = Frechet.Gaussian.of(x, n, w);
        Frechet.Gaussian gy = Frechet.Gaussian.of(y, n, w);
        double[][] s1 = Frechet.multiply(l1, transpose(l1));
        double[][] s2 = Frechet.multiply(l2, transpose(l2));
        assertThat(gx.covariance()[1][0]).isCloseTo(s1[1][0], within(0.03));
        double exact = Frechet.distance(new double[] {0, 0}, s1, new double[] {3, 4}, s2).squared();
        assertThat(Frechet.distance(gx, gy).squared()).isCloseTo(exact, within(0.02 * exact));
        assertThat(Frechet.distance(gx, gx).squared()).isCloseTo(0, within(1e-9));
        assertThatThrownBy(() -> Frechet.Gaussian.of(new float[2], 1, 2)).hasMessageContaining("at least 2 vectors");
    }

    static float[] draw(int n, double[] mu, double[][] l, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int w = mu.length;
        float[] out = new float[n * w];
        double[] z = new double[w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                z[j] = gaussian(r);
            }
            for (int j = 0; j < w; j++) {
                double v = mu[j];
                for (int k = 0; k < w; k++) {
                    v += l[j][k] * z[k];
                }
                out[i * w + j] = (float) v;
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }
}
