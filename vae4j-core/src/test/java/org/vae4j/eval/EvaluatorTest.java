package org.vae4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vae4j.TestData;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.BatchReader;
import org.vae4j.data.DataSplits;
import org.vae4j.data.Dataset;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

class EvaluatorTest {
    static final DataSplits DATA = TestData.splits(400, 100, 1, 12);
    static VaeModel model;

    @BeforeAll
    static void train() {
        ModelConfig mc = ModelConfig.vae(List.of(1, 12, 12), 6, ArchConfig.mlp(64), "bernoulli", 1.0);
        model = Training.of(mc, TrainConfig.defaults().withEpochs(3).withBatchSize(32).withThreads(1)).data(DATA, "blobs").fit();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void elboPartsAddUpAndKlPerDimensionSumsToKl() {
        float[] x = DATA.test().materialize().data();
        EvaluationResult r = Evaluator.evaluate(model, x, 100, 32, 3);
        assertThat(r.n()).isEqualTo(100);
        assertThat(r.negElbo()).isCloseTo(r.recon() + r.kl(), within(1e-6));
        assertThat(java.util.Arrays.stream(r.klPerDimension()).sum()).isCloseTo(r.kl(), within(1e-3 * Math.max(1, r.kl())));
        assertThat(r.klPerDimension()).hasSize(6);
        assertThat(java.util.Arrays.stream(r.klPerDimension()).allMatch(v -> v >= 0)).isTrue();
        assertThat(r.activeUnits()).isBetween(0, 6);
        long countAbove = java.util.Arrays.stream(r.meanVariance()).filter(v -> v > EvaluationResult.ACTIVE_UNIT_THRESHOLD).count();
        assertThat(r.activeUnits()).isEqualTo((int) countAbove);
        // same seed, same numbers; batch size does not matter beyond float rounding
        EvaluationResult again = Evaluator.evaluate(model, x, 100, 32, 3);
        assertThat(again.negElbo()).isEqualTo(r.negElbo());
    }

    /** The same records behind the {@link Dataset} interface only, so the evaluator takes its streaming path. */
    static Dataset streamed(ArrayDataset a) {
        return new Dataset() {
            @Override public String name() { return a.name(); }
            @Override public int size() { return a.size(); }
            @Override public int[] shape() { return a.shape(); }
            @Override public int featureSize() { return a.featureSize(); }
            @Override public int[] labels() { return a.labels(); }
            @Override public List<String> labelNames() { return a.labelNames(); }
            @Override public java.util.Map<String, int[]> factors() { return a.factors(); }
            @Override public String recordId(int i) { return a.recordId(i); }
            @Override public String contentHash() { return a.contentHash(); }
            @Override public void copyRecord(int i, float[] dst, int off) { a.copyRecord(i, dst, off); }
            @Override public Dataset subset(int[] indices) { return streamed(a.subset(indices)); }
            @Override public Dataset head(int n) { return streamed(a.head(n)); }
            @Override public ArrayDataset materialize() { return a; }
        };
    }

    @Test
    void streamedEvaluationEqualsInMemoryEvaluation() {
        ArrayDataset test = DATA.test().materialize();
        EvaluationResult mem = Evaluator.evaluate(model, test.data(), 100, 32, 3);
        EvaluationResult str = Evaluator.evaluate(model, streamed(test), null, 32, 3);
        assertThat(str.negElbo()).isEqualTo(mem.negElbo());
        assertThat(str.klPerDimension()).containsExactly(mem.klPerDimension());
        assertThat(str.activeUnits()).isEqualTo(mem.activeUnits());
        double iwMem = Evaluator.importanceWeightedNll(model, test.data(), 100, 20, 5, null);
        java.util.List<Integer> progress = new java.util.ArrayList<>();
        double iwStr = Evaluator.importanceWeightedNll(model, streamed(test), null, 20, 5, progress::add);
        assertThat(iwStr).isEqualTo(iwMem);
        assertThat(progress).last().isEqualTo(100);
        // per-record binarisation depends on the record, not on the batch it is read in
        BatchReader.Transform bin = org.vae4j.train.Inputs.perRecordBernoulli(true, 7);
        float[] a = test.record(5);
        float[] b = test.record(5);
        bin.apply(5, a, 0, a.length);
        bin.apply(5, b, 0, b.length);
        assertThat(a).containsExactly(b);
        for (float v : a) {
            assertThat(v).isIn(0f, 1f);
        }
        assertThat(org.vae4j.train.Inputs.perRecordBernoulli(false, 7)).isNull();
    }

    /** IWAE bound: K = 1 estimates the ELBO; larger K gives a tighter (lower) NLL estimate. */
    @Test
    void importanceWeightingTightensTheBound() {
        float[] x = DATA.test().materialize().data();
        EvaluationResult r = Evaluator.evaluate(model, x, 100, 100, 11);
        double k1 = Evaluator.importanceWeightedNll(model, x, 100, 1, 11, null);
        double k200 = Evaluator.importanceWeightedNll(model, x, 100, 200, 11, null);
        assertThat(k1).isCloseTo(r.negElbo(), within(0.05 * Math.abs(r.negElbo()) + 1));
        assertThat(k200).isLessThan(k1);
        assertThat(k200).isLessThan(r.negElbo());
        // chunking over samples (K larger than one pass holds) gives a consistent value
        double big = Evaluator.importanceWeightedNll(model, x, 3, 9000, 5, null);
        assertThat(big).isFinite();
        EvaluationResult withIw = r.withIw(k200, 200, 144);
        assertThat(withIw.bitsPerDim()).isCloseTo(k200 / (144 * Math.log(2)), within(1e-12));
    }

    @Test
    void importanceWeightingNeedsAVariationalModel() {
        ModelConfig ae = ModelConfig.autoencoder(List.of(1, 12, 12), 2, ArchConfig.mlp(8), "mse");
        try (VaeModel m = VaeModel.create(ae, 1)) {
            assertThatThrownBy(() -> Evaluator.importanceWeightedNll(m, DATA.test().materialize().data(), 10, 5, 1, null))
                    .hasMessageContaining("cannot estimate log p(x) by importance sampling");
        }
    }
}
