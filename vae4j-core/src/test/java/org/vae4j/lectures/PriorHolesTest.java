package org.vae4j.lectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LoadContext;
import org.vae4j.generate.GaussianMixture;
import org.vae4j.model.VaeModel;

/**
 * Section 6 on the shapes data with the lecture CLI test's fast settings: the 2-D VAE's N(0, I) draws fall into the
 * holes of its codes' mixture far more often than the mixture's own draws, and lie farther from any training code.
 */
class PriorHolesTest {
    static final String SPEC = "shapes:n=300,test=60,size=16";
    static DataSplits data;
    static Lectures.Settings settings;
    static Lectures.Bench bench;
    static VaeModel model;

    @BeforeAll
    static void train() {
        data = DataSources.load(SPEC, LoadContext.defaults());
        settings = Lectures.Settings.defaults().withEpochs(2, 2).withSizes(List.of(32), List.of(32), 0, 60, 300, 100, 5, 2, 300);
        bench = new Lectures.Bench(data, settings);
        model = Lectures.train(Lectures.vae2d(List.of(1, 16, 16), settings), bench, settings.epochs2d(), settings, null);
    }

    @AfterAll
    static void close() {
        model.close();
        bench.close();
    }

    @Test
    void priorDrawsLandInHolesTheMixturesDrawsAvoid() {
        double threshold = Realism.threshold(model, bench.reference(), bench.probe().data(), bench.probe().size());
        PriorHoles h = PriorHoles.measure(model, bench, settings, threshold);
        // measured (2 epochs on 300 shapes, seed 1): the codes sit in a small region, so 99% of the prior draws fall
        // below the training codes' 1st-percentile density and 3% of the mixture's draws; mean distance to the nearest
        // training code 1.14 against 0.005; model-relative precision 50% against 89%
        assertThat(h.priorHoleShare()).isGreaterThanOrEqualTo(0.9);
        assertThat(h.gmmHoleShare()).isLessThanOrEqualTo(0.06);
        assertThat(h.gmmNearest()).isLessThan(0.1 * h.priorNearest());
        assertThat(h.gmmPrecision()).isGreaterThan(h.priorPrecision());
        assertThat(Double.isNaN(h.priorFd())).isTrue();
        LectureReport.Holes section = LectureReport.Holes.of(h);
        // no yardstick: holes and precision only, both hold
        assertThat(section.verdict().checks()).extracting(Verdict.Check::name)
                .containsExactly(LectureVerdicts.HOLES_MATERIAL, LectureVerdicts.GMM_PRECISION_HIGHER);
        assertThat(section.verdict().outcome()).isEqualTo(Verdict.Outcome.SUPPORTED);
        assertThat(h.components()).isEqualTo(10);
        assertThat(h.trainCodes()).isEqualTo(300);
        assertThat(h.samples()).isEqualTo(100);
        assertThat(h.judged()).isFalse(); // no yardstick on this bench: the model-relative realism judges
        assertThat(h.priorRow()).hasSize(PriorHoles.ROW * 256);
        assertThat(h.gmmRow()).hasSize(PriorHoles.ROW * 256);
        // the same seed gives the same numbers
        PriorHoles again = PriorHoles.measure(model, bench, settings, threshold);
        assertThat(again.priorHoleShare()).isEqualTo(h.priorHoleShare());
        assertThat(again.gmmNearest()).isEqualTo(h.gmmNearest());
    }

    @Test
    void holeShareAndNearestDistanceCountByHand() {
        // one unit Gaussian at the origin in 2-D: log density −log(2π) − ‖x‖²/2
        GaussianMixture g = new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][] {{1, 0, 0, 1}});
        float[] codes = {0, 0, 3, 0, 0, 4, 1, 1};
        double threshold = -Math.log(2 * Math.PI) - 2.0; // ‖x‖² > 4 is in the hole
        assertThat(PriorHoles.holeShare(g, codes, 4, 2, threshold)).isEqualTo(0.5);
        float[] refs = {0, 0, 3, 3};
        // nearest distances 0, 3, 4 (to the origin) and √2
        assertThat(PriorHoles.meanNearest(codes, 4, refs, 2, 2)).isCloseTo((0 + 3 + 3.1622776601683795 + Math.sqrt(2)) / 4, within(1e-9));
    }
}
