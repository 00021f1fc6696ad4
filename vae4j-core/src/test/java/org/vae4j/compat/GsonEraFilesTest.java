package org.vae4j.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vae4j.io.SafeTensors;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.ModelStore;
import org.vae4j.model.Provenance;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Checkpoints;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;
import org.vae4j.util.Json;

/**
 * Files written by the release whose JSON library was Gson ({@link GsonEraFiles}, frozen in
 * {@code src/test/resources/gson-era/}) still load, resume bit for bit, and are written again byte for byte.
 */
class GsonEraFilesTest {
    static final Path ROOT = Path.of("src/test/resources/gson-era");
    static final Path WRITTEN = ROOT.resolve("written");

    static String text(Path f) throws IOException {
        return Files.readString(f, StandardCharsets.UTF_8);
    }

    static ModelConfig config(String file) {
        return switch (file) {
            case "config-vae.json" -> ModelConfig.vae(List.of(1, 28, 28), 20, org.vae4j.model.ArchConfig.mlp(512, 256), "bernoulli", 4.0);
            case "config-ae.json" -> ModelConfig.autoencoder(List.of(784), 2,
                    org.vae4j.model.ArchConfig.mlp(8, 6).withActivation("leaky-relu"), "mse");
            case "config-cvae-conv.json" -> ModelConfig.vae(List.of(3, 16, 16), 5,
                    org.vae4j.model.ArchConfig.conv(List.of(4, 8), 32).withDropout(0.1), "gaussian-fixed", 2.5).withSigma(0.05)
                    .withTransform(new org.vae4j.model.DataTransform("dynamic"))
                    .withModel("cvae", new org.vae4j.model.cvae.CvaeVariant.Settings(10));
            case "config-iwae.json" -> GsonEraFiles.iwae();
            case "config-table.json" -> ModelConfig.tableVae(GsonEraFiles.awkwardTable(), 4, org.vae4j.model.ArchConfig.mlp(16), 1.0e-3);
            default -> throw new IllegalArgumentException(file);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"config-vae.json", "config-ae.json", "config-cvae-conv.json", "config-iwae.json", "config-table.json"})
    void configsReadAndAreWrittenByteForByte(String file) throws IOException {
        String frozen = text(WRITTEN.resolve(file));
        assertThat(Json.readStrict(frozen, ModelConfig.class, file)).as(file).isEqualTo(config(file));
        assertThat(Json.write(config(file))).as(file).isEqualTo(frozen);
    }

    @Test
    void aRunStateReadsAndIsWrittenByteForByte() throws IOException {
        String frozen = text(WRITTEN.resolve("train-state.json"));
        RunState state = Json.readStrict(frozen, RunState.class, "train-state.json");
        assertThat(state.model()).isEqualTo(GsonEraFiles.cvae());
        assertThat(state.training().seed()).isEqualTo(9007199254740993L);
        assertThat(state.training().clipNorm()).isEqualTo(1e-7);
        assertThat(state.selection().onlyLabels()).containsExactly("tl", "br");
        assertThat(Json.write(state)).isEqualTo(frozen);
    }

    @Test
    void aHistoryWithNonFiniteValuesIsWrittenByteForByte() throws IOException {
        assertThat(Json.write(GsonEraFiles.awkwardHistory())).isEqualTo(text(WRITTEN.resolve("history.json")));
    }

    @Test
    void checkpointsStoreTheHistoryAsBeforeAndReadNonFiniteValues(@TempDir Path tmp) throws IOException {
        Path f = Checkpoints.write(tmp, 2, 14, GsonEraFiles.awkwardHistory(),
                List.of(SafeTensors.Tensor.ofFloats("w", new long[] {1}, new float[] {1})), false);
        assertThat(SafeTensors.read(f).metadata().get("history")).isEqualTo(text(WRITTEN.resolve("history-in-checkpoint.json")));

        Checkpoints.Loaded old = Checkpoints.read(ROOT.resolve("nonfinite/run/checkpoints/epoch-0002.safetensors"));
        assertThat(old.epoch()).isEqualTo(2);
        assertThat(old.adamSteps()).isEqualTo(14);
        assertThat(old.history()).isEqualTo(GsonEraFiles.awkwardHistory());
        assertThat(old.history().get(1).trainLoss()).isNaN();
        assertThat(old.history().get(1).trainKl()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(old.history().get(1).testKl()).isEqualTo(-0.0);
    }

    @Test
    void aProvenanceWithNonFiniteMetricsReadsAndIsWrittenByteForByte() throws IOException {
        Provenance p = ModelStore.readProvenance(WRITTEN);
        assertThat(p.seed()).isEqualTo(-3);
        assertThat(p.epochs()).isEqualTo(12);
        assertThat(p.training()).containsEntry("epochs", 12.0).containsEntry("onNan", "stop").containsEntry("hidden", List.of(16.0, 8.0));
        assertThat(p.finalMetrics().get("test_recon")).isNaN();
        assertThat(p.finalMetrics()).containsEntry("test_kl", Double.POSITIVE_INFINITY).containsEntry("train_loss", Double.NEGATIVE_INFINITY);
        assertThat(Json.write(p)).isEqualTo(text(WRITTEN.resolve("provenance.json")));
        assertThat(ModelStore.readProvenance(ROOT.resolve("nonfinite"))).isEqualTo(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iwae", "cvae"})
    void aRunLoadsAndResumesToWhatTheGsonReleaseGave(String name, @TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        GsonEraFiles.copyTree(ROOT.resolve("run-" + name), run);
        ModelConfig expected = name.equals("iwae") ? GsonEraFiles.iwae() : GsonEraFiles.cvae();

        RunState state = Training.readState(run);
        assertThat(state.model()).isEqualTo(expected);
        assertThat(state.training()).isEqualTo(name.equals("iwae")
                ? GsonEraFiles.training(2).withRegularisation(1, 0.25, 5.0) : GsonEraFiles.training(2));
        Checkpoints.Loaded ckpt = Checkpoints.latest(run, w -> {
            throw new AssertionError(w);
        });
        assertThat(ckpt.epoch()).isEqualTo(2);
        // metrics.csv was written from the same history: the history read back from JSON gives it again
        assertThat(EpochMetrics.toCsv(ckpt.history())).isEqualTo(text(run.resolve("metrics.csv")));
        assertThat(Checkpoints.read(run.resolve("checkpoints/best.safetensors")).history()).isEqualTo(ckpt.history());
        assertThat(ModelStore.readProvenance(run).training()).containsEntry("epochs", 2.0).containsEntry("seed", 7.0);
        try (VaeModel m = VaeModel.load(run)) {
            assertThat(m.config()).isEqualTo(expected);
        }

        try (VaeModel m = Training.resume(run, GsonEraFiles.DATA, 3, null)) {
            assertThat(m.config()).isEqualTo(expected);
        }
        Path reference = ROOT.resolve("resumed-" + name);
        SafeTensors.Contents got = SafeTensors.read(run.resolve(ModelStore.WEIGHTS));
        SafeTensors.Contents want = SafeTensors.read(reference.resolve(ModelStore.WEIGHTS));
        assertThat(got.tensors()).as("weights after resuming to epoch 3").isEqualTo(want.tensors());
        assertThat(deterministicColumns(text(run.resolve("metrics.csv")))).isEqualTo(deterministicColumns(text(reference.resolve("metrics.csv"))));
        assertThat(Training.readState(run).training().epochs()).isEqualTo(3);
        assertThat(Checkpoints.latest(run, w -> {}).history()).hasSize(3);
    }

    /**
     * A train.json of the release before config format 2 holds a format-1 model config: the frozen run's train.json with
     * its model replaced by the frozen format-1 config.json (as that release wrote both) still reads.
     */
    @Test
    void aRunStateHoldingAFormatOneConfigReads(@TempDir Path tmp) throws IOException {
        String v1 = text(Path.of("src/test/resources/models/v1-mlp-bernoulli/config.json")).strip().replace("\n", "\n  ");
        String state = text(ROOT.resolve("run-cvae/train.json"));
        int start = state.indexOf("\"model\": {");
        int end = state.indexOf("\n  \"training\"");
        String old = state.substring(0, start) + "\"model\": " + v1 + "," + state.substring(end);
        assertThat(old).contains("\"model\": \"vae\"").contains("\"formatVersion\": 1,\n    \"model\": \"vae\"");
        Path run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(Training.STATE), old);
        RunState read = Training.readState(run);
        assertThat(read.model()).isEqualTo(ModelStore.readConfig(Path.of("src/test/resources/models/v1-mlp-bernoulli")));
        assertThat(read.model().formatVersion()).isEqualTo(ModelConfig.FORMAT_VERSION);
        assertThat(read.training()).isEqualTo(GsonEraFiles.training(2));
    }

    /** metrics.csv without its timing columns (seconds, eval_seconds, images_per_s). */
    static List<String> deterministicColumns(String csv) {
        return csv.lines().map(l -> {
            List<String> f = Arrays.asList(l.split(","));
            return String.join(",", f.subList(0, 7)) + "|" + String.join(",", f.subList(10, f.size()));
        }).toList();
    }
}
