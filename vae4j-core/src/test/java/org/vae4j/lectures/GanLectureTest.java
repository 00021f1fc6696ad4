package org.vae4j.lectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LoadContext;
import org.vae4j.lectures.Verdict.Outcome;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelConfig;
import org.vae4j.train.EpochMetrics;

/**
 * Section 7's measurements: sharpness against hand-computed values, the generator's gradient under both losses at
 * the start of training on the shapes data, D's figures from epoch metrics, and the three verdict rules.
 */
class GanLectureTest {

    @Test
    void sharpnessIsTheMeanGradientAndTheLaplaciansVariance() {
        // one 3×3 image, a single bright centre pixel
        float[] dot = {0, 0, 0, 0, 1, 0, 0, 0, 0};
        Sharpness s = Sharpness.of(dot, 1, new int[] {1, 3, 3});
        // forward differences on the 2×2 top-left grid: (0,0): 0; (0,1): dy = 1 → 1; (1,0): dx = 1 → 1; (1,1): dx = −1,
        // dy = −1 → √2; mean (2 + √2) / 4. The one interior Laplacian is −4: variance 0.
        assertThat(s.meanGradient()).isCloseTo((2 + Math.sqrt(2)) / 4, within(1e-12));
        assertThat(s.laplacianVariance()).isCloseTo(0, within(1e-12));
        // a 4×4 checkerboard: every forward difference is ±1 in both directions (√2), interior Laplacians ±4 → variance 16
        float[] board = new float[16];
        for (int i = 0; i < 16; i++) {
            board[i] = ((i / 4) + (i % 4)) % 2;
        }
        Sharpness b = Sharpness.of(board, 1, new int[] {1, 4, 4});
        assertThat(b.meanGradient()).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(b.laplacianVariance()).isCloseTo(16, within(1e-9));
        // a flat image has neither; averages over images
        Sharpness both = Sharpness.of(concat(board, new float[16]), 2, new int[] {1, 4, 4});
        assertThat(both.laplacianVariance()).isCloseTo(8, within(1e-9));
        assertThat(both.meanGradient()).isCloseTo(Math.sqrt(2) / 2, within(1e-12));
        assertThatThrownBy(() -> Sharpness.of(board, 2, new int[] {1, 4, 4})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sharpness.of(board, 1, new int[] {16})).isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theMinimaxGeneratorGradientSaturatesOnceDRejectsTheSamples() {
        DataSplits data = DataSources.load("shapes:n=300,test=60,size=16", LoadContext.defaults());
        Lectures.Settings s = Lectures.Settings.defaults().withEpochs(2, 2).withSizes(List.of(32), List.of(32), 0, 60, 300, 100, 5, 2, 300)
                .withRun(4, 128, 1, 1);
        ModelConfig config = LectureModels.gan(List.of(1, 16, 16), 4, List.of(32));
        assertThat(config.model()).isEqualTo(LectureModels.ADVERSARIAL);
        assertThat(config.variant().can(Capability.ENCODES)).isFalse();
        try (Lectures.Bench bench = new Lectures.Bench(data, s)) {
            GanLecture.Saturation a = GanLecture.saturation(config, bench, s);
            // measured (seed 1): 329 D updates to D(G(z)) 0.049, D(x) 0.914; norms 0.0126 (minimax) and 0.243, ratio 0.052
            // D was updated until it rejected the samples, within the cap
            assertThat(a.dSteps()).isBetween(1, GanLecture.MAX_D_STEPS - 1);
            assertThat(a.dFake()).isLessThan(0.1);
            assertThat(a.dReal()).isGreaterThan(0.5);
            // per logit the two losses' gradients are σ(l) and 1 − σ(l): they add up to 1, the minimax one is D(G(z))
            assertThat(a.minimaxLogit() + a.nonSaturatingLogit()).isCloseTo(1, within(1e-6));
            assertThat(a.minimaxLogit()).isCloseTo(a.dFake(), within(1e-6));
            // through G: the minimax norm is a small share of the non-saturating one (of the order of D(G(z)))
            assertThat(a.nonSaturatingNorm()).isGreaterThan(0);
            assertThat(a.ratio()).isGreaterThan(0).isLessThan(LectureVerdicts.SATURATED_SHARE);
            // the same seed, the same numbers
            GanLecture.Saturation again = GanLecture.saturation(config, bench, s);
            assertThat(again.dSteps()).isEqualTo(a.dSteps());
            assertThat(again.minimaxNorm()).isEqualTo(a.minimaxNorm());
            assertThat(again.nonSaturatingNorm()).isEqualTo(a.nonSaturatingNorm());
            assertThat(LectureVerdicts.saturation(a.minimaxNorm(), a.nonSaturatingNorm()).outcome()).isEqualTo(Outcome.SUPPORTED);
        }
    }

    @Test
    void withoutAYardstickBothModelsAreJudgedByTheVaesRealismAndTheCapabilitiesComeFromTheModels() {
        DataSplits data = DataSources.load("shapes:n=300,test=60,size=16", LoadContext.defaults());
        Lectures.Settings s = Lectures.Settings.defaults().withEpochs(2, 2).withSizes(List.of(32), List.of(32), 0, 60, 300, 100, 5, 2, 300)
                .withRun(4, 128, 1, 1);
        try (Lectures.Bench bench = new Lectures.Bench(data, s)) {
            GanLecture.VaeSide vae;
            try (org.vae4j.model.VaeModel m = Lectures.train(Lectures.betaVae(List.of(1, 16, 16), 1.0, s), bench, 2, s, null)) {
                vae = GanLecture.vaeSide("β-VAE β = 1", m, Lectures.probeBeta(m, 1.0, bench, s), bench, s);
            }
            ModelConfig config = LectureModels.gan(List.of(1, 16, 16), 4, List.of(32));
            List<GanLecture.EpochPoint> curve = new java.util.ArrayList<>();
            org.vae4j.train.TrainConfig tc = GanLecture.trainConfig(config.variant(), 2, s);
            assertThat(tc.lr()).isEqualTo(2e-4);
            assertThat(tc.beta1()).isEqualTo(0.5);
            try (org.vae4j.model.VaeModel g = Lectures.train(config, bench, tc, new org.vae4j.train.TrainingListener() {
                @Override
                public void epoch(EpochMetrics metrics) {
                    curve.add(GanLecture.EpochPoint.of(metrics));
                }
            })) {
                GanLecture.Saturation sat = new GanLecture.Saturation(1, 0.9, 0.05, 256, 0.95, 0.05, 1, 0.05);
                GanLecture r = GanLecture.measure(g, 2, curve, sat, vae, bench, s);
                assertThat(r.gan().judged()).isFalse();
                assertThat(r.gan().fd()).isNaN();
                assertThat(r.gan().precision()).isBetween(0.0, 1.0);
                assertThat(r.gan().samples()).isEqualTo(100);
                assertThat(r.gan().row()).hasSize(GanLecture.ROW * 256);
                assertThat(r.dataRow()).hasSize(GanLecture.ROW * 256);
                assertThat(r.data().images()).isEqualTo(60);
                assertThat(r.curve()).extracting(GanLecture.EpochPoint::epoch).containsExactly(1, 2);
                for (GanLecture.EpochPoint p : r.curve()) {
                    assertThat(p.trainReal()).isBetween(0.0, 1.0);
                    assertThat(p.trainFake()).isBetween(0.0, 1.0);
                    assertThat(p.testReal()).isBetween(0.0, 1.0);
                }
                // read from the models: the VAE encodes, has a posterior and IW; the GAN only decodes and samples
                assertThat(r.ganCan()).containsExactlyInAnyOrder(Capability.DECODES, Capability.SAMPLES);
                assertThat(r.vaeOnly()).containsExactly(Capability.ENCODES, Capability.POSTERIOR, Capability.IMPORTANCE_WEIGHTED);
                LectureReport.Gan section = LectureReport.Gan.of(r);
                // no yardstick: no Fréchet-distance check
                assertThat(section.samples().checks()).extracting(Verdict.Check::name)
                        .containsExactly(LectureVerdicts.GAN_PRECISION_HIGHER, LectureVerdicts.GAN_SHARPER);
                assertThat(section.saturation().outcome()).isEqualTo(Outcome.SUPPORTED);
                assertThat(section.optimum().measured()).isTrue();
            }
        }
    }

    @Test
    void dsFiguresComeFromTheGansEpochMetrics() {
        EpochMetrics m = new EpochMetrics(3, 1, Double.NaN, Double.NaN, 1, Double.NaN, Double.NaN, 1, 1, 1, 1, 0,
                java.util.Map.of("train_d_real", 0.7, "train_d_fake", 0.25, "test_d_real", 0.8, "test_d_fake", 0.2));
        GanLecture.EpochPoint p = GanLecture.EpochPoint.of(m);
        assertThat(p.epoch()).isEqualTo(3);
        assertThat(p.trainGap()).isCloseTo(0.45, within(1e-12));
        assertThat(p.testReal()).isEqualTo(0.8);
        assertThat(p.testFake()).isEqualTo(0.2);
        // a model without D's terms gives NaN, not zero
        assertThat(GanLecture.EpochPoint.of(new EpochMetrics(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)).trainReal()).isNaN();
    }

    @Test
    void theOptimumVerdictIsInLineOnlyWhenTheGapNarrowsAtEveryEpochToNearAHalf() {
        // narrows at every epoch and ends at 0.55 / 0.45: in line
        Verdict v = LectureVerdicts.ganOptimum(new double[] {0.9, 0.7, 0.55}, new double[] {0.1, 0.3, 0.45});
        assertThat(v.outcome()).isEqualTo(Outcome.SUPPORTED);
        // narrows at every epoch but D still tells them apart (0.72 / 0.28): partly
        Verdict far = LectureVerdicts.ganOptimum(new double[] {0.9, 0.8, 0.72}, new double[] {0.1, 0.2, 0.28});
        assertThat(far.outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(far.holds(LectureVerdicts.GAP_NARROWS_EVERY_EPOCH)).isTrue();
        assertThat(far.holds(LectureVerdicts.NEAR_OPTIMUM)).isFalse();
        // near ½ at the end but not monotone: partly
        Verdict bumpy = LectureVerdicts.ganOptimum(new double[] {0.9, 0.6, 0.7, 0.55}, new double[] {0.1, 0.4, 0.3, 0.45});
        assertThat(bumpy.outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(bumpy.holds(LectureVerdicts.GAP_NARROWS_EVERY_EPOCH)).isFalse();
        // the gap widens: not supported, even when D(G(z)) rises
        assertThat(LectureVerdicts.ganOptimum(new double[] {0.6, 0.9}, new double[] {0.4, 0.45}).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        assertThat(LectureVerdicts.ganOptimum(new double[] {0.5}, new double[] {0.5}).outcome()).isEqualTo(Outcome.NOT_MEASURED);
    }

    @Test
    void theSamplesVerdictNeedsEveryMeasureAndTheSaturationVerdictATenfoldGap() {
        // GAN: lower FD, higher precision, Laplacian variance 0.05 against the data's 0.06 (the VAE's 0.01)
        assertThat(LectureVerdicts.ganSamples(100, 40, 0.5, 0.7, 0.01, 0.05, 0.06).outcome()).isEqualTo(Outcome.SUPPORTED);
        Verdict partly = LectureVerdicts.ganSamples(100, 40, 0.7, 0.5, 0.01, 0.05, 0.06);
        assertThat(partly.outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(partly.holds(LectureVerdicts.GAN_PRECISION_HIGHER)).isFalse();
        // noise is not sharpness: ten times the data's Laplacian variance is farther from it than the VAE's blur at a half
        assertThat(LectureVerdicts.ganSamples(100, 120, 0.7, 0.5, 0.03, 0.6, 0.06).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
        // without a yardstick the FD check is left out
        assertThat(LectureVerdicts.ganSamples(Double.NaN, Double.NaN, 0.5, 0.7, 0.01, 0.05, 0.06).checks()).extracting(Verdict.Check::name)
                .containsExactly(LectureVerdicts.GAN_PRECISION_HIGHER, LectureVerdicts.GAN_SHARPER);
        assertThat(LectureVerdicts.saturation(0.05, 1).outcome()).isEqualTo(Outcome.SUPPORTED);
        assertThat(LectureVerdicts.saturation(0.5, 1).outcome()).isEqualTo(Outcome.PARTLY_SUPPORTED);
        assertThat(LectureVerdicts.saturation(1, 1).outcome()).isEqualTo(Outcome.NOT_SUPPORTED);
    }
}
