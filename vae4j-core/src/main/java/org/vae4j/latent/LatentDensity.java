package org.vae4j.latent;

/**
 * How common each record is, judged from its latent means, and resampling weights that favour the rare ones — the
 * debiasing scheme of Amini et al. (2019), "Uncovering and Mitigating Algorithmic Bias through Learned Latent
 * Structure", as in the lectures' debiasing lab.
 *
 * <p>Per latent dimension d, the means μ_d of all records are put into {@code bins} equal-width bins between their
 * minimum and maximum; a bin's probability is {@code (count + 1) / (N + bins)} (add-one smoothing, so no record has
 * zero density). A record's density is the product over dimensions of the probabilities of its bins (the
 * dimensions treated as independent), reported <em>relative to the mean over the data set</em> (so the densities
 * average 1 and α has the same meaning for any latent size). Weights are {@code 1 / (density + α)}, normalised to
 * mean 1 (a weight of 3 means "drawn three times as often as under uniform sampling").
 */
public final class LatentDensity {
    private LatentDensity() {}

    /**
     * Densities and weights.
     *
     * @param density relative density per record (mean 1)
     * @param weights resampling weight per record (mean 1)
     */
    public record Result(double[] density, double[] weights) {}

    /**
     * Estimates densities and weights.
     *
     * @param mu latent means, {@code n × latent} row-major
     * @param n records (≥ 1)
     * @param latent latent size
     * @param bins histogram bins per dimension (≥ 1)
     * @param alpha smoothing added to the relative density before inverting (&gt; 0)
     * @return the densities and weights in record order
     * @throws IllegalArgumentException for invalid sizes, bins or alpha, or non-finite means
     */
    public static Result estimate(float[] mu, int n, int latent, int bins, double alpha) {
        if (n < 1 || latent < 1 || mu.length != (long) n * latent) {
            throw new IllegalArgumentException("expected " + n + " × " + latent + " latent means, got " + mu.length);
        }
        if (bins < 1 || bins > 100_000) {
            throw new IllegalArgumentException("--bins must be in 1..100000, got " + bins);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("--alpha must be a positive number, got " + alpha);
        }
        double[] logDensity = new double[n];
        for (int d = 0; d < latent; d++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                float v = mu[i * latent + d];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("latent mean " + d + " of record " + i + " is not finite");
                }
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            int[] bin = new int[n];
            long[] counts = new long[bins];
            double width = (hi - lo) / (double) bins;
            for (int i = 0; i < n; i++) {
                int b = width > 0 ? (int) ((mu[i * latent + d] - lo) / width) : 0;
                b = Math.min(bins - 1, Math.max(0, b)); // the maximum falls in the last bin
                bin[i] = b;
                counts[b]++;
            }
            for (int i = 0; i < n; i++) {
                logDensity[i] += Math.log((counts[bin[i]] + 1.0) / (n + bins));
            }
        }
        // relative density: divide by the mean density, computed as a log-mean-exp
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logDensity) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : logDensity) {
            sum += Math.exp(v - max);
        }
        double logMean = max + Math.log(sum / n);
        double[] density = new double[n];
        double[] weights = new double[n];
        double wSum = 0;
        for (int i = 0; i < n; i++) {
            density[i] = Math.exp(logDensity[i] - logMean);
            weights[i] = 1.0 / (density[i] + alpha);
            wSum += weights[i];
        }
        for (int i = 0; i < n; i++) {
            weights[i] = weights[i] * n / wSum;
        }
        return new Result(density, weights);
    }
}
