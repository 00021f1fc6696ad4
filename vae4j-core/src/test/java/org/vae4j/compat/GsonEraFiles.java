package org.vae4j.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vae4j.TestData;
import org.vae4j.data.DataSplits;
import org.vae4j.data.TableSchema;
import org.vae4j.io.SafeTensors;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.DataTransform;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.Provenance;
import org.vae4j.model.VaeModel;
import org.vae4j.model.cvae.CvaeVariant;
import org.vae4j.model.iwae.IwaeVariant;
import org.vae4j.train.Checkpoints;
import org.vae4j.train.DataSelection;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.RunState;
import org.vae4j.train.TrainConfig;
import org.vae4j.train.Training;
import org.vae4j.util.Json;

/**
 * Writes the frozen files under {@code src/test/resources/gson-era/} that {@link GsonEraFilesTest} checks: JSON files
 * written by the release whose JSON library was Gson (commit 1160f62), so that the Jackson port can be held to reading
 * them and to writing the same bytes.
 *
 * <ul>
 *   <li>{@code run-iwae/}, {@code run-cvae/}: run directories after 2 of 3 epochs (train.json, two epoch checkpoints and
 *       best.safetensors with the history in their metadata, the saved model, provenance.json, metrics.csv), trained on
 *       {@link #DATA} with one PyTorch thread;
 *   <li>{@code resumed-iwae/}, {@code resumed-cvae/}: {@code weights.safetensors} and {@code metrics.csv} of the same runs
 *       resumed to epoch 3 by the Gson release (what a resume must give, bit for bit);
 *   <li>{@code written/*.json}: {@link Json#write} of configuration records, a run state, a metric history with
 *       non-finite values and a provenance, byte for byte; {@code written/history-in-checkpoint.json}: the history
 *       as checkpoints store it in their metadata (no final newline);
 *   <li>{@code nonfinite/}: a checkpoint whose history holds NaN and infinities, and a provenance.json with non-finite
 *       final metrics.
 * </ul>
 *
 * <p>Not a test, and not run by the build: it documents how the files were made. It was run once, at the last commit
 * that used Gson; never rerun it into the resources (the files must stay what that release wrote). Run from the
 * repository root with
 *
 * <pre>
 * mvn -q -pl vae4j-core test-compile
 * mvn -q -pl vae4j-core dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *     -cp vae4j-core/target/test-classes:vae4j-core/target/classes:$(cat vae4j-core/target/cp.txt) \
 *     org.vae4j.compat.GsonEraFiles /tmp/gson-era
 * </pre>
 */
public final class GsonEraFiles {
    /** The training data of the frozen runs. */
    static final DataSplits DATA = TestData.splits(200, 40, 1, 8);

    private GsonEraFiles() {}

    static ModelConfig iwae() {
        return ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(16), "bernoulli", 1.0).withModel("iwae", new IwaeVariant.Settings(3));
    }

    static ModelConfig cvae() {
        return ModelConfig.vae(List.of(1, 8, 8), 2, ArchConfig.mlp(12).withActivation("tanh"), "continuous-bernoulli", 0.5)
                .withModel("cvae", new CvaeVariant.Settings(4));
    }

    static TrainConfig training(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(32).withThreads(1).withSeed(7);
    }

    /** A table schema whose names carry the characters JSON writers escape differently. */
    static TableSchema awkwardTable() {
        return new TableSchema(List.of(
                TableSchema.Column.continuous("age (years)", 41.5, 12.25),
                TableSchema.Column.continuous("tab\there \"quoted\" back\\slash", -1.0E-7, 3.0E21),
                TableSchema.Column.binary("naïve € \uD83D\uDE42 <b>&amp;='x'", 0.1),
                TableSchema.Column.categorical("ctl \u001b[2J \u0001 \u007f \u2028 \u2029 /", List.of("a/b", "\u00e9", "\u0000", "z"))));
    }

    static List<EpochMetrics> awkwardHistory() {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("train_neg_iw_bound", 101.25);
        extra.put("test_neg_iw_bound", Double.NaN);
        return List.of(
                new EpochMetrics(1, 200.5, 180, 20.5, 190, 170, 20, 1.5, 0.25, 1000, 1, 0),
                new EpochMetrics(2, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-10, 1e21, -0.0,
                        Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2, 1.0 / 3, 7, extra));
    }

    /**
     * Writes the files.
     *
     * @param args the output directory (must not exist)
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty("ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        Path root = Path.of(args[0]);
        if (Files.exists(root)) {
            throw new IllegalStateException(root + " exists; the frozen files are never rewritten");
        }
        Files.createDirectories(root);

        for (String name : List.of("iwae", "cvae")) {
            ModelConfig config = name.equals("iwae") ? iwae() : cvae();
            Path run = root.resolve("run-" + name);
            TrainConfig cfg = name.equals("iwae") ? training(2).withRegularisation(1, 0.25, 5.0) : training(2);
            try (VaeModel m = Training.of(config, cfg).data(DATA, "blobs").runDirectory(run).fit()) {
                if (!m.config().equals(config)) {
                    throw new IllegalStateException("unexpected model " + m.config());
                }
            }
            Path copy = root.resolve("tmp-" + name);
            copyTree(run, copy);
            try (VaeModel m = Training.resume(copy, DATA, 3, null)) {
                Path out = Files.createDirectories(root.resolve("resumed-" + name));
                Files.copy(copy.resolve("weights.safetensors"), out.resolve("weights.safetensors"));
                Files.copy(copy.resolve("metrics.csv"), out.resolve("metrics.csv"));
            }
            deleteTree(copy);
            // the resume reference is the only thing kept of the copy; the run keeps no lock file
            Files.deleteIfExists(run.resolve(org.vae4j.io.RunLock.LOCK_FILE));
        }

        Path written = Files.createDirectories(root.resolve("written"));
        write(written, "config-vae.json", ModelConfig.vae(List.of(1, 28, 28), 20, ArchConfig.mlp(512, 256), "bernoulli", 4.0));
        write(written, "config-ae.json", ModelConfig.autoencoder(List.of(784), 2, ArchConfig.mlp(8, 6).withActivation("leaky-relu"), "mse"));
        write(written, "config-cvae-conv.json", ModelConfig.vae(List.of(3, 16, 16), 5, ArchConfig.conv(List.of(4, 8), 32).withDropout(0.1),
                "gaussian-fixed", 2.5).withSigma(0.05).withTransform(new DataTransform("dynamic")).withModel("cvae", new CvaeVariant.Settings(10)));
        write(written, "config-iwae.json", iwae());
        write(written, "config-table.json", ModelConfig.tableVae(awkwardTable(), 4, ArchConfig.mlp(16), 1.0e-3));
        write(written, "train-state.json", new RunState(RunState.FORMAT_VERSION, cvae(),
                TrainConfig.defaults().withEpochs(12).withLr(3e-4).withSeed(9007199254740993L).withRegularisation(3, 0.5, 1e-7).withOnNan("skip-batch"),
                "blobs", "idx:/data/\"mnist\"", "", "ab".repeat(32), "2026-01-02T03:04:05.678Z",
                new DataSelection(List.of("tl", "br"), List.of(), "/w/weights.csv", "cd".repeat(32))));
        write(written, "history.json", awkwardHistory());
        Map<String, Object> trainingMap = new LinkedHashMap<>();
        trainingMap.put("epochs", 12.0);
        trainingMap.put("lr", 1.0E-3);
        trainingMap.put("onNan", "stop");
        trainingMap.put("hidden", List.of(16.0, 8.0));
        Map<String, Double> fin = new LinkedHashMap<>();
        fin.put("test_neg_elbo", 99.5);
        fin.put("test_recon", Double.NaN);
        fin.put("test_kl", Double.POSITIVE_INFINITY);
        fin.put("train_loss", Double.NEGATIVE_INFINITY);
        Provenance prov = new Provenance("0.1.0-SNAPSHOT", "0.35.1", "PyTorch 2.7.1", "Debian 17.0.15", "Linux amd64", -3, 2,
                "blobs", "shapes:n=10", "ef".repeat(32), "2026-01-02T03:04:05Z", "2026-01-02T03:05:06.123456789Z", 12,
                trainingMap, fin);
        write(written, "provenance.json", prov);
        // written by Json.gson().toJson(awkwardHistory()), as Checkpoints did, when the files were made
        Files.writeString(written.resolve("history-in-checkpoint.json"), Json.text(awkwardHistory()), StandardCharsets.UTF_8);

        Path nonfinite = Files.createDirectories(root.resolve("nonfinite"));
        Checkpoints.write(nonfinite.resolve("run"), 2, 14, awkwardHistory(),
                List.of(SafeTensors.Tensor.ofFloats("encoder.fc1.weight", new long[] {2}, new float[] {1, Float.NaN})), false);
        Files.writeString(nonfinite.resolve("provenance.json"), Json.write(prov), StandardCharsets.UTF_8);
    }

    private static void write(Path dir, String name, Object value) throws IOException {
        Files.writeString(dir.resolve(name), Json.write(value), StandardCharsets.UTF_8);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
