package org.vae4j.model;

/**
 * What a model can do. Commands, the report and the explorer ask a model for a capability before they use it, and
 * refuse in one line (naming the model and what it lacks) when it is absent, instead of computing something
 * meaningless.
 */
public enum Capability {
    /** Maps a record to a code (its posterior mean for variational models): encode, reconstruct, latent pictures. */
    ENCODES("encode records"),
    /** The encoder gives a distribution q(z|x) = N(μ, diag σ²): KL, active units, -ELBO and recon-prob scores. */
    POSTERIOR("give a posterior distribution q(z|x)"),
    /**
     * The decoder maps codes to records: decoding, sampling, interpolation and traversal between codes. For the
     * autoencoder family its output is also a likelihood p(x|z); a GAN's generator decodes without one, which is
     * harmless because every use of p(x|z) as a density (reconstruction NLL, −ELBO, scores, restoration) also needs
     * {@link #ENCODES}, which a GAN lacks.
     */
    DECODES("decode codes to records"),
    /** Codes can be drawn from a prior p(z) and decoded: sample, traverse around the prior. */
    SAMPLES("sample from a prior"),
    /** Encoding, decoding and sampling take a condition (a class label), as in the conditional VAE. */
    CONDITIONAL("condition on a label"),
    /** Bounds log p(x) by importance sampling with its own proposal q(z|x) and joint p(x, z): IW-NLL. */
    IMPORTANCE_WEIGHTED("estimate log p(x) by importance sampling");

    private final String phrase;

    Capability(String phrase) {
        this.phrase = phrase;
    }

    /** What the capability lets a model do, as a verb phrase ("encode records"). */
    public String phrase() {
        return phrase;
    }
}
