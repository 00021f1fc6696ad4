package org.vae4j.judge;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method, in double precision.
 *
 * <p>Jacobi rotations annihilate the off-diagonal elements one pair at a time; each sweep visits every pair once and
 * the method converges quadratically. It is slower than Householder tridiagonalisation followed by QL (O(n³) per
 * sweep, 6–10 sweeps), but simple and accurate to a few units in the last place of the largest eigenvalue, also for
 * the nearly singular covariance matrices of ReLU features (dead units give exact zero rows). Meant for the
 * 64–512-dimensional feature spaces of {@link Frechet}.
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes {@code a} = V diag(λ) Vᵀ.
     *
     * @param a a square symmetric matrix (only its values are read; it is not changed). Asymmetry up to rounding is
     *     tolerated: the mean of {@code a} and its transpose is decomposed
     * @throws IllegalArgumentException if {@code a} is not square, holds a non-finite value or is clearly not symmetric
     */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][n];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length + " values, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("matrix holds a non-finite value at (" + i + ", " + j + ")");
                }
                scale = Math.max(scale, Math.abs(a[i][j]));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (Math.abs(a[i][j] - a[j][i]) > 1e-6 * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException("matrix is not symmetric at (" + i + ", " + j + ")");
                }
                m[i][j] = 0.5 * (a[i][j] + a[j][i]);
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += m[i][i] * m[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += m[i][j] * m[i][j];
                }
            }
            if (off == 0 || off <= 1e-30 * diag) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    // the rotation angle that zeroes m[p][q] (Numerical Recipes' stable form: the smaller root)
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    m[p][q] = 0;
                    m[q][p] = 0;
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i][i];
        }
        return new SymmetricEigen(values, v);
    }

    /** The eigenvalues λ_i (in no particular order; a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The eigenvector of {@link #values()}[{@code i}] (column i of V; a copy). */
    public double[] vector(int i) {
        double[] out = new double[vectors.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = vectors[k][i];
        }
        return out;
    }

    /**
     * V diag(f(λ)) Vᵀ: the matrix function of the decomposed matrix, for example its square root with
     * {@code f = λ -> Math.sqrt(Math.max(λ, 0))}.
     */
    public double[][] apply(java.util.function.DoubleUnaryOperator f) {
        int n = values.length;
        double[] fl = new double[n];
        for (int i = 0; i < n; i++) {
            fl[i] = f.applyAsDouble(values[i]);
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += vectors[i][k] * fl[k] * vectors[j][k];
                }
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }
}
