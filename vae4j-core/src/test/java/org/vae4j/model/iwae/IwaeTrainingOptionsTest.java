package org.vae4j.model.iwae;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelVariants;
import org.vae4j.model.VaeModel;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/** The IWAE trains on L_K alone, so options that weight a KL term are refused rather than silently ignored. */
class IwaeTrainingOptionsTest {
    static final DataSplits DATA = TestData.splits(64, 16, 1, 8);

    static ModelConfig iwae(double beta) {
        Record settings = ModelVariants.get("iwae").settings(Map.of("iw-samples", "3"), 0);
        return new ModelConfig(ModelConfig.FORMAT_VERSION, "iwae", List.of(1, 8, 8), 2, ArchConfig.mlp(16), "bernoulli", 1, beta,
                DataTransform.NONE, settings);
    }

    @Test
    void betaWarmupAndFreeBitsAreRefused() {
        TrainConfig one = TrainConfig.defaults().withEpochs(1).withBatchSize(16);
        assertThatThrownBy(() -> Training.of(iwae(4), one).data(DATA, "blobs").fit())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--beta, --kl-warmup and --free-bits do not apply");
        assertThatThrownBy(() -> Training.of(iwae(1), one.withRegularisation(2, 0, 0)).data(DATA, "blobs").fit())
                .hasMessageContaining("do not apply");
        assertThatThrownBy(() -> Training.of(iwae(1), one.withRegularisation(0, 0.5, 0)).data(DATA, "blobs").fit())
                .hasMessageContaining("do not apply");
        assertThatCode(() -> {
            try (VaeModel m = Training.of(iwae(1), one.withRegularisation(0, 0, 1.0)).data(DATA, "blobs").fit()) {
                // clipping is not a KL option: accepted
            }
        }).doesNotThrowAnyException();
    }
}
