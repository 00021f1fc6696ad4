package org.vae4j.cli;

import static org.vae4j.cli.LecturesCommand.f2;
import static org.vae4j.cli.LecturesCommand.fmt;
import static org.vae4j.cli.LecturesCommand.pct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vae4j.judge.Judgement;
import org.vae4j.lectures.CodeGeometry;
import org.vae4j.lectures.GradientVariance;
import org.vae4j.lectures.LectureReport;
import org.vae4j.lectures.LectureVerdicts;
import org.vae4j.lectures.Lectures.BetaStats;
import org.vae4j.lectures.Lectures.ModelStats;
import org.vae4j.lectures.PathStats;
import org.vae4j.lectures.Realism;
import org.vae4j.lectures.Verdict;
import org.vae4j.lectures.Verdict.Check;
import org.vae4j.lectures.Verdict.Outcome;

/**
 * The caption of each lecture section, written from a {@link LectureReport} section: each states the figures for both
 * sides and then, in words chosen by the section's {@link Verdict}s (decided in the core), whether they bear the
 * lecture's claim out. Nothing is decided here.
 */
final class LectureCaptions {
    private LectureCaptions() {}

    static String latentSpace(LectureReport.LatentSpace section) {
        ModelStats ae = section.autoencoder().stats();
        ModelStats vae = section.vae().stats();
        CodeGeometry a = ae.geometry();
        CodeGeometry v = vae.geometry();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Measured on %d test images. The autoencoder's codes lie on average %.2f from the origin "
                        + "and the VAE's %.2f (a draw from the prior N(0, I) lies %.2f from it on average); their centroids sit %.2f and "
                        + "%.2f from the origin. Points of the square [−3, 3]² within 0.25 of some code: %s for the autoencoder, %s for the "
                        + "VAE. Inside the disc holding 90%% of each model's codes, %s of the autoencoder's area is gap (farther than a tenth "
                        + "of the disc's radius from every code) against %s of the VAE's. ",
                a.n(), a.meanDistanceFromOrigin(), v.meanDistanceFromOrigin(), CodeGeometry.PRIOR_MEAN_DISTANCE, a.centroidDistance(), v.centroidDistance(),
                pct(a.coverage()), pct(v.coverage()), pct(a.gapFraction()), pct(v.gapFraction())));
        if (ae.judged()) {
            sb.append(String.format(Locale.ROOT, "Decoding the emptiest points, %s of the autoencoder's %d images and %s of the VAE's %d look "
                    + "like data to the yardstick (they lie inside the test images' k-NN manifold in its classifier's feature space). ",
                    pct(ae.gapPrecision()), ae.gaps().n(), pct(vae.gapPrecision()), vae.gaps().n()));
        } else {
            sb.append(String.format(Locale.ROOT, "Decoding the emptiest points, %d of %d autoencoder images and %d of %d VAE images are as "
                    + "close to a training image as that model's own reconstructions are. ", ae.gaps().realisticCount(), ae.gaps().n(),
                    vae.gaps().realisticCount(), vae.gaps().n()));
        }
        Verdict centred = section.centred();
        switch (centred.outcome()) {
            case SUPPORTED -> sb.append("As the lectures say, the KL term keeps the VAE's codes much closer to the prior's scale and centre, "
                    + "where they cover more of the prior's bulk; the autoencoder's codes go wherever reconstruction puts them. ");
            case PARTLY_SUPPORTED -> sb.append("The claim that the KL term gathers the codes around the centre at the prior's scale is borne "
                    + "out only in part: the " + (centred.holds(LectureVerdicts.CLOSER_TO_PRIOR_SCALE)
                            ? "VAE's codes are closer to the prior's scale, but the autoencoder's cover more of [−3, 3]² (its codes "
                                    + "spread over a wider area that includes the square). "
                            : "VAE's codes cover more of [−3, 3]², but the autoencoder's are closer to the prior's scale. "));
            default -> sb.append("The claim that the KL term gathers the codes around the centre at the prior's scale is not borne out "
                    + "here: the autoencoder's codes are both closer to the prior's scale and cover more of [−3, 3]². ");
        }
        sb.append(section.gaps().outcome() == Outcome.SUPPORTED
                ? "The autoencoder's codes leave more empty space between them, the gaps between clusters the lectures point to"
                : "The autoencoder's codes do not leave more empty space than the VAE's in this run, so the gaps the lectures describe do not show here");
        switch (section.gapDecoding().check(LectureVerdicts.GAPS_DECODE_WORSE).result()) {
            case HOLDS -> sb.append(", and decoding in those gaps gives images unlike the data more often than in the VAE's.");
            case FAILS -> sb.append("; decoded, though, the autoencoder's emptiest points look like data more often than the VAE's, against "
                    + "the lectures' claim.");
            default -> sb.append("; decoded, the emptiest points of both look like data equally often.");
        }
        if (!Double.isNaN(a.neighbourLabelAgreement())) {
            sb.append(String.format(Locale.ROOT, " Neighbours in the code space share a label %s of the time for the autoencoder and %s for the VAE.",
                    pct(a.neighbourLabelAgreement()), pct(v.neighbourLabelAgreement())));
        }
        return sb.toString();
    }

    static String prior(LectureReport.PriorSampling section) {
        ModelStats ae = section.autoencoder().stats();
        ModelStats vae = section.vae().stats();
        int labels = section.labels();
        StringBuilder sb = new StringBuilder();
        if (ae.judged()) {
            Judgement ja = ae.priorJudgement();
            Judgement jv = vae.priorJudgement();
            sb.append(String.format(Locale.ROOT, "%d codes drawn from N(0, I) and decoded, judged by the yardstick against the %d test images "
                            + "in its classifier's feature space: Fréchet distance %s for the autoencoder and %s for the VAE (lower is closer "
                            + "to the data; not Inception FID); precision %s and %s (samples inside the test images' k-NN manifold: they "
                            + "look like data); recall %s and %s (test images inside the samples' manifold: how much of the data the samples "
                            + "cover). ", section.samples(), ja.referenceN(), LecturesCommand.f3(ja.fd()), LecturesCommand.f3(jv.fd()),
                    pct(ja.precision()), pct(jv.precision()), pct(ja.recall()), pct(jv.recall())));
            if (labels > 1) {
                sb.append(String.format(Locale.ROOT, "The classifier labels the samples with %d and %d of the %d classes holding at least "
                        + "%s (label entropy %.2f and %.2f nats; an even spread is %.2f). ", ja.classesCovered(), jv.classesCovered(),
                        ja.classes(), pct(ja.coverageShare()), ja.entropy(), jv.entropy(), ja.maxEntropy()));
            }
        } else {
            Realism.Scored a = ae.prior();
            Realism.Scored v = vae.prior();
            sb.append(String.format(Locale.ROOT, "Of %d codes drawn from N(0, I), %s decode to an image as close to "
                            + "some training image as the model's own reconstructions are for the autoencoder and %s for the VAE (median mean "
                            + "squared error to the nearest training image %.4f and %.4f). ", section.samples(), pct(a.fraction()),
                    pct(v.fraction()), a.medianMse(), v.medianMse()));
            if (labels > 1) {
                sb.append(String.format(Locale.ROOT, "The nearest training images of the samples span %d and %d of the %d labels (label "
                        + "entropy %.2f and %.2f bits; an even spread is %.2f). ", a.labelsCovered(), v.labelsCovered(), labels,
                        a.labelEntropyBits(), v.labelEntropyBits(), Realism.maxEntropyBits(labels)));
            }
            sb.append(String.format(Locale.ROOT, "Turned around, %s of the test images have a decoded sample that close for the "
                    + "autoencoder and %s for the VAE: how much of the data the samples cover. ", pct(ae.priorRecall()), pct(vae.priorRecall())));
        }
        Verdict s = section.sampling();
        switch (s.outcome()) {
            case SUPPORTED -> sb.append(s.holds(LectureVerdicts.PRECISION_AT_LEAST)
                    ? "The VAE's prior samples are both more often plausible and more varied: sampling N(0, I) works for the model whose "
                            + "codes were made to look like N(0, I), as the lectures say."
                    : "The autoencoder's prior draws are plausible at least as often, but they cover less of the data: N(0, I) reaches "
                            + "only part of its code space (compare the two grids), while the VAE's prior matches where its codes lie, as the "
                            + "lectures say.");
            case PARTLY_SUPPORTED -> sb.append("The VAE's prior samples are more often plausible but cover no more of the data than the "
                    + "autoencoder's: the claim holds only in part here.");
            default -> sb.append("In this run the VAE's prior samples are neither more plausible nor more varied than the autoencoder's, so "
                    + "the claimed advantage does not show.");
        }
        return sb.toString();
    }

    static String interpolation(LectureReport.Interpolations section) {
        PathStats a = section.autoencoder().stats().paths();
        PathStats v = section.vae().stats().paths();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Over %d pairs of test images (different labels where known), "
                        + "decoding %d evenly spaced points of the straight line between their codes: %s of the intermediate images look like "
                        + "data for the autoencoder and %s for the VAE, against %s and %s for a pixel cross-fade of the same pairs (%s). The "
                        + "largest change between consecutive images is on average %s of the path's total change "
                        + "for the autoencoder and %s for the VAE (%s on a perfectly even path, 100%% for a single jump). ",
                a.pairs(), a.steps(), pct(a.interiorLooksLikeData()), pct(v.interiorLooksLikeData()), pct(a.crossFadeLooksLikeData()),
                pct(v.crossFadeLooksLikeData()), a.judged() ? "judged by the yardstick: inside the test images' k-NN manifold in its "
                        + "classifier's feature space" : "judged by each model's threshold",
                pct(a.maxStepShare()), pct(v.maxStepShare()), pct(v.evenShare())));
        Verdict smooth = section.smooth();
        if (smooth.outcome() == Outcome.SUPPORTED) {
            sb.append("The VAE's paths are both smoother and more often made of plausible images: the continuity the lectures claim.");
        } else {
            Check.Result even = smooth.check(LectureVerdicts.SMOOTHER).result();
            Check.Result real = smooth.check(LectureVerdicts.MORE_REALISTIC).result();
            sb.append("The VAE's paths are ").append(even == Check.Result.HOLDS ? "smoother than" : even == Check.Result.FAILS ? "less even than"
                            : "about as even as").append(" the autoencoder's and ")
                    .append(real == Check.Result.HOLDS ? "more often" : real == Check.Result.FAILS ? "less often" : "about as often")
                    .append(" made of plausible images");
            sb.append(smooth.outcome() == Outcome.PARTLY_SUPPORTED ? ": the claim holds only in part here."
                    : ": the claimed advantage does not show in this run.");
        }
        if (section.latentBeatsPixels().outcome() == Outcome.SUPPORTED) {
            sb.append(" Moving in the latent space beats blending pixels, which superimposes two images.");
        }
        return sb.toString();
    }

    static String beta(LectureReport.BetaSweep sweep) {
        List<BetaStats> s = sweep.ascending();
        StringBuilder sb = new StringBuilder();
        sb.append("From β = ").append(fmt(s.get(0).beta())).append(" to β = ").append(fmt(s.get(s.size() - 1).beta()))
                .append(", the KL term goes ").append(seq(s, b -> f2(b.evaluation().kl()))).append(" nats and the reconstruction term ")
                .append(seq(s, b -> f2(b.evaluation().recon()))).append(" nats. ");
        Verdict t = sweep.tradeOff();
        switch (t.outcome()) {
            case NOT_MEASURED -> sb.append("With one β there is no trade-off to see. ");
            case SUPPORTED -> sb.append("KL falls and reconstruction worsens at every step: the trade-off between regularisation and "
                    + "reconstruction the lectures describe. ");
            default -> sb.append("KL ").append(t.holds(LectureVerdicts.KL_FALLS) ? "falls at every step" : "does not fall at every step")
                    .append(" and reconstruction ")
                    .append(t.holds(LectureVerdicts.RECON_RISES) ? "worsens at every step" : "does not worsen at every step")
                    .append(t.outcome() == Outcome.PARTLY_SUPPORTED ? ", so the trade-off is only partly visible in this run. "
                            : ", so the trade-off does not show in this run. ");
        }
        sb.append("Active dimensions: ").append(seq(s, b -> Integer.toString(b.evaluation().activeUnits())))
                .append("; posterior σ of the used dimensions: ").append(seq(s, b -> LecturesCommand.f3(b.meanSigmaUsed())))
                .append(" (the prior's is 1); mean ‖μ‖: ").append(seq(s, b -> f2(b.meanCodeNorm()))).append(". ");
        Verdict w = sweep.weakRegularisation();
        switch (w.outcome()) {
            case NOT_MEASURED -> { }
            case SUPPORTED -> sb.append("The weaker the KL term, the smaller the posterior variances and the farther the means from the "
                    + "centre, as the lectures warn for an unregularised encoder. ");
            case PARTLY_SUPPORTED -> sb.append("The lectures' warning that weak regularisation shrinks σ and spreads the means shows in part (")
                    .append(w.holds(LectureVerdicts.SIGMA_RISES) ? "σ grows with β" : "‖μ‖ shrinks with β").append("). ");
            default -> sb.append("The lectures' warning that weak regularisation shrinks σ and spreads the means shows not clearly here. ");
        }
        if (s.stream().allMatch(b -> b.priorJudgement() != null)) {
            sb.append("Decoded prior samples judged by the yardstick: Fréchet distance ").append(seq(s, b -> LecturesCommand.f3(b.priorJudgement().fd())))
                    .append(" (not Inception FID), precision ").append(seq(s, b -> pct(b.priorJudgement().precision())))
                    .append(", recall ").append(seq(s, b -> pct(b.priorJudgement().recall()))).append(". ");
        } else {
            sb.append("Decoded prior samples that look like data: ").append(seq(s, b -> pct(b.prior().fraction())))
                    .append("; test images covered by them: ").append(seq(s, b -> pct(b.priorRecall()))).append(". ");
        }
        BetaStats best = sweep.best();
        sb.append("The best test −ELBO is at β = ").append(fmt(best.beta())).append(" (").append(f2(best.evaluation().negElbo())).append(" nats). ");
        sb.append(String.format(Locale.ROOT, "The importance-weighted NLL (%d samples) against the −ELBO on the same records: %s. ",
                sweep.iwSamples(), seq(s, b -> f2(b.iwNll()) + " ≤ " + f2(b.iwNegElbo()))));
        Verdict bound = sweep.upperBound();
        List<String> violations = new ArrayList<>();
        for (Check c : bound.checks()) {
            if (!c.holds()) {
                violations.add(c.name());
            }
        }
        sb.append(bound.outcome() == Outcome.SUPPORTED
                ? "In every model the −ELBO lies above the estimate of −log p(x): it is an upper bound, as the lectures say."
                : "For β = " + String.join(", ", violations) + " the one-sample −ELBO fell below the estimate (Monte Carlo noise in both).");
        Verdict d = sweep.disentanglement();
        if (d.measured()) {
            sb.append(" Factor alignment (how exclusively one dimension tracks each of x, y and scale; 1 = one dimension per factor): ")
                    .append(seq(s, b -> f2(b.alignment().score()))).append(switch (d.outcome()) {
                        case SUPPORTED -> "; it rises at every step of β, in line with the claim that larger β encourages disentanglement.";
                        case PARTLY_SUPPORTED -> "; higher at the largest β than at the smallest but not rising at every step, so the trend "
                                + "bears the claim out only in part.";
                        default -> "; not higher at the largest β than at the smallest, so this run does not show larger β disentangling more.";
                    });
        }
        return sb.toString();
    }

    static String traversals(LectureReport.BetaSweep sweep) {
        List<BetaStats> s = sweep.ascending();
        StringBuilder sb = new StringBuilder("Each row perturbs one latent dimension with the others fixed, labelled with its mean KL. ");
        for (BetaStats b : s) {
            sb.append(String.format(Locale.ROOT, "β = %s: %d of %d dimensions carry more than %s nats", fmt(b.beta()), b.dimensionsInUse(),
                    b.evaluation().klPerDimension().length, fmt(LectureVerdicts.DIMENSION_IN_USE_NATS)));
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
        Verdict b = sweep.bottleneck();
        if (b.measured()) {
            sb.append(switch (b.outcome()) {
                case SUPPORTED -> "Fewer dimensions stay in use as β grows, never more from one β to the next: the bottleneck the "
                        + "lectures say β > 1 imposes.";
                case PARTLY_SUPPORTED -> "Fewer dimensions are in use at the largest β than at the smallest, but the count grows between "
                        + "some neighbouring β, so the trend bears the claim out only in part.";
                default -> "The number of dimensions in use does not fall from the smallest to the largest β here.";
            });
        }
        return sb.toString();
    }

    static String gradients(LectureReport.Gradients section) {
        GradientVariance.Summary g = section.summary();
        int pairs = 0;
        for (GradientVariance.Estimate e : g.perRecord()) {
            pairs += e.varReparam().length;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Over %d test images × %d samples each, the reparameterised "
                        + "estimator's mean per-parameter variance is %.4g and the score-function estimator's %.4g: %.0f times larger (%.0f "
                        + "times with a leave-one-out baseline). The reparameterised variance is the lower one for %s of the %d (record, "
                        + "dimension) pairs; the median ratio is %.0f. Both estimate the same gradient: their means differ by at most %.1f "
                        + "standard errors. ", section.records(), section.samples(), g.meanVarReparam(), g.meanVarScore(), g.ratio(),
                g.ratioBaseline(), pct(g.fractionLower()), pairs, g.medianRatio(), g.maxMeanGapInStandardErrors()));
        sb.append(section.reparameterisation().outcome() == Outcome.SUPPORTED
                ? "This is why the lectures move the randomness into ε: the pathwise gradient uses how f changes with z, while the score "
                        + "function multiplies the noise by f's value, a log-likelihood of many nats."
                : "Here the score-function estimator was not the noisier one, against the lectures' motivation for the trick.");
        return sb.toString();
    }

    private static String seq(List<BetaStats> s, java.util.function.Function<BetaStats, String> f) {
        List<String> out = new ArrayList<>();
        for (BetaStats b : s) {
            out.add(f.apply(b));
        }
        return String.join(" → ", out);
    }

    static String holes(LectureReport.Holes section) {
        org.vae4j.lectures.PriorHoles h = section.stats();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "A %d-component Gaussian mixture fitted by EM to the VAE's %,d training codes stands in for "
                        + "where the codes lie (the aggregate posterior). A code is in a hole when its log-density under that mixture is "
                        + "below %.2f, the 1st percentile of the training codes' own. Of %,d codes drawn from N(0, I), %s land in a hole, "
                        + "against %s of %,d drawn from the mixture; on average an N(0, I) draw lies %.3f from the nearest training code "
                        + "and a mixture draw %.3f. ", h.components(), h.trainCodes(), h.holeLogDensity(), h.samples(),
                pct(h.priorHoleShare()), pct(h.gmmHoleShare()), h.samples(), h.priorNearest(), h.gmmNearest()));
        if (h.judged()) {
            Judgement p = h.priorJudgement();
            Judgement g = h.gmmJudgement();
            sb.append(String.format(Locale.ROOT, "Decoded and judged by the yardstick against the %d test images: Fréchet distance %s "
                            + "from the prior and %s from the mixture (not Inception FID); precision %s and %s; recall %s and %s; the "
                            + "classifier labels the samples with %d and %d of the %d classes holding at least %s. ", p.referenceN(),
                    LecturesCommand.f3(p.fd()), LecturesCommand.f3(g.fd()), pct(p.precision()), pct(g.precision()), pct(p.recall()),
                    pct(g.recall()), p.classesCovered(), g.classesCovered(), p.classes(), pct(p.coverageShare())));
        } else {
            sb.append(String.format(Locale.ROOT, "Decoded, %s of the prior samples and %s of the mixture's are as close to a training "
                            + "image as the model's own reconstructions (precision); %s and %s of the test images have a sample that close "
                            + "(recall). ", pct(h.priorPrecision()), pct(h.gmmPrecision()), pct(h.priorRecallMeasured()),
                    pct(h.gmmRecallMeasured())));
        }
        Verdict v = section.verdict();
        switch (v.outcome()) {
            case SUPPORTED -> sb.append("As claimed, the prior sends a material share of its draws where no code lies, and sampling where "
                    + "the codes are gives more realistic samples. ");
            case PARTLY_SUPPORTED -> sb.append("The claim holds only in part here: " + (v.holds(LectureVerdicts.HOLES_MATERIAL)
                    ? "the prior's draws do land in holes, but the mixture's samples are not better on every measure. "
                    : "fewer than 5% of the prior's draws land in holes (the VAE's codes fill the prior's bulk), though the mixture's "
                            + "samples are better on " + (v.checks().stream().skip(1).allMatch(Verdict.Check::holds) ? "every" : "some")
                            + " measure. "));
            default -> sb.append("In this run the prior's holes are immaterial and the mixture's samples are no better. ");
        }
        sb.append("The other fix changes the prior itself instead of sampling after training: the VampPrior (model 'vamp', a mixture of "
                + "the posteriors of learned pseudo-inputs; see the README), not trained in these lectures.");
        return sb.toString();
    }

    static String ganSamples(LectureReport.Gan section) {
        org.vae4j.lectures.GanLecture g = section.stats();
        org.vae4j.lectures.GanLecture.Side gan = g.gan();
        org.vae4j.lectures.GanLecture.Side vae = g.vae();
        StringBuilder sb = new StringBuilder();
        if (gan.judged()) {
            Judgement a = gan.judgement();
            Judgement b = vae.judgement();
            sb.append(String.format(Locale.ROOT, "%,d samples of each model judged by the yardstick against the %d test images: Fréchet "
                            + "distance %s for the GAN and %s for the %s (not Inception FID); precision %s and %s; recall %s and %s; the "
                            + "classifier labels the GAN's samples with %d and the VAE's with %d of the %d classes holding at least %s "
                            + "(label entropy %.3f and %.3f nats, uniform %.3f). ", gan.samples(), a.referenceN(), LecturesCommand.f3(gan.fd()),
                    LecturesCommand.f3(vae.fd()), vae.name(), pct(gan.precision()), pct(vae.precision()), pct(gan.recall()),
                    pct(vae.recall()), a.classesCovered(), b.classesCovered(), a.classes(), pct(a.coverageShare()), a.entropy(), b.entropy(),
                    a.maxEntropy()));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d samples of each model: %s of the GAN's and %s of the %s's are as close to a training "
                            + "image as the VAE's reconstructions (precision); %s and %s of the test images have a sample that close (recall). ",
                    gan.samples(), pct(gan.precision()), pct(vae.precision()), vae.name(), pct(gan.recall()), pct(vae.recall())));
        }
        sb.append(String.format(Locale.ROOT, "Variance of the Laplacian (sharpness): %.4f for the GAN's samples, %.4f for the VAE's, %.4f for "
                + "the test images; mean gradient magnitude %.4f, %.4f and %.4f. ", gan.sharpness().laplacianVariance(),
                vae.sharpness().laplacianVariance(), g.data().laplacianVariance(), gan.sharpness().meanGradient(),
                vae.sharpness().meanGradient(), g.data().meanGradient()));
        Verdict v = section.samples();
        List<String> won = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        for (Check c : v.checks()) {
            String what = switch (c.name()) {
                case LectureVerdicts.GAN_FD_LOWER -> "Fréchet distance";
                case LectureVerdicts.GAN_PRECISION_HIGHER -> "precision";
                default -> "sharpness";
            };
            (c.holds() ? won : lost).add(what);
        }
        switch (v.outcome()) {
            case SUPPORTED -> sb.append("In line with the claim, the GAN's samples are closer to the data on every measure: "
                    + words(won) + ". ");
            case PARTLY_SUPPORTED -> sb.append("Only partly in line with the claim: the GAN's samples are better on " + words(won)
                    + " but not on " + words(lost) + ". ");
            default -> sb.append("Not in line with the claim in this run: the VAE's samples are at least as good on every measure ("
                    + words(lost) + "). ");
        }
        sb.append("Neither model has a density here: the GAN's figures come from samples alone, which is all it offers.");
        return sb.toString();
    }

    /** "a", "a and b", "a, b and c". */
    private static String words(List<String> items) {
        int n = items.size();
        return n <= 1 ? String.join("", items) : String.join(", ", items.subList(0, n - 1)) + " and " + items.get(n - 1);
    }

    static String ganSaturation(LectureReport.Gan section) {
        org.vae4j.lectures.GanLecture.Saturation s = section.stats().saturation();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "After %d updates of D alone, D(x) is %.3f on a training batch and "
                        + "D(G(z)) %.4f on the %d measured codes. Per sample logit l, the minimax loss gives G the gradient σ(l) (mean %.4g), "
                        + "the non-saturating loss 1 − σ(l) (mean %.4g); through G's weights the gradient norms are %.4g and %.4g, a "
                        + "ratio of %.3g. ", s.dSteps(), s.dReal(), s.dFake(), s.codes(), s.minimaxLogit(), s.nonSaturatingLogit(),
                s.minimaxNorm(), s.nonSaturatingNorm(), s.ratio()));
        switch (section.saturation().outcome()) {
            case SUPPORTED -> sb.append("In line with the claim: where D rejects the samples, the notes' objective leaves G with a gradient "
                    + "more than ten times weaker, which is why GANs are trained with the non-saturating loss.");
            case PARTLY_SUPPORTED -> sb.append("Partly in line with the claim: the minimax gradient is weaker, but not by a factor of ten here "
                    + "(D rejects the samples less confidently than the claim assumes).");
            default -> sb.append("Not in line with the claim in this run: the minimax gradient is not weaker.");
        }
        return sb.toString();
    }

    static String ganOptimum(LectureReport.Gan section) {
        List<org.vae4j.lectures.GanLecture.EpochPoint> c = section.stats().curve();
        org.vae4j.lectures.GanLecture.EpochPoint first = c.get(0);
        org.vae4j.lectures.GanLecture.EpochPoint last = c.get(c.size() - 1);
        List<String> gaps = new ArrayList<>();
        for (org.vae4j.lectures.GanLecture.EpochPoint e : c) {
            gaps.add(String.format(Locale.ROOT, "%.3f", e.trainGap()));
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "In training, D(x) goes from %.3f at epoch 1 to %.3f at epoch %d and "
                        + "D(G(z)) from %.3f to %.3f (test split after the last epoch: %.3f and %.3f); the optimum is ½ for both. D's gap "
                        + "D(x) − D(G(z)) per epoch: %s. ", first.trainReal(), last.trainReal(), last.epoch(), first.trainFake(),
                last.trainFake(), last.testReal(), last.testFake(), String.join(" → ", gaps)));
        Verdict v = section.optimum();
        switch (v.outcome()) {
            case SUPPORTED -> sb.append("In line with the claim: the gap narrows at every epoch and both ends near ½, where D cannot tell "
                    + "real from generated.");
            case PARTLY_SUPPORTED -> sb.append("Partly in line with the claim: the gap is narrower at the end than at the start, but "
                    + (v.holds(LectureVerdicts.GAP_NARROWS_EVERY_EPOCH) ? "D is still not near ½" : "not at every epoch"
                            + (v.holds(LectureVerdicts.NEAR_OPTIMUM) ? "" : ", and D is still not near ½"))
                    + "; these epochs do not reach the optimum.");
            case NOT_MEASURED -> sb.append("One epoch: no trend to measure.");
            default -> sb.append("Not in line with the claim in this run: D tells the samples from the data at least as well at the end "
                    + "as at the start; these epochs do not approach the optimum.");
        }
        return sb.toString();
    }

    static String ganCapabilities(LectureReport.Gan section) {
        org.vae4j.lectures.GanLecture g = section.stats();
        List<String> only = new ArrayList<>();
        for (org.vae4j.model.Capability c : g.vaeOnly()) {
            only.add(c.phrase() + " (" + org.vae4j.lectures.GanLecture.uses(c) + ")");
        }
        return only.isEmpty() ? "Read from the models' capabilities: the GAN can do everything the VAE can here."
                : "Read from the models' capabilities (model.can): the " + g.vae().name() + " can " + String.join("; ", only)
                        + ". The GAN cannot: it has " + g.ganCan().size() + " of the " + org.vae4j.model.Capability.values().length
                        + " capabilities and can only decode codes it is given or draws.";
    }
}
