package org.vae4j.generate;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.vae4j.model.VaeModel;

/**
 * A Gaussian mixture with full covariances, fitted by expectation-maximisation: the density estimate behind the
 * {@code gmm:K} sampler (ex-post density estimation of a trained model's codes, Ghosh et al. 2020). Plain Java, double
 * precision; immutable once built.
 *
 * <p>Fitting is deterministic: k-means++ seeding from one seeded {@link SplittableRandom}, then EM whose sums run over
 * fixed chunks of points added in chunk order, so the result does not depend on the number of threads.
 */
public final class GaussianMixture {
    /** Added to every covariance diagonal (as scikit-learn's {@code reg_covar}): keeps collapsed directions invertible. */
    public static final double REGULARISATION = 1e-6;
    private static final int CHUNK = 2048;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int dim;
    private final double[] weights;
    private final double[][] means;
    private final double[][] covariances;
    /** Lower-triangular Cholesky factors, row-major d×d. */
    private final double[][] chol;
    /** log w_k − ½(d log 2π + log det Σ_k). */
    private final double[] logNorm;
    private final double[] cumulative;

    /**
     * A mixture from its parameters (validated: weights positive and summing to 1, covariances symmetric positive
     * definite).
     *
     * @param weights K mixing weights
     * @param means K means of length d
     * @param covariances K covariances, each d×d row-major
     */
    public GaussianMixture(double[] weights, double[][] means, double[][] covariances) {
        int k = weights.length;
        if (k < 1 || means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("a mixture needs as many means and covariances as weights (" + k + ")");
        }
        this.dim = means[0].length;
        if (dim < 1) {
            throw new IllegalArgumentException("a mixture needs at least one dimension");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("mixture weights must be positive and finite, got " + w);
            }
            sum += w;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("mixture weights must sum to 1, got " + sum);
        }
        this.weights = weights.clone();
        this.means = new double[k][];
        this.covariances = new double[k][];
        this.chol = new double[k][];
        this.logNorm = new double[k];
        this.cumulative = new double[k];
        double c = 0;
        for (int j = 0; j < k; j++) {
            if (means[j].length != dim || covariances[j].length != dim * dim) {
                throw new IllegalArgumentException("component " + j + " has the wrong dimension (expected " + dim + ")");
            }
            for (double v : means[j]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("component " + j + " has a non-finite mean");
                }
            }
            this.means[j] = means[j].clone();
            this.covariances[j] = covariances[j].clone();
            this.chol[j] = cholesky(covariances[j], dim, j);
            double logDet = 0;
            for (int i = 0; i < dim; i++) {
                logDet += 2 * Math.log(chol[j][i * dim + i]);
            }
            logNorm[j] = Math.log(weights[j]) - 0.5 * (dim * LOG_2PI + logDet);
            c += weights[j] / sum;
            cumulative[j] = c;
        }
        cumulative[k - 1] = 1.0;
    }

    /** Number of components. */
    public int components() {
        return weights.length;
    }

    /** Dimension of the points. */
    public int dimension() {
        return dim;
    }

    /** Mixing weights (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** Mean of component {@code j} (a copy). */
    public double[] mean(int j) {
        return means[j].clone();
    }

    /** Covariance of component {@code j}, d×d row-major (a copy). */
    public double[] covariance(int j) {
        return covariances[j].clone();
    }

    /** log density of one point. */
    public double logDensity(float[] x, int offset) {
        double[] lp = new double[weights.length];
        double[] tmp = new double[dim];
        return logJoint(x, offset, lp, tmp);
    }

    /** Mean log density of {@code n} points (row-major n×d). */
    public double meanLogDensity(float[] points, int n) {
        double[] lp = new double[weights.length];
        double[] tmp = new double[dim];
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += logJoint(points, i * dim, lp, tmp);
        }
        return s / n;
    }

    /**
     * Draws one point: a component by its weight, then the component's Gaussian (mean + L·ε with ε from
     * {@link VaeModel.Gaussian}). Consumes 1 + 2d uniforms from {@code r}.
     */
    public void draw(SplittableRandom r, float[] out, int offset) {
        double u = r.nextDouble();
        int j = 0;
        while (j < cumulative.length - 1 && u >= cumulative[j]) {
            j++;
        }
        double[] eps = new double[dim];
        for (int i = 0; i < dim; i++) {
            eps[i] = VaeModel.Gaussian.next(r);
        }
        double[] l = chol[j];
        double[] m = means[j];
        for (int i = 0; i < dim; i++) {
            double v = m[i];
            for (int t = 0; t <= i; t++) {
                v += l[i * dim + t] * eps[t];
            }
            out[offset + i] = (float) v;
        }
    }

    /** log Σ_k w_k N(x; μ_k, Σ_k); fills {@code lp} with the per-component terms. */
    private double logJoint(float[] x, int offset, double[] lp, double[] tmp) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < lp.length; j++) {
            lp[j] = logNorm[j] - 0.5 * mahalanobis(j, x, offset, tmp);
            max = Math.max(max, lp[j]);
        }
        double s = 0;
        for (double v : lp) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** (x − μ_j)ᵀ Σ_j⁻¹ (x − μ_j) by forward substitution with the Cholesky factor. */
    private double mahalanobis(int j, float[] x, int offset, double[] tmp) {
        double[] l = chol[j];
        double[] m = means[j];
        double q = 0;
        for (int i = 0; i < dim; i++) {
            double v = x[offset + i] - m[i];
            int row = i * dim;
            for (int t = 0; t < i; t++) {
                v -= l[row + t] * tmp[t];
            }
            v /= l[row + i];
            tmp[i] = v;
            q += v * v;
        }
        return q;
    }

    private static double[] cholesky(double[] a, int d, int component) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                if (Math.abs(a[i * d + j] - a[j * d + i]) > 1e-9 * (1 + Math.abs(s))) {
                    throw new IllegalArgumentException("covariance " + component + " is not symmetric");
                }
                for (int t = 0; t < j; t++) {
                    s -= l[i * d + t] * l[j * d + t];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        throw new IllegalArgumentException("covariance " + component + " is not positive definite");
                    }
                    l[i * d + i] = Math.sqrt(s);
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        return l;
    }

    /**
     * What a fit did.
     *
     * @param mixture the fitted mixture
     * @param iterations EM iterations run
     * @param converged whether the mean log-likelihood changed by less than the tolerance before the last iteration
     * @param meanLogLikelihood mean log density of the fitted points under {@code mixture}
     */
    public record Fit(GaussianMixture mixture, int iterations, boolean converged, double meanLogLikelihood) {}

    /**
     * Fits a K-component mixture to {@code n} points by EM, from k-means++ seeds refined by a few Lloyd steps.
     *
     * @param points row-major n×d
     * @param n number of points, ≥ k
     * @param d dimension
     * @param k components, ≥ 1
     * @param seed seed of the k-means++ seeding
     * @param maxIterations most EM iterations
     * @param tolerance stop when the mean log-likelihood improves by less than this (nats per point)
     */
    public static Fit fit(float[] points, int n, int d, int k, long seed, int maxIterations, double tolerance) {
        if (k < 1 || d < 1) {
            throw new IllegalArgumentException("need k >= 1 and d >= 1, got k=" + k + ", d=" + d);
        }
        if (n < k || (long) n * d > points.length) {
            throw new IllegalArgumentException("a " + k + "-component mixture needs at least " + k + " points, got " + n);
        }
        for (int i = 0; i < n * d; i++) {
            if (!Float.isFinite(points[i])) {
                throw new IllegalArgumentException("point " + (i / d) + " is not finite");
            }
        }
        // a floor for every covariance, relative to the data's own scale so units do not matter
        double[] globalMean = new double[d];
        double[] globalVar = new double[d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                globalMean[t] += points[i * d + t];
            }
        }
        for (int t = 0; t < d; t++) {
            globalMean[t] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                double v = points[i * d + t] - globalMean[t];
                globalVar[t] += v * v;
            }
        }
        double meanVar = 0;
        for (int t = 0; t < d; t++) {
            globalVar[t] /= n;
            meanVar += globalVar[t] / d;
        }
        double reg = REGULARISATION * Math.max(meanVar, 1e-12);

        double[][] centres = kMeansPlusPlus(points, n, d, k, new SplittableRandom(seed));
        int[] assign = new int[n];
        for (int step = 0; step < 10; step++) {
            lloyd(points, n, d, centres, assign);
        }
        // initial parameters from the hard assignment
        double[] w = new double[k];
        double[][] mu = new double[k][d];
        double[][] cov = new double[k][d * d];
        double[] nk = new double[k];
        for (int i = 0; i < n; i++) {
            nk[assign[i]]++;
        }
        mStep(points, n, d, k, (i, j) -> assign[i] == j ? 1.0 : 0.0, nk, w, mu, cov, reg, globalMean, globalVar);
        GaussianMixture g = new GaussianMixture(w, mu, cov);
        double previous = Double.NEGATIVE_INFINITY;
        int it = 0;
        boolean converged = false;
        double[] respFlat = new double[n * k];
        while (it < maxIterations) {
            double ll = eStep(g, points, n, respFlat);
            it++;
            if (ll - previous < tolerance && it > 1) {
                converged = true;
                previous = ll;
                break;
            }
            previous = ll;
            Arrays.fill(nk, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    nk[j] += respFlat[i * k + j];
                }
            }
            final double[] r = respFlat;
            mStep(points, n, d, k, (i, j) -> r[i * k + j], nk, w, mu, cov, reg, globalMean, globalVar);
            g = new GaussianMixture(w, mu, cov);
        }
        if (!converged) {
            previous = g.meanLogDensity(points, n);
        }
        return new Fit(g, it, converged, previous);
    }

    @FunctionalInterface
    private interface Responsibility {
        double of(int point, int component);
    }

    /** Fills resp (n×k) and returns the mean log-likelihood; chunked and summed in chunk order (deterministic). */
    private static double eStep(GaussianMixture g, float[] points, int n, double[] resp) {
        int k = g.components();
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] lp = new double[k];
            double[] tmp = new double[g.dim];
            double s = 0;
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                double ll = g.logJoint(points, i * g.dim, lp, tmp);
                s += ll;
                for (int j = 0; j < k; j++) {
                    resp[i * k + j] = Math.exp(lp[j] - ll);
                }
            }
            partial[c] = s;
        });
        double s = 0;
        for (double v : partial) {
            s += v;
        }
        return s / n;
    }

    private static void mStep(float[] points, int n, int d, int k, Responsibility r, double[] nk, double[] w,
            double[][] mu, double[][] cov, double reg, double[] globalMean, double[] globalVar) {
        double total = 0;
        for (int j = 0; j < k; j++) {
            total += nk[j];
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        for (int j = 0; j < k; j++) {
            final int comp = j;
            if (nk[j] < 1e-9) {
                // an empty component restarts from the data's overall spread rather than dividing by zero
                w[j] = 1e-12;
                System.arraycopy(globalMean, 0, mu[j], 0, d);
                Arrays.fill(cov[j], 0);
                for (int t = 0; t < d; t++) {
                    cov[j][t * d + t] = globalVar[t] + reg;
                }
                continue;
            }
            double[][] sums = new double[chunks][];
            IntStream.range(0, chunks).parallel().forEach(c -> {
                double[] s = new double[d];
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    double q = r.of(i, comp);
                    if (q != 0) {
                        for (int t = 0; t < d; t++) {
                            s[t] += q * points[i * d + t];
                        }
                    }
                }
                sums[c] = s;
            });
            double[] m = new double[d];
            for (double[] s : sums) {
                for (int t = 0; t < d; t++) {
                    m[t] += s[t];
                }
            }
            for (int t = 0; t < d; t++) {
                m[t] /= nk[j];
            }
            double[][] csums = new double[chunks][];
            IntStream.range(0, chunks).parallel().forEach(c -> {
                double[] s = new double[d * d];
                double[] v = new double[d];
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    double q = r.of(i, comp);
                    if (q == 0) {
                        continue;
                    }
                    for (int t = 0; t < d; t++) {
                        v[t] = points[i * d + t] - m[t];
                    }
                    for (int a = 0; a < d; a++) {
                        double qa = q * v[a];
                        for (int b = 0; b <= a; b++) {
                            s[a * d + b] += qa * v[b];
                        }
                    }
                }
                csums[c] = s;
            });
            double[] c2 = new double[d * d];
            for (double[] s : csums) {
                for (int t = 0; t < d * d; t++) {
                    c2[t] += s[t];
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    double v = c2[a * d + b] / nk[j];
                    c2[a * d + b] = v;
                    c2[b * d + a] = v;
                }
                c2[a * d + a] += reg;
            }
            mu[j] = m;
            cov[j] = c2;
            w[j] = nk[j] / total;
        }
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int j = 0; j < k; j++) {
            w[j] /= s;
        }
    }

    private static double[][] kMeansPlusPlus(float[] points, int n, int d, int k, SplittableRandom r) {
        double[][] centres = new double[k][d];
        int first = r.nextInt(n);
        for (int t = 0; t < d; t++) {
            centres[0][t] = points[first * d + t];
        }
        double[] dist = new double[n];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], squared(points, i * d, centres[c - 1]));
                total += dist[i];
            }
            int pick;
            if (total <= 0) {
                pick = r.nextInt(n); // all points coincide with a centre
            } else {
                double u = r.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    u -= dist[i];
                    if (u < 0) {
                        pick = i;
                        break;
                    }
                }
            }
            for (int t = 0; t < d; t++) {
                centres[c][t] = points[pick * d + t];
            }
        }
        return centres;
    }

    private static void lloyd(float[] points, int n, int d, double[][] centres, int[] assign) {
        int k = centres.length;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bd = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double v = squared(points, i * d, centres[c]);
                if (v < bd) {
                    bd = v;
                    best = c;
                }
            }
            assign[i] = best;
        }
        double[][] sum = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            count[assign[i]]++;
            for (int t = 0; t < d; t++) {
                sum[assign[i]][t] += points[i * d + t];
            }
        }
        for (int c = 0; c < k; c++) {
            if (count[c] > 0) {
                for (int t = 0; t < d; t++) {
                    centres[c][t] = sum[c][t] / count[c];
                }
            }
        }
    }

    private static double squared(float[] points, int offset, double[] c) {
        double s = 0;
        for (int t = 0; t < c.length; t++) {
            double v = points[offset + t] - c[t];
            s += v * v;
        }
        return s;
    }
}
