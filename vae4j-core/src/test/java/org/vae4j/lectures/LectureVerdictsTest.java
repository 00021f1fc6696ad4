package org.vae4j.lectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.lectures.Lectures.BetaStats;
import org.vae4j.lectures.Verdict.Check;
import org.vae4j.lectures.Verdict.Outcome;

/** The verdict rules on made-up numbers: each outcome is reachable, and numbers that contradict a claim never pass. */
class LectureVerdictsTest {

    @Test
    void aStrictlyMonotoneSeriesPassesAndAnyOtherDoesNot() {
        assertThat(LectureVerdicts.monotone(new double[] {36.6, 41.8, 61.4, 86.0}, +1)).isTrue();
        assertThat(LectureVerdicts.monotone(new double[] {24.0, 18.1, 8.9, 5.2}, -1)).isTrue();
        // one step the wrong way, a tie, a NaN, or the opposite direction break it
        assertThat(LectureVerdicts.monotone(new double[] {24.0, 18.1, 19.0, 5.2}, -1)).isFalse();
        assertThat(LectureVerdicts.monotone(new double[] {24.0, 18.1, 18.1, 5.2}, -1)).isFalse();
        assertThat(LectureVerdicts.monotone(new double[] {0.2, Double.NaN, 0.9}, +1)).isFalse();
        assertThat(LectureVerdicts.monotone(new double[] {36.6, 41.8, 61.4, 86.0}, -1)).isFalse();
        assertThat(LectureVerdicts.monotone(new double[] {1.0}, +1)).isTrue();
        assertThatThrownBy(() -> LectureVerdicts.monotone(new double[] {1, 2}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTradeOffIsInLineOnlyWhenBothSeriesAreMonotone() {
        Verdict both = LectureVerdicts.tradeOff(new double[] {24.0, 18.1, 8.9, 5.2}, new double[] {36.6, 41.8, 61.4, 86.0});
        assertThat(both.outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(both.claim()).isEqualTo(LectureClaim.BETA_TRADE_OFF);
        assertThat(both.rule()).contains("only when both series are monotone");
        assertThat(both.checks()).extracting(Check::result).containsExactly(Check.Result.HOLDS, Check.Result.HOLDS);

        // KL rises once between β = 1 and β = 4: only partly
        Verdict bump = LectureVerdicts.tradeOff(new double[] {24.0, 18.1, 19.0, 5.2}, new double[] {36.6, 41.8, 61.4, 86.0});
        assertThat(bump.outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(bump.holds(LectureVerdicts.KL_FALLS)).isFalse();
        assertThat(bump.holds(LectureVerdicts.RECON_RISES)).isTrue();

        // KL grows and reconstruction improves with β: the numbers contradict the claim
        Verdict reversed = LectureVerdicts.tradeOff(new double[] {5.2, 8.9, 18.1, 24.0}, new double[] {86.0, 61.4, 41.8, 36.6});
        assertThat(reversed.outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(reversed.outcome().phrase()).isEqualTo("not supported");

        assertThat(LectureVerdicts.tradeOff(new double[] {18.1}, new double[] {41.8}).outcome()).isEqualTo(Outcome.NOT_MEASURED);
    }

    @Test
    void gapsThatDecodeToDataMoreOftenForTheAutoencoderAreNotSupported() {
        // the default shapes run: 0 of 8 autoencoder gap points look like data, 4 of 8 of the VAE's
        assertThat(LectureVerdicts.gapDecoding(0.0, 0.5).outcome()).isEqualTo(Outcome.SUPPORTED);
        Verdict against = LectureVerdicts.gapDecoding(0.875, 0.5);
        assertThat(against.outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(against.check(LectureVerdicts.GAPS_DECODE_WORSE).result()).isEqualTo(Check.Result.FAILS);
        Verdict equal = LectureVerdicts.gapDecoding(0.5, 0.5);
        assertThat(equal.outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(equal.check(LectureVerdicts.GAPS_DECODE_WORSE).result()).isEqualTo(Check.Result.EVEN);

        assertThat(LectureVerdicts.gaps(0.049, 0.012).outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(LectureVerdicts.gaps(0.012, 0.049).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
    }

    @Test
    void centringNeedsBothTheScaleAndTheCoverage() {
        double prior = CodeGeometry.PRIOR_MEAN_DISTANCE;
        double aeFar = Math.abs(Math.log(10.66 / prior));
        double vaeNear = Math.abs(Math.log(2.18 / prior));
        assertThat(LectureVerdicts.centred(aeFar, vaeNear, 0.175, 0.912).outcome()).isEqualTo(Outcome.SUPPORTED);
        Verdict part = LectureVerdicts.centred(aeFar, vaeNear, 0.95, 0.912);
        assertThat(part.outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(part.holds(LectureVerdicts.CLOSER_TO_PRIOR_SCALE)).isTrue();
        assertThat(part.holds(LectureVerdicts.COVERS_MORE)).isFalse();
        assertThat(LectureVerdicts.centred(vaeNear, aeFar, 0.95, 0.912).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
    }

    @Test
    void priorSamplingTurnsOnRecall() {
        // more recall, less precision (the default shapes run: 99.8% / 6.9% against 92.9% / 47.1%): in line
        Verdict v = LectureVerdicts.priorSampling(0.998, 0.929, 0.069, 0.471);
        assertThat(v.outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(v.holds(LectureVerdicts.PRECISION_AT_LEAST)).isFalse();
        assertThat(LectureVerdicts.priorSampling(0.90, 0.95, 0.30, 0.30).outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(LectureVerdicts.priorSampling(0.95, 0.90, 0.40, 0.30).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
    }

    @Test
    void interpolationDifferencesInsideTheTolerancesCountAsEven() {
        // the default shapes run: largest step 15.3% against 14.8% (within 5%), realism 91.6% against 94.1% (beyond 2 points)
        Verdict v = LectureVerdicts.interpolation(0.153, 0.148, 0.916, 0.941);
        assertThat(v.check(LectureVerdicts.SMOOTHER).result()).isEqualTo(Check.Result.EVEN);
        assertThat(v.check(LectureVerdicts.MORE_REALISTIC).result()).isEqualTo(Check.Result.HOLDS);
        assertThat(v.outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(LectureVerdicts.interpolation(0.20, 0.15, 0.80, 0.90).outcome()).isEqualTo(Outcome.SUPPORTED);
        Verdict worse = LectureVerdicts.interpolation(0.15, 0.20, 0.90, 0.80);
        assertThat(worse.outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(worse.checks()).extracting(Check::result).containsExactly(Check.Result.FAILS, Check.Result.FAILS);

        assertThat(LectureVerdicts.latentBeatsPixels(0.941, 0.509).outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(LectureVerdicts.latentBeatsPixels(0.52, 0.509).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
    }

    @Test
    void anElboBelowTheImportanceWeightedEstimateIsNotSupportedAndNamed() {
        double[] betas = {0.5, 1, 4, 10};
        assertThat(LectureVerdicts.upperBound(betas, new double[] {57.4, 55.7, 61.1, 69.9}, new double[] {60.6, 59.9, 70.3, 91.2})
                .outcome()).isEqualTo(Outcome.SUPPORTED);
        Verdict v = LectureVerdicts.upperBound(betas, new double[] {57.4, 55.7, 71.1, 69.9}, new double[] {60.6, 59.9, 70.3, 91.2});
        assertThat(v.outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(v.checks().stream().filter(c -> !c.holds()).map(Check::name)).containsExactly("4");
        assertThatThrownBy(() -> LectureVerdicts.upperBound(betas, new double[] {1}, new double[] {2}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGradientClaimFailsWhenTheScoreFunctionIsNotNoisier() {
        assertThat(LectureVerdicts.reparameterisation(796).outcome()).isEqualTo(Outcome.SUPPORTED);
        Verdict v = LectureVerdicts.reparameterisation(0.8);
        assertThat(v.outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(v.claim()).isEqualTo(LectureClaim.REPARAMETERISATION);
    }

    @Test
    void seriesVerdictsNeedTwoBetasAndFactors() {
        assertThat(LectureVerdicts.disentanglement(null).outcome()).isEqualTo(Outcome.NOT_MEASURED);
        assertThat(LectureVerdicts.disentanglement(null).measured()).isFalse();
        // higher at the end but not rising at every step: only partly in line with the claim
        assertThat(LectureVerdicts.disentanglement(new double[] {0.09, 0.09, 0.06, 0.40}).outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(LectureVerdicts.disentanglement(new double[] {0.09, 0.12, 0.2, 0.40}).outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(LectureVerdicts.disentanglement(new double[] {0.40, 0.09}).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(LectureVerdicts.bottleneck(new int[] {10, 10, 10, 8}).outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(LectureVerdicts.bottleneck(new int[] {8, 10}).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(LectureVerdicts.bottleneck(new int[] {10, 6, 8, 7}).outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(LectureVerdicts.bottleneck(new int[] {8}).outcome()).isEqualTo(Outcome.NOT_MEASURED);
        // no dimension in use at some β gives a NaN σ, which breaks the rising series
        Verdict w = LectureVerdicts.weakRegularisation(new double[] {0.1, Double.NaN, 0.5}, new double[] {3, 2, 1});
        assertThat(w.outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(w.holds(LectureVerdicts.SIGMA_RISES)).isFalse();
    }

    @Test
    void theSweepJudgesItsModelsInAscendingBetaWhateverTheRunOrder() {
        // β given as 10, 0.5, 1: sorted, KL falls and reconstruction rises; β = 1 has the best −ELBO
        List<Lectures.BetaStats> stats = List.of(stats(10, 5.2, 86.0, 69.9, 91.2), stats(0.5, 24.0, 36.6, 57.4, 60.6),
                stats(1, 18.1, 41.8, 55.7, 59.9));
        List<LectureReport.BetaModel> models = stats.stream()
                .map(s -> new LectureReport.BetaModel("β-VAE β = " + s.beta(), null, s, new float[0], new float[0], null)).toList();
        LectureReport.BetaSweep sweep = LectureReport.BetaSweep.of(models, new float[0], 0, 100);
        assertThat(sweep.ascending()).extracting(BetaStats::beta).containsExactly(0.5, 1.0, 10.0);
        assertThat(sweep.models()).extracting(LectureReport.BetaModel::beta).containsExactly(10.0, 0.5, 1.0);
        assertThat(sweep.tradeOff().outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(sweep.upperBound().outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(sweep.best().beta()).isEqualTo(1.0);
        assertThat(sweep.disentanglement().outcome()).isEqualTo(Outcome.NOT_MEASURED);
        // 10 dimensions over 0.1 nats at β = 0.5 and 1, 2 at β = 10
        assertThat(sweep.bottleneck().outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(sweep.ascending()).extracting(BetaStats::dimensionsInUse).containsExactly(10, 10, 2);
    }

    private static BetaStats stats(double beta, double kl, double recon, double iwNll, double negElbo) {
        double[] perDim = new double[10];
        for (int j = 0; j < perDim.length; j++) {
            perDim[j] = beta >= 10 && j >= 2 ? 0.05 : kl / 10;
        }
        EvaluationResult ev = new EvaluationResult(100, recon + kl, recon, kl, perDim, 10, new double[10], Double.NaN, 0, Double.NaN, true,
                Map.of("recon", recon, "kl", kl));
        return new BetaStats(beta, ev, iwNll, negElbo, 0.5, 0.4 + beta / 100, 2.0 / (1 + beta), 0.01, null, 0.3, null, null);
    }

    @Test
    void everyVerdictStatesItsRuleAndItsClaim() {
        List<Verdict> all = List.of(LectureVerdicts.centred(1, 0.5, 0.2, 0.9), LectureVerdicts.gaps(0.1, 0.01),
                LectureVerdicts.gapDecoding(0, 0.5), LectureVerdicts.priorSampling(0.9, 0.9, 0.1, 0.5),
                LectureVerdicts.interpolation(0.2, 0.1, 0.8, 0.9), LectureVerdicts.latentBeatsPixels(0.9, 0.5),
                LectureVerdicts.tradeOff(new double[] {2, 1}, new double[] {1, 2}), LectureVerdicts.weakRegularisation(new double[] {1, 2},
                        new double[] {2, 1}), LectureVerdicts.upperBound(new double[] {1}, new double[] {1}, new double[] {2}),
                LectureVerdicts.disentanglement(new double[] {0.1, 0.2}), LectureVerdicts.bottleneck(new int[] {3, 2}),
                LectureVerdicts.reparameterisation(2));
        for (Verdict v : all) {
            assertThat(v.rule()).as(v.statement()).isNotBlank();
            assertThat(v.statement()).isNotBlank();
            assertThat(v.outcome()).as(v.statement()).isEqualTo(Outcome.SUPPORTED);
            assertThat(v.checks()).as(v.statement()).isNotEmpty().allSatisfy(c -> assertThat(c.rule()).isNotBlank());
        }
        assertThatThrownBy(() -> all.get(0).check("no such check")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such check");
    }

    @Test
    void priorHolesNeedMaterialHolesAndABetterMixtureOnEveryMeasure() {
        Verdict v = LectureVerdicts.priorHoles(0.20, 30.0, 12.0, 0.40, 0.70);
        assertThat(v.claim()).isEqualTo(LectureClaim.PRIOR_HOLES);
        assertThat(v.outcome()).isEqualTo(Verdict.Outcome.SUPPORTED);
        assertThat(v.checks()).hasSize(3);
        // holes below 5%: only partly
        Verdict few = LectureVerdicts.priorHoles(0.04, 30.0, 12.0, 0.40, 0.70);
        assertThat(few.outcome()).isEqualTo(Verdict.Outcome.PARTLY_SUPPORTED);
        assertThat(few.holds(LectureVerdicts.HOLES_MATERIAL)).isFalse();
        assertThat(LectureVerdicts.priorHoles(0.05, 30.0, 12.0, 0.40, 0.70).holds(LectureVerdicts.HOLES_MATERIAL)).isTrue();
        // a better FD with worse precision: partly
        Verdict mixed = LectureVerdicts.priorHoles(0.20, 30.0, 12.0, 0.70, 0.40);
        assertThat(mixed.outcome()).isEqualTo(Verdict.Outcome.PARTLY_SUPPORTED);
        assertThat(mixed.holds(LectureVerdicts.GMM_FD_LOWER)).isTrue();
        assertThat(mixed.holds(LectureVerdicts.GMM_PRECISION_HIGHER)).isFalse();
        // nothing holds
        assertThat(LectureVerdicts.priorHoles(0.01, 12.0, 30.0, 0.70, 0.70).outcome()).isEqualTo(Verdict.Outcome.NOT_SUPPORTED);
        // without a yardstick the Fréchet check is left out
        Verdict noFd = LectureVerdicts.priorHoles(0.20, Double.NaN, Double.NaN, 0.40, 0.70);
        assertThat(noFd.checks()).hasSize(2);
        assertThat(noFd.outcome()).isEqualTo(Verdict.Outcome.SUPPORTED);
    }
}
