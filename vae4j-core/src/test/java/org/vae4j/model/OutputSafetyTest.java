package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.TestData;
import org.vae4j.io.ModelFormatException;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;

/**
 * Writing models and runs where it cannot be done, and saves that fail midway.
 *
 * <p>Tests run as root, so permissions cannot make a directory unwritable; a path whose parent is a regular file
 * is unwritable for everyone.
 *
 * <p>What a failure midway through {@link ModelStore#save} can leave: the three files are each replaced atomically
 * (temporary file, fsync, rename), in the order config.json, weights.safetensors, provenance.json, so a crash
 * leaves each file either wholly old or wholly new: (old, old, old), (new, old, old), (new, new, old) or
 * (new, new, new). These tests build every such state, and also produce the second one for real by saving a model
 * whose weights cannot be read, and check that {@link VaeModel#load} either refuses the directory or returns exactly
 * the old or exactly the new model (config and every weight). The one mixed state that loads is (new, new, old)
 * when only provenance.json is stale: the model itself is the new one.
 */
class OutputSafetyTest {
    static final ModelConfig RELU = ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(16), "bernoulli", 1.0);
    /** Same tensor names and shapes as {@link #RELU}, different model. */
    static final ModelConfig TANH = ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(16).withActivation("tanh"),
            "bernoulli", 1.0);

    static Map<String, float[]> weights(VaeModel m) {
        Map<String, float[]> w = new LinkedHashMap<>();
        m.parameters().forEach((k, v) -> w.put(k, v.toFloatArray()));
        return w;
    }

    static void assertOneLine(Throwable e, Path names) {
        assertThat(e.getMessage()).contains(names.toString()).doesNotContain("\n", "\r", "\tat ");
    }

    @Test
    void savingUnderARegularFileFailsWithAOneLineMessage(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path dir = file.resolve("model");
        try (VaeModel m = VaeModel.create(RELU, 1)) {
            assertThatThrownBy(() -> ModelStore.save(m, dir, null))
                    .isInstanceOf(UncheckedIOException.class)
                    .satisfies(e -> assertOneLine(e, dir))
                    .hasMessageContaining("cannot create directory")
                    .hasMessageContaining("Not a directory");
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void trainingUnderARegularFileFailsWithAOneLineMessageBeforeTraining(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path run = file.resolve("run");
        Training t = Training.of(RELU, TrainConfig.defaults().withEpochs(1).withThreads(1))
                .data(TestData.splits(64, 16, 1, 8), "blobs")
                .runDirectory(run);
        assertThatThrownBy(t::fit)
                .isInstanceOf(UncheckedIOException.class)
                .satisfies(e -> assertOneLine(e, run))
                .hasMessageContaining("cannot prepare run directory")
                .hasMessageContaining("Not a directory");
        // and a run directory that is itself a regular file
        assertThatThrownBy(Training.of(RELU, TrainConfig.defaults().withEpochs(1)).data(TestData.splits(64, 16, 1, 8),
                "blobs").runDirectory(file)::fit)
                .hasMessage(file + ": exists and is not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    /** A real failure midway: config.json of the new model is written, then reading its weights fails. */
    @Test
    void aSaveThatFailsAfterConfigJsonLeavesNoLoadableMixOfTwoModels(@TempDir Path tmp) {
        Path dir = tmp.resolve("model");
        Map<String, float[]> old;
        try (VaeModel a = VaeModel.create(RELU, 1)) {
            ModelStore.save(a, dir, null);
            old = weights(a);
        }
        VaeModel b = VaeModel.create(TANH, 2);
        b.close(); // its weights are gone: save writes config.json, then fails reading them
        assertThatThrownBy(() -> ModelStore.save(b, dir, null)).isInstanceOf(IllegalStateException.class);
        assertThat(ModelStore.readConfig(dir)).isEqualTo(TANH); // the new config.json is in place ...

        // ... over the old weights, which fit its shapes exactly: loading must not pass this off as a model
        assertThatThrownBy(() -> VaeModel.load(dir).close())
                .isInstanceOf(ModelFormatException.class)
                .hasMessage(dir.resolve(ModelStore.WEIGHTS) + ": written for a different config.json (was a save "
                        + "interrupted?)");
        // saving again repairs the directory
        try (VaeModel a = VaeModel.create(RELU, 1)) {
            ModelStore.save(a, dir, null);
        }
        try (VaeModel loaded = VaeModel.load(dir)) {
            assertThat(loaded.config()).isEqualTo(RELU);
            weights(loaded).forEach((k, v) -> assertThat(v).as(k).containsExactly(old.get(k)));
        }
    }

    @Test
    void everyStateACrashMidSaveCanLeaveLoadsAsTheOldOrTheNewModelOrNotAtAll(@TempDir Path tmp) throws Exception {
        for (ModelConfig next : List.of(RELU, TANH)) { // same config (what training does each epoch), and another
            Path oldDir = tmp.resolve("old-" + next.arch().activation());
            Path newDir = tmp.resolve("new-" + next.arch().activation());
            Map<String, float[]> oldWeights;
            Map<String, float[]> newWeights;
            Provenance p1 = Provenance.now(1, 1, "blobs", "blobs", "h", java.time.Instant.EPOCH, 1, Map.of(), Map.of());
            Provenance p2 = Provenance.now(1, 1, "blobs", "blobs", "h", java.time.Instant.EPOCH, 2, Map.of(), Map.of());
            try (VaeModel a = VaeModel.create(RELU, 1); VaeModel b = VaeModel.create(next, 2)) {
                ModelStore.save(a, oldDir, p1);
                ModelStore.save(b, newDir, p2);
                oldWeights = weights(a);
                newWeights = weights(b);
            }
            List<String> order = List.of(ModelStore.CONFIG, ModelStore.WEIGHTS, ModelStore.PROVENANCE);
            for (int written = 0; written <= order.size(); written++) {
                Path state = tmp.resolve("state-" + next.arch().activation() + "-" + written);
                Files.createDirectories(state);
                for (int i = 0; i < order.size(); i++) {
                    Path from = (i < written ? newDir : oldDir).resolve(order.get(i));
                    Files.copy(from, state.resolve(order.get(i)), StandardCopyOption.REPLACE_EXISTING);
                }
                String what = next.arch().activation() + " model, " + written + " of 3 files replaced";
                try (VaeModel loaded = VaeModel.load(state)) {
                    Map<String, float[]> w = weights(loaded);
                    boolean isOld = loaded.config().equals(RELU) && sameWeights(w, oldWeights);
                    boolean isNew = loaded.config().equals(next) && sameWeights(w, newWeights);
                    assertThat(isOld || isNew).as("%s loads as a mix", what).isTrue();
                    // same config: the weights decide; provenance.json is stale only in the (new, new, old) state
                    int epochs = ModelStore.readProvenance(state).epochs();
                    assertThat(epochs).as(what).isEqualTo(written == 3 ? 2 : 1);
                } catch (ModelFormatException e) {
                    assertThat(next).as("%s refused: %s", what, e.getMessage()).isEqualTo(TANH);
                    assertThat(written).as(what).isEqualTo(1);
                }
            }
        }
    }

    static boolean sameWeights(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }
}
