package org.vae4j.model;

/**
 * Posterior parameters of {@code n} records, row-major {@code n × latent}.
 *
 * @param n records
 * @param latent latent size
 * @param mu means (the code itself for deterministic models)
 * @param logvar log-variances, or null for deterministic models
 */
public record Posterior(int n, int latent, float[] mu, float[] logvar) {
    /** μ of record {@code i}. */
    public float[] mu(int i) {
        return java.util.Arrays.copyOfRange(mu, i * latent, (i + 1) * latent);
    }
}
