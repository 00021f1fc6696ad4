package org.vae4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.CvaeFixture;
import org.vae4j.data.ArrayDataset;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.UnsupportedCapabilityException;
import org.vae4j.model.VaeModel;

/** A conditional model evaluated with labels: figures per label, and the model as a generative classifier. */
class ConditionalEvaluationTest {
    static VaeModel cvae;

    @BeforeAll
    static void train() {
        cvae = CvaeFixture.train();
    }

    @AfterAll
    static void close() {
        cvae.close();
    }

    @Test
    void evaluationWithLabelsGivesFiguresPerLabelThatAverageToTheTotal() {
        ArrayDataset test = CvaeFixture.DATA.test().materialize();
        int n = test.size();
        EvaluationResult r = Evaluator.evaluate(cvae, test.data(), test.labels(), n, 32, 3);
        assertThat(r.perClass()).extracting(EvaluationResult.ClassFigures::label).containsExactly(0, 1, 2, 3);
        long count = 0;
        double weighted = 0;
        for (EvaluationResult.ClassFigures c : r.perClass()) {
            int label = c.label();
            assertThat(c.count()).isEqualTo(java.util.Arrays.stream(test.labels()).filter(y -> y == label).count());
            assertThat(c.negElbo()).isCloseTo(c.recon() + c.kl(), within(1e-9));
            count += c.count();
            weighted += c.negElbo() * c.count();
        }
        assertThat(count).isEqualTo(n);
        assertThat(weighted / n).isCloseTo(r.negElbo(), within(1e-6));
        // a record's −ELBO with its label is the per-record score of the same draw: one label's mean is theirs
        double[] perRecord = org.vae4j.anomaly.AnomalyScores.score(cvae, test.data(), test.labels(), n,
                org.vae4j.anomaly.ScoreMethod.NEG_ELBO, 1, 3, null);
        double sum0 = 0;
        for (int i = 0; i < n; i++) {
            sum0 += test.labels()[i] == 0 ? perRecord[i] : 0;
        }
        assertThat(sum0 / r.perClass().get(0).count()).isCloseTo(r.perClass().get(0).negElbo(), within(1e-4));
        // the wrong labels make the records less likely: the condition is used
        int[] wrong = new int[n];
        for (int i = 0; i < n; i++) {
            wrong[i] = 3 - test.labels()[i];
        }
        assertThat(Evaluator.evaluate(cvae, test.data(), wrong, n, 32, 3).negElbo()).isGreaterThan(r.negElbo() + 20);
        // an unconditional model is evaluated without labels: nothing per label
        try (VaeModel vae = VaeModel.create(ModelConfig.vae(List.of(1, 12, 12), 4, ArchConfig.mlp(16), "bernoulli", 1.0), 1)) {
            assertThat(Evaluator.evaluate(vae, test.data(), n, 32, 3).perClass()).isEmpty();
        }
        assertThatThrownBy(() -> Evaluator.evaluate(cvae, test.data(), null, n, 32, 3)).hasMessageContaining("conditional");
    }

    @Test
    void logPriorIsTheSmoothedTrainingFrequency() {
        double[] lp = GenerativeClassifier.logPrior(new int[] {0, 0, 0, 1}, 3);
        // (count + 1) / (N + classes): 4/7, 2/7, 1/7
        assertThat(lp[0]).isCloseTo(Math.log(4.0 / 7), within(1e-12));
        assertThat(lp[1]).isCloseTo(Math.log(2.0 / 7), within(1e-12));
        assertThat(lp[2]).isCloseTo(Math.log(1.0 / 7), within(1e-12));
        assertThatThrownBy(() -> GenerativeClassifier.logPrior(new int[] {3}, 3)).hasMessageContaining("out of range 0..2");
    }

    @Test
    void theCvaeClassifiesBlobsByQuadrantAndItsFiguresAddUp() {
        ArrayDataset test = CvaeFixture.DATA.test().materialize();
        int n = test.size();
        double[] lp = GenerativeClassifier.logPrior(CvaeFixture.DATA.train().labels(), 4);
        int[] seen = new int[1];
        GenerativeClassifier.Result r = GenerativeClassifier.classify(cvae, test.data(), test.labels(), n, lp, 20, 5,
                done -> seen[0] = Math.max(seen[0], done));
        assertThat(seen[0]).isEqualTo(n);
        assertThat(r.n()).isEqualTo(n);
        assertThat(r.iwSamples()).isEqualTo(20);
        // the label is where the blob is: the classifier must get nearly all right
        assertThat(r.accuracy()).isGreaterThanOrEqualTo(0.95);
        long total = 0;
        long diagonal = 0;
        for (int t = 0; t < 4; t++) {
            for (int p = 0; p < 4; p++) {
                total += r.confusion()[t][p];
            }
            diagonal += r.confusion()[t][t];
            int label = t;
            assertThat(r.count(t)).isEqualTo(java.util.Arrays.stream(test.labels()).filter(y -> y == label).count());
        }
        assertThat(total).isEqualTo(n);
        assertThat(r.correct()).isEqualTo(diagonal);

        // −log Σ_y p(x|y)p(y) is at most −log p(x|y_true)p(y_true), record by record, so also on average
        double[] nllTrue = Evaluator.importanceWeightedNllPerRecord(cvae, test.data(), test.labels(), n, 20, 5, null);
        double bound = 0;
        for (int i = 0; i < n; i++) {
            bound += (nllTrue[i] - lp[test.labels()[i]]) / n;
        }
        assertThat(r.meanNll()).isLessThanOrEqualTo(bound).isGreaterThan(bound - Math.log(4) - 1e-9);

        // predictions are per record: the same in any order and through the streaming path
        int[] predicted = GenerativeClassifier.predict(cvae, test.data(), n, lp, 20, 5);
        int[] reversed = new int[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = n - 1 - i;
        }
        ArrayDataset back = test.subset(reversed);
        int[] predictedBack = GenerativeClassifier.predict(cvae, back.data(), n, lp, 20, 5);
        long correct = 0;
        for (int i = 0; i < n; i++) {
            assertThat(predictedBack[n - 1 - i]).isEqualTo(predicted[i]);
            correct += predicted[i] == test.labels()[i] ? 1 : 0;
        }
        assertThat(correct).isEqualTo(r.correct());
        GenerativeClassifier.Result streamed = GenerativeClassifier.classify(cvae, EvaluatorTest.streamed(test), null, lp, 20, 5, null);
        assertThat(streamed.correct()).isEqualTo(r.correct());
        assertThat(streamed.meanNll()).isCloseTo(r.meanNll(), within(1e-6));
        // with records estimated two at a time: the same classification
        GenerativeClassifier.Result two = GenerativeClassifier.classify(cvae, test.data(), test.labels(), n, lp, 20, 5, null, 2);
        assertThat(two.confusion()).isDeepEqualTo(r.confusion());
        assertThat(two.meanNll()).isCloseTo(r.meanNll(), within(1e-6));
        GenerativeClassifier.Result twoStreamed = GenerativeClassifier.classify(cvae, EvaluatorTest.streamed(test), null, lp, 20, 5, null, 2);
        assertThat(twoStreamed.confusion()).isDeepEqualTo(r.confusion());
    }

    @Test
    void onlyConditionalModelsClassify() {
        try (VaeModel vae = VaeModel.create(ModelConfig.vae(List.of(1, 12, 12), 4, ArchConfig.mlp(16), "bernoulli", 1.0), 1)) {
            assertThatThrownBy(() -> GenerativeClassifier.predict(vae, new float[144], 1, new double[] {0}, 5, 1))
                    .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("condition on a label");
        }
        assertThatThrownBy(() -> GenerativeClassifier.predict(cvae, new float[144], 1, new double[3], 5, 1))
                .hasMessage("log p(y) must have one value per class (4)");
        assertThatThrownBy(() -> GenerativeClassifier.predict(cvae, new float[144], 1, new double[4], 0, 1))
                .hasMessage("--iw-samples must be >= 1, got 0");
    }
}
