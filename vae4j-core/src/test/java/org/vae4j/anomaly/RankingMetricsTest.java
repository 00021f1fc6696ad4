package org.vae4j.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    static final boolean T = true;
    static final boolean F = false;

    @Test
    void scikitLearnsDocumentedExample() {
        // sklearn's docs: y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8] → ROC-AUC 0.75, AP 0.8333
        double[] s = {0.1, 0.4, 0.35, 0.8};
        boolean[] y = {F, F, T, T};
        assertThat(RankingMetrics.rocAuc(s, y)).isCloseTo(0.75, within(1e-12));
        assertThat(RankingMetrics.averagePrecision(s, y)).isCloseTo(5.0 / 6, within(1e-12));
    }

    @Test
    void tiesCountHalf() {
        // pairs (pos, neg): (2 vs 1) win, (2 vs 2) tie, (3 vs 1) win, (3 vs 2) win → 3.5 / 4
        double[] s = {1, 2, 2, 3};
        boolean[] y = {F, F, T, T};
        assertThat(RankingMetrics.rocAuc(s, y)).isCloseTo(3.5 / 4, within(1e-12));
        assertThat(RankingMetrics.rocAuc(new double[] {5, 5, 5}, new boolean[] {T, F, F})).isEqualTo(0.5);
        // one threshold at 2 takes both tied records: precision 1/2 at recall 1/2, after 3 at precision 1
        assertThat(RankingMetrics.averagePrecision(s, y)).isCloseTo(0.5 * 1 + 0.5 * (2.0 / 3), within(1e-12));
    }

    @Test
    void perfectAndReversedRankings() {
        double[] s = {0.1, 0.2, 0.9, 0.95};
        assertThat(RankingMetrics.rocAuc(s, new boolean[] {F, F, T, T})).isEqualTo(1.0);
        assertThat(RankingMetrics.averagePrecision(s, new boolean[] {F, F, T, T})).isEqualTo(1.0);
        assertThat(RankingMetrics.rocAuc(s, new boolean[] {T, T, F, F})).isEqualTo(0.0);
        // reversed: positives at ranks 3 and 4 → precision 1/3 at recall 1/2, 2/4 at recall 1
        assertThat(RankingMetrics.averagePrecision(s, new boolean[] {T, T, F, F})).isCloseTo(0.5 / 3 + 0.5 * 0.5, within(1e-12));
    }

    @Test
    void rocCurveRunsFromOriginToOneOnePerDistinctThreshold() {
        RankingMetrics.Curve c = RankingMetrics.rocCurve(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {F, F, T, T});
        assertThat(c.fpr()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(c.tpr()).containsExactly(0, 0.5, 0.5, 1, 1);
        RankingMetrics.Curve tied = RankingMetrics.rocCurve(new double[] {1, 1, 1}, new boolean[] {T, F, F});
        assertThat(tied.fpr()).containsExactly(0, 1);
        assertThat(tied.tpr()).containsExactly(0, 1);
    }

    @Test
    void rejectsOneClassNonFiniteScoresAndLengthMismatch() {
        assertThatThrownBy(() -> RankingMetrics.rocAuc(new double[] {1, 2}, new boolean[] {T, T}))
                .hasMessageContaining("both normal and anomalous");
        assertThatThrownBy(() -> RankingMetrics.rocAuc(new double[] {1, Double.NaN}, new boolean[] {T, F}))
                .hasMessageContaining("record 1 is not finite");
        assertThatThrownBy(() -> RankingMetrics.averagePrecision(new double[] {1}, new boolean[] {T, F}))
                .hasMessageContaining("1 scores but 2 labels");
    }

    @Property(tries = 200)
    void aucMatchesThePairCountAndFlipsWithTheScores(@ForAll("scores") double[] s, @ForAll @IntRange(min = 1, max = 1000) int seed) {
        boolean[] y = new boolean[s.length];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextBoolean();
        }
        y[0] = true;
        y[1] = false;
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] && !y[j]) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        double auc = RankingMetrics.rocAuc(s, y);
        assertThat(auc).isCloseTo(wins / pairs, within(1e-9));
        double[] neg = java.util.Arrays.stream(s).map(v -> -v).toArray();
        assertThat(RankingMetrics.rocAuc(neg, y)).isCloseTo(1 - auc, within(1e-9));
        double ap = RankingMetrics.averagePrecision(s, y);
        assertThat(ap).isGreaterThan(0).isLessThanOrEqualTo(1 + 1e-12);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<double[]> scores() {
        // few distinct values so that ties are common
        return net.jqwik.api.Arbitraries.integers().between(0, 5).map(i -> (double) i).array(double[].class).ofMinSize(2).ofMaxSize(40);
    }
}
