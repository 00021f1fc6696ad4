package org.vae4j.lectures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vae4j.lectures.Verdict.Check;
import org.vae4j.lectures.Verdict.Outcome;

/**
 * The rules that decide, from measured numbers, whether a lecture statement is borne out. Each method takes the
 * numbers (not models), so the rules can be tested on made-up values; each returns a {@link Verdict} whose
 * {@code rule} states the rule in words. Series over β are given in ascending β.
 */
public final class LectureVerdicts {
    private LectureVerdicts() {}

    /** Check: the VAE's codes are closer to the prior's scale. */
    public static final String CLOSER_TO_PRIOR_SCALE = "closer to the prior's scale";
    /** Check: the VAE's codes cover more of [−3, 3]². */
    public static final String COVERS_MORE = "covers more of the square";
    /** Check: the autoencoder leaves more gap. */
    public static final String MORE_GAP = "more gap";
    /** Check: the autoencoder's decoded gap points look like data less often. */
    public static final String GAPS_DECODE_WORSE = "gaps decode worse";
    /** Check: the VAE's prior samples cover more test images. */
    public static final String RECALL_HIGHER = "recall higher";
    /** Check: the VAE's prior samples are plausible at least as often. */
    public static final String PRECISION_AT_LEAST = "precision at least as high";
    /** Check: the VAE's prior samples are plausible more often. */
    public static final String PRECISION_HIGHER = "precision higher";
    /** Check: the VAE's paths are smoother (by the factor {@link #SMOOTHER_FACTOR}). */
    public static final String SMOOTHER = "smoother";
    /** Check: the VAE's paths are more often realistic (tolerance {@link #REALISM_TOLERANCE}). */
    public static final String MORE_REALISTIC = "more often realistic";
    /** Check: decoded latent paths are more often realistic than pixel cross-fades. */
    public static final String LATENT_BEATS_PIXELS = "latent beats pixels";
    /** Check: KL falls at every step of β. */
    public static final String KL_FALLS = "KL falls";
    /** Check: reconstruction worsens at every step of β. */
    public static final String RECON_RISES = "reconstruction worsens";
    /** Check: the posterior σ of the used dimensions grows at every step of β. */
    public static final String SIGMA_RISES = "σ grows";
    /** Check: the mean ‖μ‖ shrinks at every step of β. */
    public static final String NORM_FALLS = "‖μ‖ shrinks";
    /** Check: factor alignment at the largest β exceeds that at the smallest. */
    public static final String ALIGNMENT_HIGHER = "alignment higher";
    /** Check: factor alignment rises at every step of β. */
    public static final String ALIGNMENT_RISES = "alignment rises at every step";
    /** Check: fewer dimensions in use at the largest β than at the smallest. */
    public static final String FEWER_DIMENSIONS = "fewer dimensions";
    /** Check: the dimensions in use never grow from one β to the next. */
    public static final String DIMENSIONS_NEVER_GROW = "dimensions never grow";
    /** Check: a material share of N(0, I) draws lands in the aggregate posterior's holes. */
    public static final String HOLES_MATERIAL = "prior draws in holes";
    /** Check: the gmm sampler's samples have a lower Fréchet distance than the prior's. */
    public static final String GMM_FD_LOWER = "gmm Fréchet distance lower";
    /** Check: the gmm sampler's samples are more often plausible than the prior's. */
    public static final String GMM_PRECISION_HIGHER = "gmm precision higher";
    /** Share of prior draws in a hole from which the holes count as material. */
    public static final double MATERIAL_HOLE_SHARE = 0.05;
    /** Check: the GAN's samples have a lower Fréchet distance than the VAE's. */
    public static final String GAN_FD_LOWER = "GAN Fréchet distance lower";
    /** Check: the GAN's samples are more often plausible than the VAE's. */
    public static final String GAN_PRECISION_HIGHER = "GAN precision higher";
    /** Check: the GAN's samples are closer to the data's sharpness than the VAE's. */
    public static final String GAN_SHARPER = "GAN sharpness closer to the data's";
    /** Check: G's gradient norm under the minimax loss is below the non-saturating one's. */
    public static final String MINIMAX_WEAKER = "minimax gradient weaker";
    /** Check: it is below {@link #SATURATED_SHARE} of it. */
    public static final String MINIMAX_SATURATED = "minimax gradient saturated";
    /** The minimax gradient counts as saturated below this share of the non-saturating one. */
    public static final double SATURATED_SHARE = 0.1;
    /** Check: D tells real from generated less well at the last epoch than at the first. */
    public static final String GAP_NARROWS = "D's gap narrows";
    /** Check: D's gap narrows at every epoch. */
    public static final String GAP_NARROWS_EVERY_EPOCH = "D's gap narrows at every epoch";
    /** Check: D(x) and D(G(z)) end within {@link #NEAR_HALF} of ½. */
    public static final String NEAR_OPTIMUM = "D near ½";
    /** Distance from ½ within which D(x) and D(G(z)) count as at the optimum. */
    public static final double NEAR_HALF = 0.1;
    /** Check: the score-function estimator is the noisier. */
    public static final String SCORE_FUNCTION_NOISIER = "score function noisier";

    /** One path is smoother than another when its largest-step share is below this factor times the other's (a 5% margin). */
    public static final double SMOOTHER_FACTOR = 0.95;
    /** Difference in realistic share (absolute) below which two models count as about as realistic. */
    public static final double REALISM_TOLERANCE = 0.02;
    /** KL (nats) above which a latent dimension counts as in use. */
    public static final double DIMENSION_IN_USE_NATS = 0.1;

    /**
     * Whether the values strictly move in direction {@code sign} at every step (a tie or a NaN breaks it).
     *
     * @param values the series
     * @param sign +1 for rising, −1 for falling
     * @return whether the series is strictly monotone that way (true for fewer than two values)
     */
    public static boolean monotone(double[] values, int sign) {
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
        }
        for (int i = 1; i < values.length; i++) {
            if (!(sign * (values[i] - values[i - 1]) > 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A three-way comparison: {@code HOLDS} when {@code better > worse}, {@code FAILS} when
     * {@code otherBetter > otherWorse}, else {@code EVEN}. The caller puts its tolerance into the arguments.
     *
     * @param better the claimed winner's figure, discounted by the tolerance
     * @param worse the other's figure
     * @param otherBetter the other's figure, discounted the same way
     * @param otherWorse the claimed winner's figure
     * @return the result
     */
    public static Check.Result compare(double better, double worse, double otherBetter, double otherWorse) {
        return better > worse ? Check.Result.HOLDS : otherBetter > otherWorse ? Check.Result.FAILS : Check.Result.EVEN;
    }

    /**
     * The common rule for a statement made of several comparisons: supported when all hold, partly when some hold,
     * not supported when none does.
     *
     * @param checks the comparisons
     * @return the outcome
     */
    public static Outcome allOrSome(List<Check> checks) {
        long held = checks.stream().filter(Check::holds).count();
        return held == checks.size() ? Outcome.SUPPORTED : held > 0 ? Outcome.PARTLY_SUPPORTED : Outcome.NOT_SUPPORTED;
    }

    private static final String ALL_OR_SOME = "in line with the claim when both checks hold, partly when one does, not supported when neither does";

    /**
     * Section 1: the KL term gathers the VAE's codes at the centre, at the prior's scale.
     *
     * @param aeScaleMismatch the autoencoder's {@link CodeGeometry#scaleMismatch()}
     * @param vaeScaleMismatch the VAE's
     * @param aeCoverage the autoencoder's {@link CodeGeometry#coverage()}
     * @param vaeCoverage the VAE's
     * @return the verdict, checks {@link #CLOSER_TO_PRIOR_SCALE} and {@link #COVERS_MORE}
     */
    public static Verdict centred(double aeScaleMismatch, double vaeScaleMismatch, double aeCoverage, double vaeCoverage) {
        List<Check> c = List.of(
                Check.of(CLOSER_TO_PRIOR_SCALE, "VAE's |ln(mean ‖z‖ / sqrt(π/2))| < autoencoder's", vaeScaleMismatch < aeScaleMismatch),
                Check.of(COVERS_MORE, "VAE's share of [−3, 3]² within 0.25 of a code > autoencoder's", vaeCoverage > aeCoverage));
        return new Verdict(LectureClaim.KL_CENTRES_CODES, "The KL term gathers the VAE's codes around the centre at the prior's scale",
                ALL_OR_SOME, allOrSome(c), c);
    }

    /**
     * Section 1: the autoencoder's codes leave gaps.
     *
     * @param aeGapFraction the autoencoder's {@link CodeGeometry#gapFraction()}
     * @param vaeGapFraction the VAE's
     * @return the verdict, check {@link #MORE_GAP}
     */
    public static Verdict gaps(double aeGapFraction, double vaeGapFraction) {
        Check c = Check.of(MORE_GAP, "autoencoder's gap share of its 90% disc > VAE's", aeGapFraction > vaeGapFraction);
        return new Verdict(LectureClaim.AUTOENCODER_GAPS, "The autoencoder's codes leave more empty space between them than the VAE's",
                "in line with the claim only when the check holds", allOrSome(List.of(c)), List.of(c));
    }

    /**
     * Section 1: decoding the autoencoder's gaps gives unrealistic images more often than the VAE's.
     *
     * @param aeRealistic share of the autoencoder's decoded gap points that look like data
     * @param vaeRealistic the VAE's
     * @return the verdict, check {@link #GAPS_DECODE_WORSE} ({@code EVEN} when the shares are equal)
     */
    public static Verdict gapDecoding(double aeRealistic, double vaeRealistic) {
        Check c = new Check(GAPS_DECODE_WORSE, "autoencoder's realistic share of decoded gap points < VAE's",
                compare(vaeRealistic, aeRealistic, aeRealistic, vaeRealistic));
        return new Verdict(LectureClaim.AUTOENCODER_GAPS, "Decoding in the autoencoder's gaps gives images unlike the data more often than in the VAE's",
                "in line with the claim only when the check holds; equal shares or the reverse are not", c.holds()
                        ? Outcome.SUPPORTED : Outcome.NOT_SUPPORTED, List.of(c));
    }

    /**
     * Section 2: sampling N(0, I) works for the VAE.
     *
     * @param aePrecision share of the autoencoder's decoded prior samples that look like data
     * @param vaePrecision the VAE's
     * @param aeRecall share of test images with a decoded autoencoder prior sample as close as its reconstructions
     * @param vaeRecall the VAE's
     * @return the verdict, checks {@link #RECALL_HIGHER}, {@link #PRECISION_AT_LEAST}, {@link #PRECISION_HIGHER}
     */
    public static Verdict priorSampling(double aePrecision, double vaePrecision, double aeRecall, double vaeRecall) {
        List<Check> c = List.of(
                Check.of(RECALL_HIGHER, "VAE's recall > autoencoder's", vaeRecall > aeRecall),
                Check.of(PRECISION_AT_LEAST, "VAE's precision ≥ autoencoder's", vaePrecision >= aePrecision),
                Check.of(PRECISION_HIGHER, "VAE's precision > autoencoder's", vaePrecision > aePrecision));
        Outcome o = c.get(0).holds() ? Outcome.SUPPORTED : c.get(2).holds() ? Outcome.PARTLY_SUPPORTED : Outcome.NOT_SUPPORTED;
        return new Verdict(LectureClaim.PRIOR_SAMPLING, "Codes drawn from N(0, I) decode to data the VAE covers better than the autoencoder",
                "in line with the claim when the VAE's samples cover more test images (recall), whatever their precision: the "
                        + "autoencoder's few plausible draws come from the part of its code space the prior reaches; partly when only "
                        + "the VAE's precision is higher; not supported otherwise", o, c);
    }

    /**
     * Section 3: the VAE's interpolations are smoother and more often realistic.
     *
     * @param aeMaxStepShare the autoencoder's {@link PathStats#maxStepShare()}
     * @param vaeMaxStepShare the VAE's
     * @param aeRealism the autoencoder's {@link PathStats#interiorRealism()}
     * @param vaeRealism the VAE's
     * @return the verdict, checks {@link #SMOOTHER} and {@link #MORE_REALISTIC}, each possibly {@code EVEN}
     */
    public static Verdict interpolation(double aeMaxStepShare, double vaeMaxStepShare, double aeRealism, double vaeRealism) {
        double k = SMOOTHER_FACTOR;
        List<Check> c = List.of(
                new Check(SMOOTHER, "VAE's largest-step share < 95% of the autoencoder's (the reverse: less even; else about as even)",
                        compare(aeMaxStepShare * k, vaeMaxStepShare, vaeMaxStepShare * k, aeMaxStepShare)),
                new Check(MORE_REALISTIC, "VAE's realistic share of interior images > autoencoder's + 2 points (the reverse: less "
                        + "often; else about as often)", compare(vaeRealism, aeRealism + REALISM_TOLERANCE, aeRealism, vaeRealism + REALISM_TOLERANCE)));
        return new Verdict(LectureClaim.SMOOTH_INTERPOLATION, "The VAE's interpolation paths are smoother and more often made of plausible images",
                ALL_OR_SOME, allOrSome(c), c);
    }

    /**
     * Section 3: moving in the latent space beats blending pixels.
     *
     * @param vaeRealism the VAE's {@link PathStats#interiorRealism()}
     * @param vaeCrossFadeRealism its {@link PathStats#crossFadeRealism()}
     * @return the verdict, check {@link #LATENT_BEATS_PIXELS}
     */
    public static Verdict latentBeatsPixels(double vaeRealism, double vaeCrossFadeRealism) {
        Check c = Check.of(LATENT_BEATS_PIXELS, "VAE path realism > cross-fade realism + 2 points",
                vaeRealism > vaeCrossFadeRealism + REALISM_TOLERANCE);
        return new Verdict(LectureClaim.SMOOTH_INTERPOLATION, "Interpolating codes gives plausible images more often than cross-fading pixels",
                "in line with the claim only when the check holds", allOrSome(List.of(c)), List.of(c));
    }

    /**
     * Section 4: the trade-off between regularisation and reconstruction.
     *
     * @param kl test KL per β, ascending β
     * @param recon test reconstruction term per β
     * @return the verdict, checks {@link #KL_FALLS} and {@link #RECON_RISES}; not measured with one β
     */
    public static Verdict tradeOff(double[] kl, double[] recon) {
        List<Check> c = List.of(Check.of(KL_FALLS, "KL strictly falls from each β to the next", monotone(kl, -1)),
                Check.of(RECON_RISES, "reconstruction −log p(x|z) strictly rises from each β to the next", monotone(recon, +1)));
        return series(LectureClaim.BETA_TRADE_OFF, "Larger β trades reconstruction for a smaller KL term", kl.length, c,
                "in line with the claim only when both series are monotone; partly when one is; not supported when neither is");
    }

    /**
     * Section 4: a weak KL term shrinks the posterior σ and spreads the means.
     *
     * @param sigmaUsed geometric mean posterior σ of the used dimensions per β, ascending β (NaN: none used)
     * @param codeNorm mean ‖μ‖ per β
     * @return the verdict, checks {@link #SIGMA_RISES} and {@link #NORM_FALLS}; not measured with one β
     */
    public static Verdict weakRegularisation(double[] sigmaUsed, double[] codeNorm) {
        List<Check> c = List.of(Check.of(SIGMA_RISES, "posterior σ of the used dimensions strictly rises with β", monotone(sigmaUsed, +1)),
                Check.of(NORM_FALLS, "mean ‖μ‖ strictly falls with β", monotone(codeNorm, -1)));
        return series(LectureClaim.NO_KL_CONSEQUENCES, "The weaker the KL term, the smaller the posterior σ and the farther the means from the centre",
                sigmaUsed.length, c, "in line with the claim only when both series are monotone; partly when one is; not supported when neither is");
    }

    private static Verdict series(LectureClaim claim, String statement, int n, List<Check> c, String rule) {
        return new Verdict(claim, statement, rule + " (needs two β or more)", n < 2 ? Outcome.NOT_MEASURED : allOrSome(c), c);
    }

    /**
     * Section 4: the −ELBO lies above the importance-weighted estimate of −log p(x) in every model.
     *
     * @param betas the β values, ascending
     * @param iwNll importance-weighted NLL per β
     * @param negElbo −ELBO on the same records per β
     * @return the verdict, one check per β named by {@link #betaLabel}
     */
    public static Verdict upperBound(double[] betas, double[] iwNll, double[] negElbo) {
        if (iwNll.length != betas.length || negElbo.length != betas.length) {
            throw new IllegalArgumentException("need one IW NLL and one −ELBO per β");
        }
        List<Check> c = new ArrayList<>();
        for (int i = 0; i < betas.length; i++) {
            c.add(Check.of(betaLabel(betas[i]), "IW NLL ≤ −ELBO at β = " + betaLabel(betas[i]), iwNll[i] <= negElbo[i]));
        }
        return new Verdict(LectureClaim.ELBO_UPPER_BOUND, "The −ELBO lies above the importance-weighted estimate of −log p(x) in every model",
                "in line with the claim only when it holds for every β", c.stream().allMatch(Check::holds) ? Outcome.SUPPORTED
                        : Outcome.NOT_SUPPORTED, c);
    }

    /**
     * Section 4: larger β disentangles more. A trend is in line with the claim only when it is monotone: alignment
     * higher at the largest β than at the smallest but falling somewhere between is only partly so.
     *
     * @param alignment factor alignment per β, ascending β; null when the data have no known factors
     * @return the verdict, checks {@link #ALIGNMENT_HIGHER} and {@link #ALIGNMENT_RISES}; not measured without factors
     *     or with one β
     */
    public static Verdict disentanglement(double[] alignment) {
        boolean measured = alignment != null && alignment.length > 1;
        List<Check> c = measured ? List.of(
                Check.of(ALIGNMENT_HIGHER, "factor alignment at the largest β > at the smallest", alignment[alignment.length - 1] > alignment[0]),
                Check.of(ALIGNMENT_RISES, "factor alignment strictly rises from each β to the next", monotone(alignment, +1))) : List.of();
        return new Verdict(LectureClaim.BETA_TRADE_OFF, "Larger β encourages disentanglement",
                "in line with the claim only when alignment rises at every step of β; partly when it is only higher at the largest β "
                        + "than at the smallest; not supported otherwise (needs known factors and two β or more)",
                measured ? monotoneOutcome(c) : Outcome.NOT_MEASURED, c);
    }

    /**
     * Section 4: larger β narrows the bottleneck. In line with the claim only when the count of dimensions in use
     * never grows from one β to the next and ends lower (a count may stay level between neighbouring β).
     *
     * @param dimensionsInUse latent dimensions with mean KL above {@link #DIMENSION_IN_USE_NATS} per β, ascending β
     * @return the verdict, checks {@link #FEWER_DIMENSIONS} and {@link #DIMENSIONS_NEVER_GROW}; not measured with one β
     */
    public static Verdict bottleneck(int[] dimensionsInUse) {
        int n = dimensionsInUse.length;
        boolean neverGrows = true;
        for (int i = 1; i < n; i++) {
            neverGrows &= dimensionsInUse[i] <= dimensionsInUse[i - 1];
        }
        List<Check> c = n < 2 ? List.of() : List.of(
                Check.of(FEWER_DIMENSIONS, "dimensions in use at the largest β < at the smallest", dimensionsInUse[n - 1] < dimensionsInUse[0]),
                Check.of(DIMENSIONS_NEVER_GROW, "dimensions in use never grow from one β to the next", neverGrows));
        return new Verdict(LectureClaim.BETA_TRADE_OFF, "Fewer dimensions stay in use as β grows",
                "in line with the claim only when fewer dimensions are in use at the largest β and the count never grows between "
                        + "neighbouring β; partly when it is only lower at the end; not supported otherwise (needs two β or more)",
                n < 2 ? Outcome.NOT_MEASURED : monotoneOutcome(c), c);
    }

    /** Endpoints then monotonicity: both hold: supported; only the endpoints: partly; else not supported. */
    private static Outcome monotoneOutcome(List<Check> endpointsThenMonotone) {
        boolean ends = endpointsThenMonotone.get(0).holds();
        boolean mono = endpointsThenMonotone.get(1).holds();
        return ends && mono ? Outcome.SUPPORTED : ends ? Outcome.PARTLY_SUPPORTED : Outcome.NOT_SUPPORTED;
    }

    /**
     * Section 5: the score-function estimator is noisier than the reparameterised one, the trick's motivation.
     *
     * @param ratio mean score-function variance over mean reparameterised variance
     * @return the verdict, check {@link #SCORE_FUNCTION_NOISIER}
     */
    public static Verdict reparameterisation(double ratio) {
        Check c = Check.of(SCORE_FUNCTION_NOISIER, "mean score-function variance / mean reparameterised variance > 1", ratio > 1);
        return new Verdict(LectureClaim.REPARAMETERISATION, "The reparameterised gradient estimator is less noisy than the score function",
                "in line with the claim only when the check holds", allOrSome(List.of(c)), List.of(c));
    }

    /**
     * Section 6: N(0, I) draws land where no code lies, and sampling where the codes are (a {@code gmm:K} fit to the
     * codes) gives more realistic samples. In line with the claim only when the hole share is material
     * (≥ {@link #MATERIAL_HOLE_SHARE}) and the fit's samples beat the prior's on Fréchet distance and precision; partly
     * when some of these hold. Without a yardstick (NaN distances) the Fréchet check is left out.
     *
     * @param priorHoleShare share of N(0, I) draws below the training codes' 1st-percentile density under the fit
     * @param priorFd the prior samples' Fréchet distance (NaN: not measured)
     * @param gmmFd the fit's samples' Fréchet distance (NaN: not measured)
     * @param priorPrecision the prior samples' precision
     * @param gmmPrecision the fit's samples' precision
     * @return the verdict, checks {@link #HOLES_MATERIAL}, {@link #GMM_FD_LOWER} (when measured), {@link #GMM_PRECISION_HIGHER}
     */
    public static Verdict priorHoles(double priorHoleShare, double priorFd, double gmmFd, double priorPrecision, double gmmPrecision) {
        List<Check> c = new ArrayList<>();
        c.add(Check.of(HOLES_MATERIAL, "share of N(0, I) draws whose density under the codes' mixture is below the training codes' "
                + "1st percentile ≥ 5%", priorHoleShare >= MATERIAL_HOLE_SHARE));
        if (!Double.isNaN(priorFd) && !Double.isNaN(gmmFd)) {
            c.add(Check.of(GMM_FD_LOWER, "gmm samples' Fréchet distance < prior samples'", gmmFd < priorFd));
        }
        c.add(Check.of(GMM_PRECISION_HIGHER, "gmm samples' precision > prior samples'", gmmPrecision > priorPrecision));
        return new Verdict(LectureClaim.PRIOR_HOLES, "N(0, I) draws land where no code lies; sampling where the codes are gives more "
                + "realistic samples", "in line with the claim only when the holes are material and the gmm samples are better on "
                + "every measure; partly when some checks hold; not supported when none does (without a yardstick, precision only)",
                allOrSome(c), c);
    }

    /**
     * Section 7: a GAN's samples come closer to the data than the VAE's with the same decoder. In line with the claim
     * only when the GAN wins on every measure; partly when on some; not supported when on none.
     *
     * @param vaeFd the VAE's samples' Fréchet distance (NaN without a yardstick: the check is left out)
     * @param ganFd the GAN's
     * @param vaePrecision the VAE's samples' precision
     * @param ganPrecision the GAN's
     * @param vaeSharpness the VAE's samples' Laplacian variance ({@link Sharpness#laplacianVariance()})
     * @param ganSharpness the GAN's
     * @param dataSharpness the test images'
     * @return the verdict, checks {@link #GAN_FD_LOWER} (when measured), {@link #GAN_PRECISION_HIGHER}, {@link #GAN_SHARPER}
     */
    public static Verdict ganSamples(double vaeFd, double ganFd, double vaePrecision, double ganPrecision, double vaeSharpness,
                                     double ganSharpness, double dataSharpness) {
        List<Check> c = new ArrayList<>();
        if (!Double.isNaN(vaeFd) && !Double.isNaN(ganFd)) {
            c.add(Check.of(GAN_FD_LOWER, "GAN samples' Fréchet distance < VAE samples'", ganFd < vaeFd));
        }
        c.add(Check.of(GAN_PRECISION_HIGHER, "GAN samples' precision > VAE samples'", ganPrecision > vaePrecision));
        c.add(Check.of(GAN_SHARPER, "|ln(GAN samples' Laplacian variance / test images')| < the same for the VAE's samples",
                Math.abs(Math.log(ganSharpness / dataSharpness)) < Math.abs(Math.log(vaeSharpness / dataSharpness))));
        return new Verdict(LectureClaim.GAN_SAMPLES, "The GAN's samples come closer to the data than the VAE's with the same decoder",
                "in line with the claim only when the GAN's samples are better on every measure; partly when on some; not supported "
                        + "when on none (without a yardstick, no Fréchet distance)", allOrSome(c), c);
    }

    /**
     * Section 7: the notes' minimax generator loss saturates while D rejects G's samples. In line with the claim only
     * when G's gradient norm under it is below {@link #SATURATED_SHARE} of the non-saturating loss's; partly when it is
     * only smaller; not supported otherwise.
     *
     * @param minimaxNorm ‖∂L/∂θ_G‖ under log(1 − D(G(z)))
     * @param nonSaturatingNorm the same under −log D(G(z))
     * @return the verdict, checks {@link #MINIMAX_WEAKER}, {@link #MINIMAX_SATURATED}
     */
    public static Verdict saturation(double minimaxNorm, double nonSaturatingNorm) {
        List<Check> c = List.of(Check.of(MINIMAX_WEAKER, "G's gradient norm, minimax < non-saturating", minimaxNorm < nonSaturatingNorm),
                Check.of(MINIMAX_SATURATED, "G's gradient norm, minimax < 10% of non-saturating",
                        minimaxNorm < SATURATED_SHARE * nonSaturatingNorm));
        return new Verdict(LectureClaim.GAN_SATURATION, "Early in training, while D rejects G's samples, the minimax loss gives G a far "
                + "weaker gradient than the non-saturating loss", "in line with the claim only when both checks hold; partly when the "
                + "minimax gradient is only weaker; not supported otherwise", allOrSome(c), c);
    }

    /**
     * Section 7: the game moves towards its optimum, where D cannot tell real from generated (D = ½). Series over the
     * epochs of D(x) − D(G(z)) in training. In line with the claim only when that gap narrows from the first epoch to
     * the last, at every epoch, and both figures end within {@link #NEAR_HALF} of ½; partly when it narrows from the
     * first to the last epoch (but not at every epoch, or not to ½); not supported otherwise.
     *
     * @param dReal mean D(x) per epoch
     * @param dFake mean D(G(z)) per epoch
     * @return the verdict, checks {@link #GAP_NARROWS}, {@link #GAP_NARROWS_EVERY_EPOCH}, {@link #NEAR_OPTIMUM}; not
     *     measured with one epoch
     */
    public static Verdict ganOptimum(double[] dReal, double[] dFake) {
        int n = dReal.length;
        double[] gap = new double[n];
        for (int i = 0; i < n; i++) {
            gap[i] = dReal[i] - dFake[i];
        }
        boolean ends = n >= 2 && gap[n - 1] < gap[0];
        boolean near = n >= 1 && Math.abs(dReal[n - 1] - 0.5) <= NEAR_HALF && Math.abs(dFake[n - 1] - 0.5) <= NEAR_HALF;
        List<Check> c = List.of(Check.of(GAP_NARROWS, "D(x) − D(G(z)) at the last epoch < at the first", ends),
                Check.of(GAP_NARROWS_EVERY_EPOCH, "D(x) − D(G(z)) strictly falls from each epoch to the next", n >= 2 && monotone(gap, -1)),
                Check.of(NEAR_OPTIMUM, "D(x) and D(G(z)) within 0.1 of ½ at the last epoch", near));
        Outcome o = n < 2 ? Outcome.NOT_MEASURED : c.stream().allMatch(Check::holds) ? Outcome.SUPPORTED
                : ends ? Outcome.PARTLY_SUPPORTED : Outcome.NOT_SUPPORTED;
        return new Verdict(LectureClaim.GAN_OPTIMUM, "Training moves the game towards its optimum, where D cannot tell real from generated",
                "in line with the claim only when D's gap narrows at every epoch and ends near ½; partly when it is narrower at the "
                        + "last epoch than at the first; not supported otherwise (needs two epochs or more)", o, c);
    }

    /**
     * A β as the report writes it: whole numbers without decimals ({@code 4}), others as Java prints them ({@code 0.5}).
     *
     * @param beta β
     * @return the label
     */
    public static String betaLabel(double beta) {
        return beta == Math.rint(beta) ? String.format(Locale.ROOT, "%.0f", beta) : String.format(Locale.ROOT, "%s", beta);
    }
}
