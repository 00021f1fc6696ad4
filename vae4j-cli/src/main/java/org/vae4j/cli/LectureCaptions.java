package org.vae4j.cli;

import static org.vae4j.cli.LecturesCommand.f2;
import static org.vae4j.cli.LecturesCommand.fmt;
import static org.vae4j.cli.LecturesCommand.pct;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vae4j.lectures.CodeGeometry;
import org.vae4j.lectures.GradientVariance;
import org.vae4j.lectures.Lectures.BetaStats;
import org.vae4j.lectures.Lectures.ModelStats;
import org.vae4j.lectures.PathStats;
import org.vae4j.lectures.Realism;

/**
 * The caption of each lecture section, written from the measured numbers: each states the figures for both sides
 * and then whether they bear the lecture's claim out, in words chosen by comparing the figures (never canned).
 */
final class LectureCaptions {
    private LectureCaptions() {}

    static String latentSpace(ModelStats ae, ModelStats vae) {
        CodeGeometry a = ae.geometry();
        CodeGeometry v = vae.geometry();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Measured on %d test images. The autoencoder's codes lie on average %.2f from the origin "
                        + "and the VAE's %.2f (a draw from the prior N(0, I) lies %.2f from it on average); their centroids sit %.2f and "
                        + "%.2f from the origin. Points of the square [−3, 3]² within 0.25 of some code: %s for the autoencoder, %s for the "
                        + "VAE. Inside the disc holding 90%% of each model's codes, %s of the autoencoder's area is gap (farther than a tenth "
                        + "of the disc's radius from every code) against %s of the VAE's. Decoding the emptiest points, %d of %d autoencoder "
                        + "images and %d of %d VAE images are as close to a training image as that model's own reconstructions are. ",
                a.n(), a.meanDistanceFromOrigin(), v.meanDistanceFromOrigin(), CodeGeometry.PRIOR_MEAN_DISTANCE, a.centroidDistance(), v.centroidDistance(),
                pct(a.coverage()), pct(v.coverage()), pct(a.gapFraction()), pct(v.gapFraction()), ae.gaps().realisticCount(), ae.gaps().n(),
                vae.gaps().realisticCount(), vae.gaps().n()));
        boolean centred = v.scaleMismatch() < a.scaleMismatch();
        boolean covers = v.coverage() > a.coverage();
        if (centred && covers) {
            sb.append("As the lectures say, the KL term keeps the VAE's codes much closer to the prior's scale and centre, where they cover "
                    + "more of the prior's bulk; the autoencoder's codes go wherever reconstruction puts them. ");
        } else if (centred || covers) {
            sb.append("The claim that the KL term gathers the codes around the centre at the prior's scale is borne out only in part: the "
                    + (centred ? "VAE's codes are closer to the prior's scale, but the autoencoder's cover more of [−3, 3]² (its codes "
                            + "spread over a wider area that includes the square). "
                            : "VAE's codes cover more of [−3, 3]², but the autoencoder's are closer to the prior's scale. "));
        } else {
            sb.append("The claim that the KL term gathers the codes around the centre at the prior's scale is not borne out here: the "
                    + "autoencoder's codes are both closer to the prior's scale and cover more of [−3, 3]². ");
        }
        sb.append(a.gapFraction() > v.gapFraction()
                ? "The autoencoder's codes leave more empty space between them, the gaps between clusters the lectures point to"
                : "The autoencoder's codes do not leave more empty space than the VAE's in this run, so the gaps the lectures describe do not show here");
        if (ae.gaps().fraction() < vae.gaps().fraction()) {
            sb.append(", and decoding in those gaps gives images unlike the data more often than in the VAE's.");
        } else if (ae.gaps().fraction() > vae.gaps().fraction()) {
            sb.append("; decoded, though, the autoencoder's emptiest points look like data more often than the VAE's, against the lectures' claim.");
        } else {
            sb.append("; decoded, the emptiest points of both look like data equally often.");
        }
        if (!Double.isNaN(a.neighbourLabelAgreement())) {
            sb.append(String.format(Locale.ROOT, " Neighbours in the code space share a label %s of the time for the autoencoder and %s for the VAE.",
                    pct(a.neighbourLabelAgreement()), pct(v.neighbourLabelAgreement())));
        }
        return sb.toString();
    }

    static String prior(ModelStats ae, ModelStats vae, int samples, int labels) {
        Realism.Scored a = ae.prior();
        Realism.Scored v = vae.prior();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Of %d codes drawn from N(0, I), %s decode to an image as close to "
                        + "some training image as the model's own reconstructions are for the autoencoder and %s for the VAE (median mean squared "
                        + "error to the nearest training image %.4f and %.4f). ", samples, pct(a.fraction()), pct(v.fraction()), a.medianMse(),
                v.medianMse()));
        if (labels > 1) {
            sb.append(String.format(Locale.ROOT, "The nearest training images of the samples span %d and %d of the %d labels (label entropy %.2f "
                    + "and %.2f bits; an even spread is %.2f). ", a.labelsCovered(), v.labelsCovered(), labels, a.labelEntropyBits(),
                    v.labelEntropyBits(), Realism.maxEntropyBits(labels)));
        }
        sb.append(String.format(Locale.ROOT, "Turned around, %s of the test images have a decoded sample that close for the autoencoder "
                + "and %s for the VAE: how much of the data the samples cover. ", pct(ae.priorRecall()), pct(vae.priorRecall())));
        if (vae.priorRecall() > ae.priorRecall() && v.fraction() >= a.fraction()) {
            sb.append("The VAE's prior samples are both more often plausible and more varied: sampling N(0, I) works for the model whose "
                    + "codes were made to look like N(0, I), as the lectures say.");
        } else if (vae.priorRecall() > ae.priorRecall()) {
            sb.append("The autoencoder's prior draws are plausible at least as often, but they cover less of the data: N(0, I) reaches only "
                    + "part of its code space (compare the two grids), while the VAE's prior matches where its codes lie, as the lectures say.");
        } else if (v.fraction() > a.fraction()) {
            sb.append("The VAE's prior samples are more often plausible but cover no more of the data than the autoencoder's: the claim holds only in part here.");
        } else {
            sb.append("In this run the VAE's prior samples are neither more plausible nor more varied than the autoencoder's, so the claimed advantage does not show.");
        }
        return sb.toString();
    }

    static String interpolation(ModelStats ae, ModelStats vae) {
        PathStats a = ae.paths();
        PathStats v = vae.paths();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Over %d pairs of test images (different labels where known), "
                        + "decoding %d evenly spaced points of the straight line between their codes: %s of the intermediate images look like "
                        + "data for the autoencoder and %s for the VAE, against %s and %s for a pixel cross-fade of the same pairs (judged by "
                        + "each model's threshold). The largest change between consecutive images is on average %s of the path's total change "
                        + "for the autoencoder and %s for the VAE (%s on a perfectly even path, 100%% for a single jump). ",
                a.pairs(), a.steps(), pct(a.interiorRealism()), pct(v.interiorRealism()), pct(a.crossFadeRealism()), pct(v.crossFadeRealism()),
                pct(a.maxStepShare()), pct(v.maxStepShare()), pct(v.evenShare())));
        // differences under 5% (step share) or 2 percentage points (realism) count as "about the same"
        int smooth = compare(a.maxStepShare() * 0.95, v.maxStepShare(), v.maxStepShare() * 0.95, a.maxStepShare());
        int real = compare(v.interiorRealism(), a.interiorRealism() + 0.02, a.interiorRealism(), v.interiorRealism() + 0.02);
        if (smooth > 0 && real > 0) {
            sb.append("The VAE's paths are both smoother and more often made of plausible images: the continuity the lectures claim.");
        } else {
            sb.append("The VAE's paths are ").append(smooth > 0 ? "smoother than" : smooth < 0 ? "less even than" : "about as even as")
                    .append(" the autoencoder's and ").append(real > 0 ? "more often" : real < 0 ? "less often" : "about as often")
                    .append(" made of plausible images");
            sb.append(smooth > 0 || real > 0 ? ": the claim holds only in part here." : ": the claimed advantage does not show in this run.");
        }
        if (v.interiorRealism() > v.crossFadeRealism() + 0.02) {
            sb.append(" Moving in the latent space beats blending pixels, which superimposes two images.");
        }
        return sb.toString();
    }

    static String beta(List<BetaStats> sweep, int iwSamples) {
        List<BetaStats> s = new ArrayList<>(sweep);
        s.sort(Comparator.comparingDouble(BetaStats::beta));
        StringBuilder sb = new StringBuilder();
        sb.append("From β = ").append(fmt(s.get(0).beta())).append(" to β = ").append(fmt(s.get(s.size() - 1).beta()))
                .append(", the KL term goes ").append(seq(s, b -> f2(b.evaluation().kl()))).append(" nats and the reconstruction term ")
                .append(seq(s, b -> f2(b.evaluation().recon()))).append(" nats. ");
        boolean klFalls = monotone(s, b -> b.evaluation().kl(), -1);
        boolean reconRises = monotone(s, b -> b.evaluation().recon(), +1);
        if (s.size() < 2) {
            sb.append("With one β there is no trade-off to see. ");
        } else if (klFalls && reconRises) {
            sb.append("KL falls and reconstruction worsens at every step: the trade-off between regularisation and reconstruction "
                    + "the lectures describe. ");
        } else {
            sb.append("KL ").append(klFalls ? "falls at every step" : "does not fall at every step").append(" and reconstruction ")
                    .append(reconRises ? "worsens at every step" : "does not worsen at every step")
                    .append(", so the trade-off is only partly visible in this run. ");
        }
        sb.append("Active dimensions: ").append(seq(s, b -> Integer.toString(b.evaluation().activeUnits())))
                .append("; posterior σ of the used dimensions: ").append(seq(s, b -> LecturesCommand.f3(b.meanSigmaUsed())))
                .append(" (the prior's is 1); mean ‖μ‖: ").append(seq(s, b -> f2(b.meanCodeNorm()))).append(". ");
        boolean sigmaRises = monotone(s, BetaStats::meanSigmaUsed, +1);
        boolean normFalls = monotone(s, BetaStats::meanCodeNorm, -1);
        if (s.size() > 1) {
            sb.append(sigmaRises && normFalls
                    ? "The weaker the KL term, the smaller the posterior variances and the farther the means from the centre, as the "
                            + "lectures warn for an unregularised encoder. "
                    : "The lectures' warning that weak regularisation shrinks σ and spreads the means shows " + (sigmaRises || normFalls
                            ? "in part (" + (sigmaRises ? "σ grows with β" : "‖μ‖ shrinks with β") + "). " : "not clearly here. "));
        }
        sb.append("Decoded prior samples that look like data: ").append(seq(s, b -> pct(b.prior().fraction())))
                .append("; test images covered by them: ").append(seq(s, b -> pct(b.priorRecall()))).append(". ");
        BetaStats best = s.stream().min(Comparator.comparingDouble(b -> b.evaluation().negElbo())).orElseThrow();
        sb.append("The best test −ELBO is at β = ").append(fmt(best.beta())).append(" (").append(f2(best.evaluation().negElbo())).append(" nats). ");
        List<String> violations = new ArrayList<>();
        for (BetaStats b : s) {
            if (!(b.iwNll() <= b.iwNegElbo())) {
                violations.add(fmt(b.beta()));
            }
        }
        sb.append(String.format(Locale.ROOT, "The importance-weighted NLL (%d samples) against the −ELBO on the same records: %s. ", iwSamples,
                seq(s, b -> f2(b.iwNll()) + " ≤ " + f2(b.iwNegElbo()))));
        sb.append(violations.isEmpty()
                ? "In every model the −ELBO lies above the estimate of −log p(x): it is an upper bound, as the lectures say."
                : "For β = " + String.join(", ", violations) + " the one-sample −ELBO fell below the estimate (Monte Carlo noise in both).");
        if (s.stream().allMatch(b -> b.alignment() != null) && s.size() > 1) {
            double lo = s.get(0).alignment().score();
            double hi = s.get(s.size() - 1).alignment().score();
            sb.append(" Factor alignment (how exclusively one dimension tracks each of x, y and scale; 1 = one dimension per factor): ")
                    .append(seq(s, b -> f2(b.alignment().score()))).append(hi > lo
                            ? "; higher at the largest β than at the smallest, in line with the claim that larger β encourages disentanglement."
                            : "; not higher at the largest β than at the smallest, so this run does not show larger β disentangling more.");
        }
        return sb.toString();
    }

    static String traversals(List<BetaStats> sweep) {
        List<BetaStats> s = new ArrayList<>(sweep);
        s.sort(Comparator.comparingDouble(BetaStats::beta));
        StringBuilder sb = new StringBuilder("Each row perturbs one latent dimension with the others fixed, labelled with its mean KL. ");
        for (BetaStats b : s) {
            sb.append(String.format(Locale.ROOT, "β = %s: %d of %d dimensions carry more than 0.1 nats", fmt(b.beta()), used(b),
                    b.evaluation().klPerDimension().length));
            if (b.alignment() != null) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, double[]> e : b.alignment().perFactor().entrySet()) {
                    parts.add(String.format(Locale.ROOT, "%s → z%d (|r| %.2f, next %.2f)", e.getKey(), (int) e.getValue()[2], e.getValue()[0],
                            e.getValue()[1]));
                }
                sb.append("; best-matched dimensions: ").append(String.join(", ", parts));
            }
            sb.append(". ");
        }
        if (s.size() > 1) {
            int first = used(s.get(0));
            int last = used(s.get(s.size() - 1));
            sb.append(last < first
                    ? "Fewer dimensions stay in use as β grows: the bottleneck the lectures say β > 1 imposes."
                    : "The number of dimensions in use does not fall from the smallest to the largest β here.");
        }
        return sb.toString();
    }

    static String gradients(GradientVariance.Summary g, int records, int samples) {
        int pairs = 0;
        for (GradientVariance.Estimate e : g.perRecord()) {
            pairs += e.varReparam().length;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Over %d test images × %d samples each, the reparameterised "
                        + "estimator's mean per-parameter variance is %.4g and the score-function estimator's %.4g: %.0f times larger (%.0f "
                        + "times with a leave-one-out baseline). The reparameterised variance is the lower one for %s of the %d (record, "
                        + "dimension) pairs; the median ratio is %.0f. Both estimate the same gradient: their means differ by at most %.1f "
                        + "standard errors. ", g.perRecord().size(), samples, g.meanVarReparam(), g.meanVarScore(), g.ratio(), g.ratioBaseline(),
                pct(g.fractionLower()), pairs, g.medianRatio(), g.maxMeanGapInStandardErrors()));
        sb.append(g.ratio() > 1
                ? "This is why the lectures move the randomness into ε: the pathwise gradient uses how f changes with z, while the score "
                        + "function multiplies the noise by f's value, a log-likelihood of many nats."
                : "Here the score-function estimator was not the noisier one, against the lectures' motivation for the trick.");
        return sb.toString();
    }

    /** Latent dimensions whose mean KL exceeds 0.1 nats. */
    static int used(BetaStats b) {
        int n = 0;
        for (double k : b.evaluation().klPerDimension()) {
            if (k > 0.1) {
                n++;
            }
        }
        return n;
    }

    /** +1 when {@code vaeBetter > aeWorse}, −1 when {@code aeBetter > vaeWorse}, else 0 (about the same). */
    static int compare(double vaeBetter, double aeWorse, double aeBetter, double vaeWorse) {
        return vaeBetter > aeWorse ? 1 : aeBetter > vaeWorse ? -1 : 0;
    }

    private static String seq(List<BetaStats> s, java.util.function.Function<BetaStats, String> f) {
        List<String> out = new ArrayList<>();
        for (BetaStats b : s) {
            out.add(f.apply(b));
        }
        return String.join(" → ", out);
    }

    /** Whether the values strictly move in direction {@code sign} (+1 up, −1 down) at every step. */
    private static boolean monotone(List<BetaStats> s, java.util.function.ToDoubleFunction<BetaStats> f, int sign) {
        for (int i = 1; i < s.size(); i++) {
            double d = f.applyAsDouble(s.get(i)) - f.applyAsDouble(s.get(i - 1));
            if (!(sign * d > 0)) {
                return false;
            }
        }
        return true;
    }
}
