package org.vae4j.latent;

/**
 * Principal component analysis of row vectors: the eigenvectors of the sample covariance matrix, largest
 * eigenvalue first, found with the cyclic Jacobi method (exact up to rounding; O(d³) per sweep, fine for latent
 * codes of up to a few hundred dimensions).
 */
public final class Pca {
    private final int dimension;
    private final double[] mean;
    private final double[][] components;
    private final double[] variances;
    private final double totalVariance;

    private Pca(int dimension, double[] mean, double[][] components, double[] variances, double totalVariance) {
        this.dimension = dimension;
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /**
     * Fits the first {@code k} principal components of {@code n} rows of {@code d} values.
     *
     * @param rows {@code n × d} values, row-major
     * @param n number of rows, at least 2
     * @param d values per row
     * @param k components to keep, 1..d
     * @return the fitted PCA
     * @throws IllegalArgumentException on inconsistent sizes or non-finite values
     */
    public static Pca fit(float[] rows, int n, int d, int k) {
        if (d < 1 || n < 2 || rows.length != (long) n * d) {
            throw new IllegalArgumentException("PCA needs at least 2 rows of d >= 1 values; got " + rows.length
                    + " values for " + n + " rows of " + d);
        }
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("PCA components must be in 1.." + d + ", got " + k);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                float v = rows[i * d + j];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("PCA input row " + i + " has a non-finite value");
                }
                mean[j] += v;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = rows[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = centred[a];
                for (int b = a; b < d; b++) {
                    cov[a][b] += ca * centred[b];
                }
            }
        }
        double total = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
            total += cov[a][a];
        }
        double[][] vectors = new double[d][d];
        double[] values = jacobi(cov, vectors);
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[][] comps = new double[k][d];
        double[] vars = new double[k];
        for (int c = 0; c < k; c++) {
            int col = order[c];
            vars[c] = Math.max(0, values[col]);
            // sign convention: the largest-magnitude entry of each component is positive
            int big = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(vectors[j][col]) > Math.abs(vectors[big][col])) {
                    big = j;
                }
            }
            double sign = vectors[big][col] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                comps[c][j] = sign * vectors[j][col];
            }
        }
        return new Pca(d, mean, comps, vars, total);
    }

    /**
     * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations; {@code a} is destroyed.
     *
     * @param a symmetric d×d matrix
     * @param v receives the eigenvectors as columns
     * @return the eigenvalues (unsorted), matching the columns of {@code v}
     */
    static double[] jacobi(double[][] a, double[][] v) {
        int d = a.length;
        for (int i = 0; i < d; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < d; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * Math.max(diag, Double.MIN_NORMAL)) {
                break;
            }
            for (int p = 0; p < d - 1; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = a[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int r = 0; r < d; r++) {
                        double arp = a[r][p];
                        double arq = a[r][q];
                        a[r][p] = c * arp - s * arq;
                        a[r][q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < d; r++) {
                        double apr = a[p][r];
                        double aqr = a[q][r];
                        a[p][r] = c * apr - s * aqr;
                        a[q][r] = s * apr + c * aqr;
                    }
                    for (int r = 0; r < d; r++) {
                        double vrp = v[r][p];
                        double vrq = v[r][q];
                        v[r][p] = c * vrp - s * vrq;
                        v[r][q] = s * vrp + c * vrq;
                    }
                }
            }
        }
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = a[i][i];
        }
        return values;
    }

    /**
     * Projects rows onto the components: {@code (row − mean) · component_c}.
     *
     * @param rows {@code n × dimension()} values
     * @param n number of rows
     * @return {@code n × components()} values, row-major
     */
    public float[] project(float[] rows, int n) {
        if (n < 0 || rows.length != (long) n * dimension) {
            throw new IllegalArgumentException("expected " + n + " rows of " + dimension + " values, got " + rows.length);
        }
        int k = components.length;
        float[] out = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < dimension; j++) {
                    s += (rows[i * dimension + j] - mean[j]) * components[c][j];
                }
                out[i * k + c] = (float) s;
            }
        }
        return out;
    }

    /**
     * Input dimension.
     *
     * @return d
     */
    public int dimension() {
        return dimension;
    }

    /**
     * Number of components kept.
     *
     * @return k
     */
    public int components() {
        return components.length;
    }

    /**
     * A principal axis (unit length, largest-magnitude entry positive).
     *
     * @param c component index, 0 for the largest variance
     * @return a copy of the axis
     */
    public double[] component(int c) {
        return components[c].clone();
    }

    /**
     * The sample mean.
     *
     * @return a copy
     */
    public double[] mean() {
        return mean.clone();
    }

    /**
     * Variance along a component (its eigenvalue, with the n − 1 denominator).
     *
     * @param c component index
     * @return the variance
     */
    public double variance(int c) {
        return variances[c];
    }

    /**
     * Fraction of the total variance along a component (0 when the data have no variance).
     *
     * @param c component index
     * @return a fraction in [0, 1]
     */
    public double explainedFraction(int c) {
        return totalVariance > 0 ? variances[c] / totalVariance : 0;
    }
}
