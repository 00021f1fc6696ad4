package org.vae4j.judge;

/**
 * The Fréchet (2-Wasserstein) distance between two Gaussians fitted to two sets of feature vectors — the formula of
 * FID (Heusel et al. 2017), here applied in whatever feature space the caller gives (vae4j uses a small classifier's
 * penultimate layer, see {@link Yardstick}; that is not Inception FID and its numbers are not comparable with
 * published FIDs):
 *
 * <pre>
 *   d² = |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)
 * </pre>
 *
 * <p>The matrix square roots are taken through eigendecompositions of symmetric matrices ({@link SymmetricEigen}):
 * Σ₁^½ = V diag(√λ) Vᵀ (negative rounding-noise eigenvalues clipped to 0), then M = Σ₁^½ Σ₂ Σ₁^½ is symmetric
 * positive semi-definite and tr(M^½) = Σ √μ_i over its eigenvalues μ_i. This equals tr((Σ₁Σ₂)^½) of the usual
 * formula (Σ₁Σ₂ is similar to M) but never needs the square root of a non-symmetric matrix, so singular covariances
 * (dead ReLU units) need no ε on the diagonal. Everything is in double precision.
 */
public final class Frechet {
    private Frechet() {}

    /**
     * Mean and covariance of a set of feature vectors.
     *
     * @param mean the mean vector
     * @param covariance the unbiased covariance (divided by n − 1), symmetric
     * @param n vectors it was fitted to
     */
    public record Gaussian(double[] mean, double[][] covariance, int n) {
        /** Validates. */
        public Gaussian {
            if (covariance.length != mean.length) {
                throw new IllegalArgumentException("covariance of " + covariance.length + " rows for a mean of " + mean.length);
            }
        }

        /** The dimension. */
        public int width() {
            return mean.length;
        }

        /**
         * Fits mean and covariance (two passes, in double) to {@code n} vectors of {@code width} values.
         *
         * @param features {@code n × width} values, row-major
         * @throws IllegalArgumentException for fewer than two vectors or too few values
         */
        public static Gaussian of(float[] features, int n, int width) {
            if (n < 2 || width < 1 || features.length < (long) n * width) {
                throw new IllegalArgumentException("need at least 2 vectors of " + width + " values, got " + n + " ("
                        + features.length + " values)");
            }
            double[] mean = new double[width];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < width; j++) {
                    mean[j] += features[i * width + j];
                }
            }
            for (int j = 0; j < width; j++) {
                mean[j] /= n;
            }
            double[][] cov = new double[width][width];
            double[] c = new double[width];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < width; j++) {
                    c[j] = features[i * width + j] - mean[j];
                }
                for (int a = 0; a < width; a++) {
                    double ca = c[a];
                    if (ca == 0) {
                        continue;
                    }
                    double[] row = cov[a];
                    for (int b = a; b < width; b++) {
                        row[b] += ca * c[b];
                    }
                }
            }
            for (int a = 0; a < width; a++) {
                for (int b = a; b < width; b++) {
                    cov[a][b] /= n - 1;
                    cov[b][a] = cov[a][b];
                }
            }
            return new Gaussian(mean, cov, n);
        }
    }

    /**
     * The distance and its two parts.
     *
     * @param squared d² = {@code means + covariances}, the figure FID reports (≥ 0)
     * @param means |μ₁ − μ₂|², how far apart the centres are
     * @param covariances tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½), how differently the sets spread (clipped at 0 against
     *     rounding)
     */
    public record Distance(double squared, double means, double covariances) {}

    /** The Fréchet distance (squared, as FID reports it) between the Gaussians fitted to two sets. */
    public static Distance distance(Gaussian a, Gaussian b) {
        return distance(a.mean(), a.covariance(), b.mean(), b.covariance());
    }

    /**
     * The Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂).
     *
     * @throws IllegalArgumentException if the dimensions differ or a covariance is not symmetric
     */
    public static Distance distance(double[] mu1, double[][] s1, double[] mu2, double[][] s2) {
        int n = mu1.length;
        if (mu2.length != n || s1.length != n || s2.length != n) {
            throw new IllegalArgumentException("dimensions differ: means of " + n + " and " + mu2.length + ", covariances of "
                    + s1.length + " and " + s2.length);
        }
        double means = 0;
        for (int i = 0; i < n; i++) {
            double d = mu1[i] - mu2[i];
            means += d * d;
        }
        double[][] r = SymmetricEigen.of(s1).apply(l -> Math.sqrt(Math.max(l, 0)));
        double[][] m = multiply(multiply(r, s2), r);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = v;
                m[j][i] = v;
            }
        }
        double traceSqrt = 0;
        for (double mu : SymmetricEigen.of(m).values()) {
            traceSqrt += Math.sqrt(Math.max(mu, 0));
        }
        double covariances = Math.max(0, trace(s1) + trace(s2) - 2 * traceSqrt);
        return new Distance(means + covariances, means, covariances);
    }

    static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i][i];
        }
        return t;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] oi = out[i];
            for (int p = 0; p < k; p++) {
                double aip = a[i][p];
                if (aip == 0) {
                    continue;
                }
                double[] bp = b[p];
                for (int j = 0; j < m; j++) {
                    oi[j] += aip * bp[j];
                }
            }
        }
        return out;
    }
}
