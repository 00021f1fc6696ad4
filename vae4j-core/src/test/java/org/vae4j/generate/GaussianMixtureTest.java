package org.vae4j.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.vae4j.model.VaeModel;

class GaussianMixtureTest {

    /** n points from two well separated 2-D Gaussians: weight 0.3 at (−4, 0) with cov [[1, .5], [.5, 1]], 0.7 at (3, 2) with diag(.25, 4). */
    static float[] twoClusters(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double e1 = VaeModel.Gaussian.next(r);
            double e2 = VaeModel.Gaussian.next(r);
            if (r.nextDouble() < 0.3) {
                // L = [[1, 0], [.5, sqrt(.75)]]
                x[2 * i] = (float) (-4 + e1);
                x[2 * i + 1] = (float) (0.5 * e1 + Math.sqrt(0.75) * e2);
            } else {
                x[2 * i] = (float) (3 + 0.5 * e1);
                x[2 * i + 1] = (float) (2 + 2 * e2);
            }
        }
        return x;
    }

    @Test
    void emRecoversTheComponentsOfAKnownMixture() {
        int n = 20_000;
        GaussianMixture.Fit fit = GaussianMixture.fit(twoClusters(n, 1), n, 2, 2, 7, 200, 1e-6);
        GaussianMixture g = fit.mixture();
        int a = g.mean(0)[0] < 0 ? 0 : 1; // the component at (−4, 0)
        int b = 1 - a;
        assertThat(g.weights()[a]).isCloseTo(0.3, within(0.015));
        assertThat(g.mean(a)[0]).isCloseTo(-4, within(0.05));
        assertThat(g.mean(a)[1]).isCloseTo(0, within(0.05));
        assertThat(g.mean(b)[0]).isCloseTo(3, within(0.03));
        assertThat(g.mean(b)[1]).isCloseTo(2, within(0.08));
        double[] ca = g.covariance(a);
        assertThat(ca[0]).isCloseTo(1, within(0.06));
        assertThat(ca[1]).isCloseTo(0.5, within(0.05));
        assertThat(ca[3]).isCloseTo(1, within(0.06));
        double[] cb = g.covariance(b);
        assertThat(cb[0]).isCloseTo(0.25, within(0.015));
        assertThat(cb[1]).isCloseTo(0, within(0.05));
        assertThat(cb[3]).isCloseTo(4, within(0.15));
        assertThat(fit.converged()).isTrue();
        assertThat(fit.meanLogLikelihood()).isCloseTo(g.meanLogDensity(twoClusters(n, 1), n), within(1e-9));
    }

    @Test
    void logDensityOfOneComponentIsTheGaussianDensity() {
        // N((1, −1), [[2, .6], [.6, 1]]) at (0.5, 0): closed form
        GaussianMixture g = new GaussianMixture(new double[] {1}, new double[][] {{1, -1}}, new double[][] {{2, 0.6, 0.6, 1}});
        double det = 2 * 1 - 0.36;
        double dx = -0.5;
        double dy = 1;
        // inverse = [[1, −.6], [−.6, 2]] / det
        double q = (dx * dx * 1 - 2 * 0.6 * dx * dy + dy * dy * 2) / det;
        double expected = -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
        assertThat(g.logDensity(new float[] {0.5f, 0f}, 0)).isCloseTo(expected, within(1e-6));
        // a mixture of two equal components is the component
        GaussianMixture twice = new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{1, -1}, {1, -1}},
                new double[][] {{2, 0.6, 0.6, 1}, {2, 0.6, 0.6, 1}});
        assertThat(twice.logDensity(new float[] {0.5f, 0f}, 0)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void drawsFollowTheMixture() {
        GaussianMixture g = new GaussianMixture(new double[] {0.25, 0.75}, new double[][] {{-3, 0}, {2, 1}},
                new double[][] {{1, 0.8, 0.8, 1}, {0.5, 0, 0, 2}});
        int n = 40_000;
        float[] x = new float[2 * n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            g.draw(r, x, 2 * i);
        }
        int left = 0;
        double cxy = 0;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            if (x[2 * i] < -0.5) {
                left++;
                mx += x[2 * i];
                my += x[2 * i + 1];
                cxy += (x[2 * i] + 3) * x[2 * i + 1];
            }
        }
        assertThat(left / (double) n).isCloseTo(0.25, within(0.01));
        assertThat(mx / left).isCloseTo(-3, within(0.05));
        assertThat(my / left).isCloseTo(0, within(0.05));
        assertThat(cxy / left).isCloseTo(0.8, within(0.05)); // the component's covariance, through its Cholesky factor
        // the same seed draws the same points
        float[] again = new float[2 * n];
        SplittableRandom r2 = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            g.draw(r2, again, 2 * i);
        }
        assertThat(again).isEqualTo(x);
    }

    @Test
    void aFitDoesNotDependOnTheNumberOfThreads() throws Exception {
        int n = 9_000; // several chunks
        float[] x = twoClusters(n, 5);
        GaussianMixture one = new ForkJoinPool(1).submit(() -> GaussianMixture.fit(x, n, 2, 3, 11, 50, 1e-8).mixture()).get();
        GaussianMixture three = new ForkJoinPool(3).submit(() -> GaussianMixture.fit(x, n, 2, 3, 11, 50, 1e-8).mixture()).get();
        for (int j = 0; j < 3; j++) {
            assertThat(three.mean(j)).isEqualTo(one.mean(j));
            assertThat(three.covariance(j)).isEqualTo(one.covariance(j));
        }
        assertThat(three.weights()).isEqualTo(one.weights());
    }

    @Test
    void degenerateCodesStayInvertible() {
        // every point on a line (the second coordinate an inactive unit): the regularisation keeps Σ positive definite
        int n = 500;
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i % 2 == 0 ? -1 - i * 1e-3f : 1 + i * 1e-3f;
        }
        GaussianMixture g = GaussianMixture.fit(x, n, 2, 2, 1, 100, 1e-6).mixture();
        assertThat(Arrays.stream(g.weights()).sum()).isCloseTo(1, within(1e-9));
        assertThat(Double.isFinite(g.logDensity(x, 0))).isTrue();
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> GaussianMixture.fit(new float[4], 2, 2, 3, 1, 10, 1e-3)).hasMessageContaining("at least 3 points");
        assertThatThrownBy(() -> GaussianMixture.fit(new float[] {1, Float.NaN, 0, 0}, 2, 2, 1, 1, 10, 1e-3))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> new GaussianMixture(new double[] {0.5, 0.4}, new double[][] {{0}, {1}}, new double[][] {{1}, {1}}))
                .hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][] {{1, 2, 2, 1}}))
                .hasMessageContaining("not positive definite");
    }
}
