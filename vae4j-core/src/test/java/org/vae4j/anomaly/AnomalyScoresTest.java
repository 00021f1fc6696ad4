package org.vae4j.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LabelFilter;
import org.vae4j.eval.Evaluator;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.DataSelection;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

class AnomalyScoresTest {
    static final DataSplits DATA = TestData.splits(600, 200, 1, 12);
    static VaeModel vae;
    static VaeModel ae;

    @BeforeAll
    static void train() {
        TrainConfig tc = TrainConfig.defaults().withEpochs(8).withBatchSize(32).withThreads(1).withSeed(3);
        // one-class: blobs in the top-left quadrant only
        DataSelection onlyTopLeft = new DataSelection(List.of("tl"), List.of(), "", "");
        vae = Training.of(ModelConfig.vae(List.of(1, 12, 12), 4, ArchConfig.mlp(64), "bernoulli", 1.0), tc)
                .data(DATA, "blobs").selection(onlyTopLeft).fit();
        ModelConfig aeConfig = new ModelConfig(ModelConfig.FORMAT_VERSION, "ae", List.of(1, 12, 12), 4, ArchConfig.mlp(64), "mse",
                0.1, 1.0, org.vae4j.model.DataTransform.NONE);
        ae = Training.of(aeConfig, tc).data(DATA, "blobs").selection(onlyTopLeft).fit();
    }

    @AfterAll
    static void close() {
        vae.close();
        ae.close();
    }

    static float[] test() {
        return DATA.test().materialize().data();
    }

    static int n() {
        return DATA.test().size();
    }

    @Test
    void iwNllScoresAverageToTheEvaluatorsEstimate() {
        double[] s = AnomalyScores.score(vae, test(), n(), ScoreMethod.IW_NLL, 50, 7, null);
        double mean = java.util.Arrays.stream(s).average().orElseThrow();
        assertThat(mean).isCloseTo(Evaluator.importanceWeightedNll(vae, test(), n(), 50, 7, null), within(1e-9));
        assertThat(java.util.Arrays.stream(s).allMatch(v -> v > 0 && Double.isFinite(v))).isTrue();
    }

    @Test
    void iwNllScoresWithWorkersAreTheSameScores() {
        double[] one = AnomalyScores.score(vae, DATA.test(), ScoreMethod.IW_NLL, 20, 5, null, 1);
        double[] two = AnomalyScores.score(vae, DATA.test(), ScoreMethod.IW_NLL, 20, 5, null, 2);
        assertThat(two).hasSize(n());
        for (int i = 0; i < one.length; i++) {
            assertThat(two[i]).as("record %d", i).isCloseTo(one[i], within(1e-9 + 1e-6 * Math.abs(one[i])));
        }
        // the other methods ignore the workers
        assertThat(AnomalyScores.score(vae, DATA.test(), ScoreMethod.NEG_ELBO, 3, 5, null, 2))
                .containsExactly(AnomalyScores.score(vae, DATA.test(), ScoreMethod.NEG_ELBO, 3, 5, null));
    }

    @Test
    void negElboWithOneSampleMatchesTheEvaluatorAndMoreSamplesReduceTheSpread() {
        double[] one = AnomalyScores.score(vae, test(), n(), ScoreMethod.NEG_ELBO, 1, 9, null);
        double mean = java.util.Arrays.stream(one).average().orElseThrow();
        assertThat(mean).isCloseTo(Evaluator.evaluate(vae, test(), n(), AnomalyScores.BATCH, 9).negElbo(), within(1e-3));
        // two runs with K = 20 and different seeds agree much better than two with K = 1
        double[] a = AnomalyScores.score(vae, test(), n(), ScoreMethod.NEG_ELBO, 20, 1, null);
        double[] b = AnomalyScores.score(vae, test(), n(), ScoreMethod.NEG_ELBO, 20, 2, null);
        double[] c = AnomalyScores.score(vae, test(), n(), ScoreMethod.NEG_ELBO, 1, 2, null);
        assertThat(meanAbsDiff(a, b)).isLessThan(0.5 * meanAbsDiff(one, c));
    }

    @Test
    void reconProbIsTheMeanReconstructionNllBelowNegElbo() {
        double[] rp = AnomalyScores.score(vae, test(), n(), ScoreMethod.RECON_PROB, 30, 4, null);
        double[] ne = AnomalyScores.score(vae, test(), n(), ScoreMethod.NEG_ELBO, 30, 4, null);
        // −ELBO = E[−log p(x|z)] + KL with KL ≥ 0
        for (int i = 0; i < rp.length; i++) {
            assertThat(rp[i]).isLessThan(ne[i] + 0.5);
        }
        assertThat(java.util.Arrays.stream(ne).average().orElseThrow())
                .isGreaterThan(java.util.Arrays.stream(rp).average().orElseThrow());
    }

    @Test
    void reconErrorIsTheSquaredErrorOfTheReconstruction() {
        double[] s = AnomalyScores.score(ae, test(), n(), ScoreMethod.RECON_ERROR, 1, 1, null);
        float[] x = DATA.test().record(3);
        float[] r = ae.reconstruct(x, 1);
        double sse = 0;
        for (int j = 0; j < x.length; j++) {
            sse += (r[j] - x[j]) * (double) (r[j] - x[j]);
        }
        assertThat(s[3]).isCloseTo(sse, within(1e-3 * sse + 1e-4));
    }

    @Test
    void everyMethodSeparatesTheOppositeQuadrant() {
        boolean[] anomalous = new boolean[n()];
        int[] labels = DATA.test().labels();
        int keep = 0;
        int[] idx = new int[n()];
        for (int i = 0; i < n(); i++) {
            if (labels[i] == 0 || labels[i] == 3) { // top-left (normal) vs bottom-right
                idx[keep] = i;
                anomalous[keep++] = labels[i] == 3;
            }
        }
        var ds = DATA.test().subset(java.util.Arrays.copyOf(idx, keep));
        boolean[] y = java.util.Arrays.copyOf(anomalous, keep);
        for (ScoreMethod m : ScoreMethod.values()) {
            double[] s = AnomalyScores.score(m == ScoreMethod.RECON_ERROR ? ae : vae, ds.materialize().data(), keep, m, 20, 1, null);
            assertThat(RankingMetrics.rocAuc(s, y)).as(m.id()).isGreaterThan(0.9);
        }
    }

    @Test
    void methodsThatNeedAPosteriorAreRefusedForAnAutoencoderNamingTheValidOnes() {
        assertThatThrownBy(() -> AnomalyScores.score(ae, test(), n(), ScoreMethod.IW_NLL, 10, 1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'iw-nll' needs a variational model").hasMessageContaining("valid: recon-error");
        assertThat(AnomalyScores.validFor(vae)).hasSize(4);
        assertThatThrownBy(() -> ScoreMethod.byId("nope")).hasMessageContaining("valid: neg-elbo, iw-nll, recon-prob, recon-error");
        assertThatThrownBy(() -> AnomalyScores.score(vae, test(), n(), ScoreMethod.NEG_ELBO, 0, 1, null)).hasMessageContaining(">= 1");
        assertThat(new LabelFilter(List.of("tl"), List.of()).apply(DATA.test(), "test").size()).isLessThan(n());
    }

    static double meanAbsDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }
}
