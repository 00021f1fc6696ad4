package org.vae4j.latent;

/**
 * Quantiles of the standard normal distribution, for laying decoded grids over a Gaussian prior as in Kingma &amp;
 * Welling's (2014) figure 4: evenly spaced probabilities mapped through the inverse normal CDF.
 */
public final class NormalQuantiles {
    // Wichura (1988), Algorithm AS 241 (PPND16), coefficients from highest to lowest power.
    private static final double[] CENTRAL_NUM = {2.5090809287301226727e+3, 3.3430575583588128105e+4,
        6.7265770927008700853e+4, 4.5921953931549871457e+4, 1.3731693765509461125e+4, 1.9715909503065514427e+3,
        1.3314166789178437745e+2, 3.3871328727963666080e+0};
    private static final double[] CENTRAL_DEN = {5.2264952788528545610e+3, 2.8729085735721942674e+4,
        3.9307895800092710610e+4, 2.1213794301586595867e+4, 5.3941960214247511077e+3, 6.8718700749205790830e+2,
        4.2313330701600911252e+1, 1.0};
    private static final double[] NEAR_NUM = {7.7454501427834140764e-4, 2.2723844989269184583e-2,
        2.4178072517745061177e-1, 1.2704582524523683826e+0, 3.6478483247632045605e+0, 5.7694972214606914055e+0,
        4.6303378461565452959e+0, 1.4234371107496835773e+0};
    private static final double[] NEAR_DEN = {1.0507500716444168432e-9, 5.4759380849953449460e-4,
        1.5198666563616457197e-2, 1.4810397642748007459e-1, 6.8976733498510000455e-1, 1.6763848301838038494e+0,
        2.0531916266377588219e+0, 1.0};
    private static final double[] TAIL_NUM = {2.0103343992922881327e-7, 2.7115555687434875782e-5,
        1.2426609473880784386e-3, 2.6532189526576123093e-2, 2.9656057182850489123e-1, 1.7848265399172913358e+0,
        5.4637849111641143699e+0, 6.6579046435011037772e+0};
    private static final double[] TAIL_DEN = {2.0442631033899397856e-15, 1.4215117583164458887e-7,
        1.8463183175100546818e-5, 7.8686913114561329059e-4, 1.4875361290850614853e-2, 1.3692988092273580531e-1,
        5.9983220655588793769e-1, 1.0};

    private NormalQuantiles() {}

    /**
     * The inverse of the standard normal CDF, Φ⁻¹(p), accurate to about 1e-16 relative (Wichura's AS 241).
     *
     * @param p probability in the open interval (0, 1)
     * @return z with Φ(z) = p
     * @throws IllegalArgumentException if p is not strictly between 0 and 1
     */
    public static double inverseCdf(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must be strictly between 0 and 1, got " + p);
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * horner(CENTRAL_NUM, r) / horner(CENTRAL_DEN, r);
        }
        double r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
        double x;
        if (r <= 5) {
            r -= 1.6;
            x = horner(NEAR_NUM, r) / horner(NEAR_DEN, r);
        } else {
            r -= 5;
            x = horner(TAIL_NUM, r) / horner(TAIL_DEN, r);
        }
        return q < 0 ? -x : x;
    }

    /**
     * {@code count} quantiles at the evenly spaced probabilities (i + ½) / count, i = 0 … count − 1, in increasing
     * order: each covers an equal share of the prior's mass, and the grid never reaches the infinite quantiles
     * at 0 and 1.
     *
     * @param count at least 1
     * @return the quantiles
     */
    public static double[] evenlySpaced(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least 1 quantile, got " + count);
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = inverseCdf((i + 0.5) / count);
        }
        // exact symmetry, so the middle of an odd grid is exactly 0 and opposite points mirror each other
        for (int i = 0; i < count / 2; i++) {
            double m = (out[count - 1 - i] - out[i]) / 2;
            out[i] = -m;
            out[count - 1 - i] = m;
        }
        if (count % 2 == 1) {
            out[count / 2] = 0;
        }
        return out;
    }

    private static double horner(double[] c, double x) {
        double v = c[0];
        for (int i = 1; i < c.length; i++) {
            v = v * x + c[i];
        }
        return v;
    }
}
