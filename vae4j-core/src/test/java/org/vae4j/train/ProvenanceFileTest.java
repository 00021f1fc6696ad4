package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Provenance;
import org.vae4j.model.VaeModel;

/** provenance.json as a user reads it: whole numbers whole, one value for the threads, older files still readable. */
class ProvenanceFileTest {

    @Test
    void wholeNumbersAreWrittenWholeAndTheThreadsAgree(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        // threads 0: the engine's default, the setting whose 0 used to stand beside the threads actually used
        try (VaeModel m = Training.of(TrainingTest.mlp(), TrainingTest.cfg(1).withThreads(0)).data(TrainingTest.DATA, "blobs")
                .runDirectory(run).fit()) {
            assertThat(m.parameterCount()).isPositive();
        }
        String text = Files.readString(run.resolve(ModelStore.PROVENANCE), StandardCharsets.UTF_8);
        JsonNode p = new ObjectMapper().readTree(text);
        JsonNode training = p.get("training");
        for (String whole : new String[] {"epochs", "batchSize", "seed", "threads", "klWarmupEpochs", "evalBatchSize"}) {
            assertThat(training.get(whole).isIntegralNumber()).as("training.%s in %s", whole, text).isTrue();
        }
        assertThat(training.get("epochs").asInt()).isEqualTo(1);
        assertThat(text).doesNotContain("\"epochs\": 1.0").doesNotContain("\"threads\": 0");
        assertThat(p.get("threads").asInt()).isPositive();
        assertThat(training.get("threads").asInt()).isEqualTo(p.get("threads").asInt());
    }

    @Test
    void aProvenanceFileWithFloatsForWholeNumbersStillLoads(@TempDir Path dir) throws Exception {
        // as vae4j wrote them before: the training settings' whole numbers as floats, threads 0.0 beside the threads used
        Files.writeString(dir.resolve(ModelStore.PROVENANCE), """
                {
                  "vae4jVersion": "0.1.0-SNAPSHOT",
                  "djlVersion": "0.35.1",
                  "engine": "PyTorch 2.7.1",
                  "java": "Debian 17.0.15",
                  "os": "Linux amd64",
                  "seed": 1,
                  "threads": 2,
                  "dataName": "shapes",
                  "dataSpec": "shapes",
                  "dataHash": "ab",
                  "started": "2026-12-03T08:01:04.675072517Z",
                  "finished": "2026-12-03T08:01:19.798423240Z",
                  "epochs": 12,
                  "training": {
                    "epochs": 12.0,
                    "batchSize": 100.0,
                    "lr": 0.001,
                    "threads": 0.0,
                    "onNan": "stop"
                  },
                  "finalMetrics": {
                    "test_neg_elbo": 175.4
                  }
                }
                """);
        Provenance p = ModelStore.readProvenance(dir);
        assertThat(p.epochs()).isEqualTo(12);
        assertThat(p.threads()).isEqualTo(2);
        assertThat(((Number) p.training().get("epochs")).intValue()).isEqualTo(12);
        assertThat(p.finalMetrics()).containsEntry("test_neg_elbo", 175.4);
    }
}
