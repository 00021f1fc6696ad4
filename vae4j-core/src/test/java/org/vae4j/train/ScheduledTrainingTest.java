package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.CvaeFixture;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.ModelVariants;
import org.vae4j.model.VaeModel;

/** A learning-rate schedule changes training, is stored in train.json, and resumes bit-identically. */
class ScheduledTrainingTest {
    static final ModelConfig CONFIG = new ModelConfig(ModelConfig.FORMAT_VERSION, "vae", List.of(1, 12, 12), 2, ArchConfig.mlp(32),
            "bernoulli", 0.1, 1.0, DataTransform.NONE, ModelVariants.get("vae").settings(Map.of(), 4));

    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void aScheduledRunKilledInItsLastEpochResumesBitIdentically(@TempDir Path tmp) throws Exception {
        TrainConfig tc = TrainConfig.defaults().withEpochs(3).withBatchSize(64).withThreads(1).withSeed(5).withLr(5e-3)
                .withLrSchedule("burda");
        Path whole = tmp.resolve("whole");
        Training.of(CONFIG, tc).data(CvaeFixture.DATA, "blobs").runDirectory(whole).fit().close();
        assertThat(Files.readString(whole.resolve(Training.STATE))).contains("\"lrSchedule\": \"burda\"");

        Path constant = tmp.resolve("constant");
        Training.of(CONFIG, tc.withLrSchedule("constant")).data(CvaeFixture.DATA, "blobs").runDirectory(constant).fit().close();
        assertThat(Files.readString(constant.resolve(Training.STATE))).doesNotContain("lrSchedule");
        // epoch 1 runs at the base rate under both; later epochs at lower rates: the same first epoch, other weights
        List<EpochMetrics> a = EpochMetrics.readCsv(whole.resolve(Training.METRICS));
        List<EpochMetrics> b = EpochMetrics.readCsv(constant.resolve(Training.METRICS));
        assertThat(a.get(0).trainLoss()).isEqualTo(b.get(0).trainLoss());
        assertThat(a.get(2).trainLoss()).isNotEqualTo(b.get(2).trainLoss());
        assertThat(Files.readAllBytes(whole.resolve(ModelStore.WEIGHTS))).isNotEqualTo(Files.readAllBytes(constant.resolve(ModelStore.WEIGHTS)));

        Path killed = tmp.resolve("killed");
        assertThatThrownBy(() -> Training.of(CONFIG, tc).data(CvaeFixture.DATA, "blobs").runDirectory(killed).listener(new TrainingListener() {
            @Override
            public void batch(int epoch, int batch, int batches, double loss, double recon, double kl, double imagesPerSecond) {
                if (epoch == 3 && batch == 2) {
                    throw new Killed();
                }
            }
        }).fit()).isInstanceOf(Killed.class);
        try (VaeModel m = Training.resume(killed, CvaeFixture.DATA, 0, TrainingListener.NONE)) {
            assertThat(m.parameterCount()).isPositive();
        }
        assertThat(Files.readAllBytes(killed.resolve(ModelStore.WEIGHTS))).isEqualTo(Files.readAllBytes(whole.resolve(ModelStore.WEIGHTS)));
    }
}
