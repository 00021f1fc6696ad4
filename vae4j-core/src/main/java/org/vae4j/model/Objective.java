package org.vae4j.model;

/**
 * Per-step settings of the training objective.
 *
 * @param beta effective KL weight for this step (β times the warm-up factor)
 * @param freeBits nats per latent dimension below which the batch-mean KL is not penalised (0 = off)
 */
public record Objective(double beta, double freeBits) {
    /** Validates. */
    public Objective {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0: " + beta);
        }
        if (!(freeBits >= 0) || Double.isInfinite(freeBits)) {
            throw new IllegalArgumentException("free bits must be finite and >= 0: " + freeBits);
        }
    }

    /** The plain ELBO with the given β. */
    public static Objective elbo(double beta) {
        return new Objective(beta, 0);
    }
}
