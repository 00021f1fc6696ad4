package org.vae4j.lectures;

import java.util.List;
import java.util.Set;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.Capability;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelVariant;
import org.vae4j.model.ModelVariants;
import org.vae4j.model.UnsupportedCapabilityException;

/**
 * The two models the lectures compare, named once.
 *
 * <p>Why names and not "any registered model with a posterior": the lectures' claims are about one particular pair,
 * the plain autoencoder (a deterministic code, no KL term) against the standard VAE (a Gaussian posterior pulled
 * towards N(0, I) by the KL term, which with β ≠ 1 is the β-VAE), with the same networks. Other family members with a
 * posterior would change what is measured: a {@code cvae} needs labels for every code, an {@code iwae} trains on a
 * different bound. Both names are looked up in the model registry and checked for the capabilities the measurements
 * use, so a change to either model fails here, in one line, instead of producing a meaningless number.
 */
public final class LectureModels {
    private LectureModels() {}

    /** The model with a posterior: the lectures' VAE (and, with β ≠ 1, the β-VAE). */
    public static final String WITH_POSTERIOR = "vae";

    /** The plain autoencoder baseline: same networks as {@link #WITH_POSTERIOR}, deterministic code, no KL term. */
    public static final String PLAIN_AUTOENCODER = "ae";

    /**
     * The adversarial model of section 7: a generator with the decoder's architecture, a discriminator with the encoder's,
     * no density.
     */
    public static final String ADVERSARIAL = "gan";

    /** What the lectures use of the adversarial model: decoded draws from its prior. */
    public static final Set<Capability> ADVERSARIAL_NEEDS = Set.of(Capability.DECODES, Capability.SAMPLES);

    /** The decoder likelihood of every lecture model (images in [0, 1]). */
    public static final String LIKELIHOOD = "bernoulli";

    /**
     * What the lectures use of the model with a posterior: codes and their distribution (KL per dimension, posterior
     * σ, the gradient estimators), decoding, prior samples and the importance-weighted NLL.
     */
    public static final Set<Capability> POSTERIOR_NEEDS = Set.of(Capability.ENCODES, Capability.POSTERIOR, Capability.DECODES,
            Capability.SAMPLES, Capability.IMPORTANCE_WEIGHTED);

    /** What the lectures use of the baseline: codes, decoding and decoded draws from N(0, I). */
    public static final Set<Capability> BASELINE_NEEDS = Set.of(Capability.ENCODES, Capability.DECODES, Capability.SAMPLES);

    /**
     * The registered model with a posterior, checked.
     *
     * @return the variant named {@link #WITH_POSTERIOR}
     * @throws IllegalArgumentException when it is not registered, lacks one of {@link #POSTERIOR_NEEDS} or needs a
     *     condition
     */
    public static ModelVariant withPosterior() {
        return checked(WITH_POSTERIOR, POSTERIOR_NEEDS, true);
    }

    /**
     * The registered plain autoencoder, checked.
     *
     * @return the variant named {@link #PLAIN_AUTOENCODER}
     * @throws IllegalArgumentException when it is not registered, lacks one of {@link #BASELINE_NEEDS}, has a
     *     posterior (it would not be the baseline) or needs a condition
     */
    public static ModelVariant plainAutoencoder() {
        return checked(PLAIN_AUTOENCODER, BASELINE_NEEDS, false);
    }

    /**
     * The registered adversarial model, checked.
     *
     * @return the variant named {@link #ADVERSARIAL}
     * @throws IllegalArgumentException when it is not registered, lacks one of {@link #ADVERSARIAL_NEEDS}, encodes (it
     *     would not be the model that samples without an encoder and a density) or needs a condition
     */
    public static ModelVariant adversarial() {
        ModelVariant v = checked(ADVERSARIAL, ADVERSARIAL_NEEDS, false);
        if (v.can(Capability.ENCODES)) {
            throw new IllegalArgumentException("lectures: model '" + ADVERSARIAL + "' encodes records, so it is no sampler without a density");
        }
        return v;
    }

    /**
     * The GAN of section 7: its generator has the β-VAEs' decoder architecture and code size (and its discriminator
     * their encoder's, with one logit), the same likelihood's mean map, the GAN's default settings.
     *
     * @param shape record shape
     * @param latent latent size
     * @param hidden hidden widths
     * @return its configuration
     */
    public static ModelConfig gan(List<Integer> shape, int latent, List<Integer> hidden) {
        return config(adversarial(), shape, latent, hidden, 1.0);
    }

    private static ModelVariant checked(String name, Set<Capability> needs, boolean posterior) {
        ModelVariant v = ModelVariants.get(name);
        for (Capability c : Capability.values()) {
            if (needs.contains(c) && !v.can(c)) {
                throw new UnsupportedCapabilityException(name, c, "lectures");
            }
        }
        if (v.can(Capability.CONDITIONAL)) {
            throw new IllegalArgumentException("lectures: model '" + name + "' needs a condition; the lectures compare unconditional models");
        }
        if (!posterior && v.can(Capability.POSTERIOR)) {
            throw new IllegalArgumentException("lectures: model '" + name + "' has a posterior, so it is no plain-autoencoder baseline");
        }
        return v;
    }

    /**
     * The 2-D autoencoder: the same networks and likelihood as {@link #vae2d}, no KL term.
     *
     * @param shape record shape
     * @param hidden hidden widths
     * @return its configuration
     */
    public static ModelConfig autoencoder2d(List<Integer> shape, List<Integer> hidden) {
        return config(plainAutoencoder(), shape, 2, hidden, 1.0);
    }

    /**
     * The 2-D VAE.
     *
     * @param shape record shape
     * @param hidden hidden widths
     * @return its configuration
     */
    public static ModelConfig vae2d(List<Integer> shape, List<Integer> hidden) {
        return config(withPosterior(), shape, 2, hidden, 1.0);
    }

    /**
     * A β-VAE of the sweep.
     *
     * @param shape record shape
     * @param latent latent size
     * @param hidden hidden widths
     * @param beta β
     * @return its configuration
     */
    public static ModelConfig betaVae(List<Integer> shape, int latent, List<Integer> hidden, double beta) {
        return config(withPosterior(), shape, latent, hidden, beta);
    }

    private static ModelConfig config(ModelVariant v, List<Integer> shape, int latent, List<Integer> hidden, double beta) {
        return new ModelConfig(ModelConfig.FORMAT_VERSION, v.name(), shape, latent, ArchConfig.mlp(hidden.toArray(new Integer[0])),
                LIKELIHOOD, 1.0, beta, DataTransform.NONE);
    }
}
