package org.vae4j.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vae4j.model.VaeModel;

class PcaTest {
    /** Points spread along a known direction (std 5) with small isotropic noise (std 0.3) in 6-D, offset. */
    @Test
    void recoversThePrincipalAxisOfSyntheticData() {
        int n = 2000;
        int d = 6;
        double[] axis = {1, 2, 0, -2, 0.5, 0};
        double norm = 0;
        for (double a : axis) {
            norm += a * a;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < d; j++) {
            axis[j] /= norm;
        }
        double[] second = {0, 0, 1, 0, 0, 0}; // orthogonal to axis, std 2
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double t = 5 * VaeModel.Gaussian.next(r);
            double u = 2 * VaeModel.Gaussian.next(r);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (10 + j + t * axis[j] + u * second[j] + 0.3 * VaeModel.Gaussian.next(r));
            }
        }
        Pca pca = Pca.fit(x, n, d, 2);
        double[] c0 = pca.component(0);
        double dot = 0;
        for (int j = 0; j < d; j++) {
            dot += c0[j] * axis[j];
        }
        assertThat(Math.abs(dot)).isGreaterThan(0.999);
        assertThat(Math.abs(pca.component(1)[2])).isGreaterThan(0.99);
        assertThat(pca.variance(0)).isCloseTo(25 + 0.09, within(2.0));
        assertThat(pca.variance(1)).isCloseTo(4 + 0.09, within(0.5));
        assertThat(pca.explainedFraction(0)).isCloseTo(25.09 / (25 + 4 + 6 * 0.09), within(0.03));
        assertThat(pca.mean()[3]).isCloseTo(13, within(0.5));
        // components are orthonormal
        double n0 = 0;
        double cross = 0;
        for (int j = 0; j < d; j++) {
            n0 += c0[j] * c0[j];
            cross += c0[j] * pca.component(1)[j];
        }
        assertThat(n0).isCloseTo(1, within(1e-9));
        assertThat(cross).isCloseTo(0, within(1e-9));
        // the projection has the component variances and is centred
        float[] p = pca.project(x, n);
        double m = 0;
        double v = 0;
        for (int i = 0; i < n; i++) {
            m += p[2 * i];
            v += p[2 * i] * p[2 * i];
        }
        assertThat(m / n).isCloseTo(0, within(1e-3));
        assertThat(v / (n - 1)).isCloseTo(pca.variance(0), within(1e-3 * pca.variance(0)));
    }

    @Test
    void jacobiDiagonalisesAKnownMatrix() {
        // eigenvalues of [[2,1],[1,2]] are 3 and 1
        double[][] a = {{2, 1}, {1, 2}};
        double[][] v = new double[2][2];
        double[] e = Pca.jacobi(a, v);
        java.util.Arrays.sort(e);
        assertThat(e[0]).isCloseTo(1, within(1e-12));
        assertThat(e[1]).isCloseTo(3, within(1e-12));
    }
}
