package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;

class TrainingTest {
    static final DataSplits DATA = TestData.splits(300, 60, 1, 12);

    static ModelConfig mlp() {
        return ModelConfig.vae(List.of(1, 12, 12), 4, ArchConfig.mlp(48), "bernoulli", 1.0);
    }

    static TrainConfig cfg(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(32).withThreads(1).withSeed(5);
    }

    static List<EpochMetrics> collect(Training t, List<EpochMetrics> rows) {
        t.listener(new TrainingListener() {
            @Override
            public void epoch(EpochMetrics m) {
                rows.add(m);
            }
        });
        return rows;
    }

    static Map<String, float[]> weights(VaeModel m) {
        Map<String, float[]> w = new java.util.LinkedHashMap<>();
        m.parameters().forEach((k, v) -> w.put(k, v.toFloatArray()));
        return w;
    }

    @Test
    void resumedRunEndsBitIdenticalToAnUninterruptedOne(@TempDir Path tmp) {
        Path full = tmp.resolve("full");
        Path part = tmp.resolve("part");
        List<EpochMetrics> a = new ArrayList<>();
        Map<String, float[]> wa;
        Training ta = Training.of(mlp(), cfg(3)).data(DATA, "blobs").runDirectory(full);
        collect(ta, a);
        try (VaeModel m = ta.fit()) {
            wa = weights(m);
        }
        try (VaeModel m = Training.of(mlp(), cfg(2)).data(DATA, "blobs").runDirectory(part).fit()) {
            assertThat(m.parameterCount()).isPositive();
        }
        Map<String, float[]> wb;
        try (VaeModel m = Training.resume(part, DATA, 3, null)) {
            wb = weights(m);
        }
        assertThat(wb.keySet()).isEqualTo(wa.keySet());
        wa.forEach((k, v) -> assertThat(wb.get(k)).as(k).containsExactly(v));
        List<EpochMetrics> b = EpochMetrics.readCsv(part.resolve(Training.METRICS));
        assertThat(b).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(b.get(i).testNegElbo()).isEqualTo(Math.round(a.get(i).testNegElbo() * 1e6) / 1e6);
            assertThat(b.get(i).trainLoss()).isEqualTo(Math.round(a.get(i).trainLoss() * 1e6) / 1e6);
        }
        // the run directory is a loadable model with the final weights
        try (VaeModel loaded = ModelStore.load(part)) {
            weights(loaded).forEach((k, v) -> assertThat(v).as(k).containsExactly(wa.get(k)));
        }
    }

    @Test
    void lossesDoNotDependOnGarbageCollectionTiming() {
        List<EpochMetrics> normal = new ArrayList<>();
        List<EpochMetrics> pressured = new ArrayList<>();
        try (VaeModel m = collect0(Training.of(mlp(), cfg(2)).data(DATA, "blobs"), normal).fit()) {
            assertThat(m).isNotNull();
        }
        SingleOptimizerStep.gcBetweenForwardAndBackward = true;
        try (VaeModel m = collect0(Training.of(mlp(), cfg(2)).data(DATA, "blobs"), pressured).fit()) {
            assertThat(m).isNotNull();
        } finally {
            SingleOptimizerStep.gcBetweenForwardAndBackward = false;
        }
        for (int i = 0; i < 2; i++) {
            assertThat(pressured.get(i).trainLoss()).isEqualTo(normal.get(i).trainLoss());
            assertThat(pressured.get(i).testNegElbo()).isEqualTo(normal.get(i).testNegElbo());
        }
    }

    private static Training collect0(Training t, List<EpochMetrics> rows) {
        collect(t, rows);
        return t;
    }

    @Test
    void refusesToOverwriteAnExistingRunWithoutForce(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> Training.of(mlp(), cfg(1)).data(DATA, "blobs").runDirectory(run).fit())
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readString(run.resolve("precious.txt"))).isEqualTo("keep me");
    }

    @Test
    void resumeRefusesOtherData(@TempDir Path tmp) {
        Path run = tmp.resolve("run");
        try (VaeModel m = Training.of(mlp(), cfg(1)).data(DATA, "blobs").runDirectory(run).fit()) {
            assertThat(m).isNotNull();
        }
        DataSplits other = new DataSplits(TestData.blobs("blobs", 300, 1, 12, 99), DATA.test());
        assertThatThrownBy(() -> Training.resume(run, other, 2, null))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("the data differ");
    }

    @Test
    void aCorruptNewestCheckpointFallsBackToThePreviousWithAWarning(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        try (VaeModel m = Training.of(mlp(), cfg(2)).data(DATA, "blobs").runDirectory(run).fit()) {
            assertThat(m).isNotNull();
        }
        Path newest = run.resolve("checkpoints/epoch-0002.safetensors");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(newest, bytes);
        List<String> warnings = new ArrayList<>();
        Checkpoints.Loaded c = Checkpoints.latest(run, warnings::add);
        assertThat(c.epoch()).isEqualTo(1);
        assertThat(warnings).singleElement().asString().contains("checksum mismatch").contains("epoch-0002");
    }

    @Test
    void nonFiniteLossStopsWithEpochAndBatchOrIsSkipped() {
        // record 40 is all ones: the test-only variant makes the loss of its batch NaN
        float[] values = DATA.train().materialize().data().clone();
        int d = DATA.train().featureSize();
        java.util.Arrays.fill(values, 40 * d, 41 * d, 1f);
        org.vae4j.data.ArrayDataset marked = new org.vae4j.data.ArrayDataset("marked", values, DATA.train().shape(),
                DATA.train().labels(), DATA.train().labelNames(), Map.of());
        DataSplits data = new DataSplits(marked, DATA.test());
        ModelConfig probe = new ModelConfig(ModelConfig.FORMAT_VERSION, "test-nan-probe", List.of(1, 12, 12), 4,
                ArchConfig.mlp(48), "bernoulli", 1, 1, null);
        assertThatThrownBy(() -> Training.of(probe, cfg(1)).data(data, "marked").fit())
                .isInstanceOf(TrainingException.class)
                .hasMessageMatching("non-finite loss at epoch 1, batch \\d+.*");
        List<EpochMetrics> rows = new ArrayList<>();
        try (VaeModel m = collect0(Training.of(probe, cfg(1).withOnNan("skip-batch")).data(data, "marked"), rows).fit()) {
            assertThat(rows.get(0).skippedBatches()).isEqualTo(1);
            assertThat(rows.get(0).testNegElbo()).isFinite();
        }
    }

    @Test
    void dynamicBinarisationTrainsOnBinaryDataAndRecordsTheTransform(@TempDir Path tmp) throws Exception {
        ModelConfig mc = mlp().withTransform(new org.vae4j.model.DataTransform("dynamic"));
        List<EpochMetrics> rows = new ArrayList<>();
        Path run = tmp.resolve("run");
        try (VaeModel m = collect0(Training.of(mc, cfg(2)).data(DATA, "blobs").runDirectory(run), rows).fit()) {
            assertThat(rows.get(1).testNegElbo()).isLessThan(rows.get(0).testNegElbo());
        }
        assertThat(ModelStore.readConfig(run).transform().binarize()).isEqualTo("dynamic");
    }
}
