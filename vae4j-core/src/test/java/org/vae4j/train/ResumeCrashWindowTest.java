package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.io.SafeTensors;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.VaeModel;

/**
 * A kill between an epoch's checkpoint and the model files written after it. Each epoch writes, in order, its
 * checkpoint, then config.json, weights.safetensors, provenance.json and metrics.csv. After the last epoch's
 * checkpoint, a resume finds nothing left to train; it must still publish the final model, or the run directory
 * keeps the previous epoch's weights and metrics while claiming to be complete.
 */
class ResumeCrashWindowTest {
    static final DataSplits DATA = TestData.splits(256, 64, 1, 12);
    static final ModelConfig MODEL = ModelConfig.vae(List.of(1, 12, 12), 4, ArchConfig.mlp(48), "bernoulli", 1.0);

    static void train(Path run, int epochs) {
        TrainConfig tc = TrainConfig.defaults().withEpochs(epochs).withBatchSize(32).withThreads(1).withSeed(5);
        try (VaeModel m = Training.of(MODEL, tc).data(DATA, "blobs").runDirectory(run).fit()) {
            assertThat(m.parameterCount()).isPositive();
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void killedAfterTheLastCheckpointButBeforeTheModelFilesResumesToTheFinalModel(@TempDir Path tmp) throws Exception {
        Path full = tmp.resolve("full");
        train(full, 3);
        Path two = tmp.resolve("two");
        train(two, 2); // same seed: its model files are exactly what the 3-epoch run had written after epoch 2

        // the state of the 3-epoch run killed right after checkpoints/epoch-0003 was renamed into place
        Path crashed = tmp.resolve("crashed");
        copyTree(full, crashed);
        for (String f : List.of(ModelStore.WEIGHTS, ModelStore.PROVENANCE, Training.METRICS)) {
            Files.copy(two.resolve(f), crashed.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(EpochMetrics.readCsv(crashed.resolve(Training.METRICS))).hasSize(2);

        try (VaeModel m = Training.resume(crashed, DATA, 0, null)) {
            assertThat(m.parameterCount()).isPositive();
        }

        Map<String, SafeTensors.Tensor> want = SafeTensors.read(full.resolve(ModelStore.WEIGHTS)).tensors();
        Map<String, SafeTensors.Tensor> got = SafeTensors.read(crashed.resolve(ModelStore.WEIGHTS)).tensors();
        assertThat(got).as("weights after resume").isEqualTo(want);
        assertThat(ReproducibilityTest.deterministicMetrics(crashed))
                .isEqualTo(ReproducibilityTest.deterministicMetrics(full)).hasSize(4);
        assertThat(ModelStore.readProvenance(crashed).epochs()).isEqualTo(3);
    }
}
