package org.vae4j.lectures;

/**
 * The lectures' claims about autoencoders and VAEs that {@link Lectures#run} tests, with where they are made and the
 * report section that measures them. Each {@link Verdict} names the claim it belongs to.
 */
public enum LectureClaim {
    /** Autoencoder codes cluster with gaps; decoding from a gap gives nonsense. */
    AUTOENCODER_GAPS(1, "An autoencoder's latent space forms distinct clusters with gaps; decoding from a gap gives an unrealistic output",
            "CS60010 'Deep Generative Modeling via VAEs'; CS109B Lecture 18 'Problems with autoencoders: gaps, separability'"),
    /** The KL term centres the codes. */
    KL_CENTRES_CODES(1, "The KL term pulls the encodings of all inputs evenly around the centre of the latent space",
            "CS60010; METU 'Auto-Encoding': VAEs force the latent variables to be Normal distributed"),
    /** A VAE can be sampled from its prior. */
    PRIOR_SAMPLING(2, "A VAE's latent space is continuous and complete by design, allowing random sampling",
            "CS60010; METU; lecture notes 'Properties expected from regularization'"),
    /** A VAE interpolates smoothly. */
    SMOOTH_INTERPOLATION(3, "…and smooth interpolation between inputs", "CS60010; IIT Tirupati 7.4 'smooth transition between digits'"),
    /** β trades reconstruction for regularisation, narrows the bottleneck and disentangles. */
    BETA_TRADE_OFF(4, "There is a trade-off between regularisation and reconstruction; larger β constrains the bottleneck and "
            + "encourages disentanglement; latent dimensions can be perturbed one at a time", "lecture notes on β-VAE"),
    /** Without the KL term the posterior collapses to points that drift apart. */
    NO_KL_CONSEQUENCES(4, "Without the KL term the posterior variances shrink and the means drift apart", "lecture notes 'Consequences'"),
    /** The negative ELBO bounds −log p(x) from above. */
    ELBO_UPPER_BOUND(4, "The negative ELBO is an upper bound on −log p(x)", "CS109B Lecture 18"),
    /** The reparameterisation trick lets the gradient through the sampling. */
    REPARAMETERISATION(5, "Sampling is not differentiable; the reparameterisation z = μ + σ⊙ε makes the gradient flow",
            "IIT Tirupati 7.4; CS109B; METU"),
    /** N(0, I) draws land where no code lies; sampling where the codes are helps. */
    PRIOR_HOLES(6, "The aggregate posterior does not fill N(0, I): prior draws land in holes where no code lies, and sampling where "
            + "the codes are gives more realistic samples", "issue 12; Ghosh et al. 2020 (ex-post density estimation); Tomczak & "
            + "Welling 2018 (VampPrior)"),
    /** A GAN samples without a density, and its samples come closer to the data. */
    GAN_SAMPLES(7, "Instead of modelling a density, a GAN just samples: its generator turns noise into imitations close to the data "
            + "(here: closer than the VAE's with the same decoder, and sharper)", "notes 003 'Generative Adversarial Networks'; "
            + "Goodfellow et al. 2014"),
    /** The notes' minimax objective gives G no gradient while D rejects its samples. */
    GAN_SATURATION(7, "The minimax objective saturates early in training: while D confidently rejects G's samples, log(1 − D(G(z))) "
            + "gives G almost no gradient; the non-saturating −log D(G(z)) does", "notes 003 (the objective arg min_G max_D); "
            + "Goodfellow et al. 2014, section 3"),
    /** At the optimum D cannot tell real from generated. */
    GAN_OPTIMUM(7, "At the global optimum G reproduces the data and D cannot distinguish fake from real: D(x) = D(G(z)) = ½",
            "notes 003 'Global optimum'");

    private final int section;
    private final String statement;
    private final String sources;

    LectureClaim(int section, String statement, String sources) {
        this.section = section;
        this.statement = statement;
        this.sources = sources;
    }

    /**
     * The report section (1–7) that tests the claim.
     *
     * @return the section number
     */
    public int section() {
        return section;
    }

    /**
     * The claim as the lectures make it.
     *
     * @return one or more sentences
     */
    public String statement() {
        return statement;
    }

    /**
     * Where the lectures make it.
     *
     * @return course and lecture names
     */
    public String sources() {
        return sources;
    }
}
