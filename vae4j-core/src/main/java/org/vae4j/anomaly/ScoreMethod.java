package org.vae4j.anomaly;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a record's anomaly score is computed; every score is "higher = more anomalous". */
public enum ScoreMethod {
    /** −ELBO: reconstruction NLL averaged over K sampled z (K = 1 by default) plus the analytic KL. */
    NEG_ELBO("neg-elbo", true, 1),
    /** Importance-weighted estimate of −log p(x) with K samples from q(z|x) (Burda et al. 2015). */
    IW_NLL("iw-nll", true, 100),
    /** An &amp; Cho (2015): −(1/K) Σ_k log p(x|z_k), z_k ~ q(z|x); the negative reconstruction probability. */
    RECON_PROB("recon-prob", true, 10),
    /** Sum of squared differences between x and the decoder mean at z = μ(x): deterministic, any model. */
    RECON_ERROR("recon-error", false, 1);

    private final String id;
    private final boolean needsPosterior;
    private final int defaultSamples;

    ScoreMethod(String id, boolean needsPosterior, int defaultSamples) {
        this.id = id;
        this.needsPosterior = needsPosterior;
        this.defaultSamples = defaultSamples;
    }

    /** The name used on the command line. */
    public String id() {
        return id;
    }

    /** Whether the method needs a posterior distribution (a variational model). */
    public boolean needsPosterior() {
        return needsPosterior;
    }

    /** Samples per record when none are given (ignored by {@link #RECON_ERROR}). */
    public int defaultSamples() {
        return defaultSamples;
    }

    /**
     * The method with this id.
     *
     * @throws IllegalArgumentException naming the valid ids
     */
    public static ScoreMethod byId(String id) {
        for (ScoreMethod m : values()) {
            if (m.id.equals(id == null ? "" : id.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown score method '" + id + "'; valid: " + ids(values()));
    }

    static String ids(ScoreMethod... ms) {
        return Arrays.stream(ms).map(ScoreMethod::id).collect(Collectors.joining(", "));
    }
}
