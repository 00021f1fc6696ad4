package org.vae4j.lectures;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simple disentanglement measure for data with known ordinal factors (the shapes' x, y and scale): for each
 * factor, the absolute Pearson correlation of every latent dimension's posterior mean with the factor's value;
 * the factor's score is the gap between the best and second-best dimension (high when exactly one dimension
 * tracks it, in the spirit of the mutual information gap of Chen et al. 2018, with correlation in place of mutual
 * information). The overall score is the mean over factors.
 *
 * @param score mean over factors of the correlation gap, in [0, 1]
 * @param perFactor for each factor: {@code [best |r|, second |r|, best dimension]}
 */
public record FactorAlignment(double score, Map<String, double[]> perFactor) {

    /**
     * Measures the alignment of codes with factors.
     *
     * @param mu {@code n × latent} posterior means
     * @param n number of records
     * @param latent latent size, at least 2
     * @param factors factor name to one value index per record; factors with a single value are skipped
     * @return the score, or null when no factor varies
     */
    public static FactorAlignment of(float[] mu, int n, int latent, Map<String, int[]> factors) {
        if (latent < 2) {
            throw new IllegalArgumentException("need at least 2 latent dimensions, got " + latent);
        }
        Map<String, double[]> per = new LinkedHashMap<>();
        double sum = 0;
        for (Map.Entry<String, int[]> e : factors.entrySet()) {
            int[] v = e.getValue();
            if (v.length != n) {
                throw new IllegalArgumentException("factor " + e.getKey() + " has " + v.length + " values for " + n + " records");
            }
            double best = 0;
            double second = 0;
            int bestDim = -1;
            boolean varies = false;
            for (int i = 1; i < n && !varies; i++) {
                varies = v[i] != v[0];
            }
            if (!varies) {
                continue;
            }
            for (int j = 0; j < latent; j++) {
                double r = Math.abs(correlation(mu, n, latent, j, v));
                if (r > best) {
                    second = best;
                    best = r;
                    bestDim = j;
                } else if (r > second) {
                    second = r;
                }
            }
            per.put(e.getKey(), new double[] {best, second, bestDim});
            sum += best - second;
        }
        return per.isEmpty() ? null : new FactorAlignment(sum / per.size(), per);
    }

    /** Pearson correlation of dimension j of the codes with the factor values (0 when either is constant). */
    static double correlation(float[] mu, int n, int latent, int j, int[] v) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += mu[i * latent + j];
            my += v[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double a = mu[i * latent + j] - mx;
            double b = v[i] - my;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
