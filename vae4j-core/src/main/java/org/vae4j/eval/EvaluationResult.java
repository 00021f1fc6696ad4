package org.vae4j.eval;

/**
 * Test-set figures, all per record in nats.
 *
 * @param n records evaluated
 * @param negElbo negative ELBO (β = 1) with one sampled z per record; recon only for deterministic models
 * @param recon reconstruction NLL with one sampled z
 * @param kl KL(q(z|x) ‖ N(0, I))
 * @param klPerDimension mean KL of each latent dimension
 * @param activeUnits dimensions whose posterior mean varies across the data (Cov_x E_q[z_i] &gt; 0.01)
 * @param meanVariance variance across the data of each dimension's posterior mean
 * @param iwNll importance-weighted NLL estimate, or NaN if not computed
 * @param iwSamples samples per record used for {@code iwNll} (0 if not computed)
 * @param bitsPerDim {@code iwNll / (D · ln 2)}, or NaN
 * @param likelihoodIsDensity false when the reconstruction term is not a density (mse)
 * @param terms mean per record of each of the model's named terms ({@link org.vae4j.model.ModelVariant#termNames()}),
 *     e.g. recon, kl and the IWAE's neg_iw_bound
 * @param perClass figures per label when the records were evaluated with their labels (a conditional model), in
 *     label order, only labels that occur; empty otherwise
 */
public record EvaluationResult(
        int n,
        double negElbo,
        double recon,
        double kl,
        double[] klPerDimension,
        int activeUnits,
        double[] meanVariance,
        double iwNll,
        int iwSamples,
        double bitsPerDim,
        boolean likelihoodIsDensity,
        java.util.Map<String, Double> terms,
        java.util.List<ClassFigures> perClass) {

    /** Validates. */
    public EvaluationResult {
        terms = terms == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
        perClass = perClass == null ? java.util.List.of() : java.util.List.copyOf(perClass);
    }

    /**
     * The figures of the records with one label.
     *
     * @param label the label
     * @param count records with it
     * @param negElbo their mean −ELBO (one sampled z per record, as {@link EvaluationResult#negElbo()})
     * @param recon their mean reconstruction NLL
     * @param kl their mean KL
     */
    public record ClassFigures(int label, long count, double negElbo, double recon, double kl) {}

    /** A result without per-class figures. */
    public EvaluationResult(int n, double negElbo, double recon, double kl, double[] klPerDimension, int activeUnits,
            double[] meanVariance, double iwNll, int iwSamples, double bitsPerDim, boolean likelihoodIsDensity,
            java.util.Map<String, Double> terms) {
        this(n, negElbo, recon, kl, klPerDimension, activeUnits, meanVariance, iwNll, iwSamples, bitsPerDim, likelihoodIsDensity,
                terms, java.util.List.of());
    }

    /** A result without named terms beyond recon and KL. */
    public EvaluationResult(int n, double negElbo, double recon, double kl, double[] klPerDimension, int activeUnits,
            double[] meanVariance, double iwNll, int iwSamples, double bitsPerDim, boolean likelihoodIsDensity) {
        this(n, negElbo, recon, kl, klPerDimension, activeUnits, meanVariance, iwNll, iwSamples, bitsPerDim, likelihoodIsDensity,
                orderedTerms(recon, kl));
    }

    // recon before kl, as termNames() orders them (Map.of's order varies between JVMs)
    private static java.util.Map<String, Double> orderedTerms(double recon, double kl) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("recon", recon);
        m.put("kl", kl);
        return m;
    }

    /** The active-unit threshold of Burda et al. */
    public static final double ACTIVE_UNIT_THRESHOLD = 0.01;

    /** Copy with an importance-weighted estimate. */
    public EvaluationResult withIw(double nll, int k, int featureSize) {
        return new EvaluationResult(n, negElbo, recon, kl, klPerDimension, activeUnits, meanVariance, nll, k,
                nll / (featureSize * Math.log(2)), likelihoodIsDensity, terms, perClass);
    }
}
