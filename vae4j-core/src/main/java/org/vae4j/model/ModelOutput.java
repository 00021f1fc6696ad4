package org.vae4j.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * What every model's forward pass returns.
 *
 * @param loss scalar training objective (batch mean of the model's loss, with warm-up/free bits applied)
 * @param recon per-record reconstruction negative log-likelihood in nats {@code (N)}
 * @param kl per-record KL(q(z|x) ‖ p(z)) in nats {@code (N)}; zeros for deterministic models
 * @param z the latent code used for decoding {@code (N, L)}
 * @param mu posterior means {@code (N, L)} (equal to z for deterministic models)
 * @param logvar posterior log-variances {@code (N, L)}, or null for deterministic models
 * @param params decoder output {@code (N, P, D)}
 * @param terms the model's named per-record terms {@code (N)} in nats, in {@link ModelVariant#termNames()} order
 *     (at least {@link #RECON} and {@link #KL}); these are the columns of {@code metrics.csv}
 */
public record ModelOutput(NDArray loss, NDArray recon, NDArray kl, NDArray z, NDArray mu, NDArray logvar, NDArray params,
        Map<String, NDArray> terms) {
    /** Term name: reconstruction NLL. */
    public static final String RECON = "recon";
    /** Term name: KL divergence from the prior. */
    public static final String KL = "kl";
    /** Term name: the negative importance-weighted bound −log (1/K) Σ w_k. */
    public static final String IW_BOUND = "neg_iw_bound";

    /** An output whose only terms are recon and KL. */
    public ModelOutput(NDArray loss, NDArray recon, NDArray kl, NDArray z, NDArray mu, NDArray logvar, NDArray params) {
        this(loss, recon, kl, z, mu, logvar, params, reconAndKl(recon, kl));
    }

    /** recon, then KL: the documented order (Map.of's iteration order is unspecified and changes from JVM to JVM). */
    private static Map<String, NDArray> reconAndKl(NDArray recon, NDArray kl) {
        Map<String, NDArray> terms = new java.util.LinkedHashMap<>();
        terms.put(RECON, recon);
        terms.put(KL, kl);
        return java.util.Collections.unmodifiableMap(terms);
    }
}
