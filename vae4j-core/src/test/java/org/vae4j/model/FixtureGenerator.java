package org.vae4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.vae4j.TestData;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.LoadContext;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSplits;
import org.vae4j.data.TableSchema;

/**
 * Writes the frozen saved-model fixtures under {@code src/test/resources/models/} that {@link FrozenFixturesTest} checks:
 * models saved by each model format version ({@code vN-} in the directory name), each with an {@code expected.json} of
 * fixed inputs and codes (and, for conditional models, their labels) and what {@link VaeModel#encode},
 * {@link VaeModel#decode} and {@link VaeModel#reconstruct} gave for them. Weights are untrained: a seeded
 * {@link VaeModel#create}, saved with {@link ModelStore#save}, then loaded back and evaluated.
 *
 * <p>Not a test, and not run by the build. It documents how the fixtures were made: the format-1 ones at the last
 * commit that wrote format 1, the format-2 ones (the model section: vae, ae, and the cvae and iwae that format 1 could not
 * hold) at the first that wrote format 2. It never overwrites: a fixture directory that already has a {@code config.json}
 * is left as it is (only its missing {@code expected.json} is written, from the loaded model), so a fixture stays what an
 * old release wrote; a missing fixture of a format this build no longer writes is an error. Run from the repository root
 * with
 *
 * <pre>
 * mvn -q -pl vae4j-core test-compile
 * mvn -q -pl vae4j-core dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *     -cp vae4j-core/target/test-classes:vae4j-core/target/classes:$(cat vae4j-core/target/cp.txt) \
 *     org.vae4j.model.FixtureGenerator vae4j-core/src/test/resources/models
 * </pre>
 */
public final class FixtureGenerator {
    /** The provenance's start time (the save time is the real one). */
    static final Instant STARTED = Instant.parse("2026-12-03T00:00:00Z");

    private FixtureGenerator() {}

    /**
     * Writes the fixtures.
     *
     * @param args the models directory (default {@code src/test/resources/models})
     */
    public static void main(String[] args) throws IOException {
        // the test JVM's settings (surefire argLine): offline, one PyTorch thread
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty("ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/models");

        // format 1 (flat "model" and "beta"): written by the release before the model family; frozen, never rewritten
        // the fixture saved before expected.json existed: only its expected values are added
        expectedOnly(root.resolve("v1-mlp-bernoulli"), TestData.blobs("fixture", 3, 1, 8, 11).data(), 3);

        image(root.resolve("v1-ae-mlp-mse"),
                ModelConfig.autoencoder(List.of(1, 8, 8), 3, ArchConfig.mlp(32, 16), "mse"), 101, 12);
        image(root.resolve("v1-vae-conv-bernoulli"),
                ModelConfig.vae(List.of(1, 16, 16), 4, ArchConfig.conv(List.of(4, 8), 32).withDropout(0.25), "bernoulli", 1.0), 102, 13);
        image(root.resolve("v1-vae-mlp-gaussian"),
                ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(24).withActivation("tanh"), "gaussian", 4.0), 104, 14);
        table(root.resolve("v1-vae-table-composite"), 103);

        // format 2 (the "model" section with the model's own settings), including the models format 1 lacks
        image(root.resolve("v2-vae-mlp-bernoulli"),
                ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(20, 12).withActivation("elu"), "bernoulli", 2.0), 201, 21);
        image(root.resolve("v2-ae-mlp-mse"),
                ModelConfig.autoencoder(List.of(1, 8, 8), 2, ArchConfig.mlp(16), "mse"), 202, 22);
        image(root.resolve("v2-cvae-conv-bernoulli"),
                ModelConfig.vae(List.of(1, 16, 16), 4, ArchConfig.conv(List.of(4, 8), 32).withDropout(0.25), "bernoulli", 1.0)
                        .withModel("cvae", ModelVariants.get("cvae").settings(Map.of(), 4)), 203, 23);
        image(root.resolve("v2-iwae-mlp-bernoulli"),
                ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(24), "bernoulli", 1.0)
                        .withModel("iwae", ModelVariants.get("iwae").settings(Map.of("iw-samples", "7"), 0)), 204, 24);
        // a GAN: no encoder, so expected.json has the decoded codes and the forward pass's terms (D's view of the
        // inputs against samples of their per-record noise) instead of posterior and reconstruction
        image(root.resolve("v2-gan-mlp-bernoulli"),
                ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(20, 12).withActivation("leaky-relu"), "bernoulli", 1.0)
                        .withModel("gan", ModelVariants.get("gan").settings(Map.of("gan-loss", "minimax", "d-steps", "2",
                                "r1", "0.5", "d-dropout", "0.2"), 0)), 205, 25);
        // issue 12's models, with priorCodes in expected.json (their priors are learned: through p(z1|z2), the pseudo-inputs)
        image(root.resolve("v2-hvae-mlp-bernoulli"),
                ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(24).withActivation("tanh"), "bernoulli", 1.0)
                        .withModel("hvae", ModelVariants.get("hvae").settings(Map.of("latent2", "2", "hidden2", "10,6", "iw-samples", "3"), 0)),
                205, 25);
        image(root.resolve("v2-vamp-mlp-bernoulli"),
                ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(24), "bernoulli", 1.0)
                        .withModel("vamp", ModelVariants.get("vamp").settings(Map.of("pseudo-inputs", "5"), 0)), 206, 26);
    }

    /** Labels of the three fixed codes a conditional model decodes. */
    static final int[] CODE_LABELS = {0, 2, 3};

    /** An image model: three soft blobs as inputs (with their labels, the blob's quadrant, for a conditional model). */
    private static void image(Path dir, ModelConfig config, long seed, long dataSeed) throws IOException {
        if (frozen(dir, config)) {
            return;
        }
        List<Integer> s = config.inputShape();
        ArrayDataset inputs = TestData.blobs("fixture", 3, s.get(0), s.get(1), dataSeed);
        String spec = String.format(Locale.ROOT, "TestData.blobs(\"fixture\", 3, %d, %d, %d)", s.get(0), s.get(1), dataSeed);
        boolean conditional = config.conditionWidth() > 0;
        save(dir, config, seed, "fixture", spec, inputs.contentHash(), inputs.data(), 3, conditional ? inputs.labels() : null,
                conditional ? CODE_LABELS : null);
    }

    /**
     * A table model: a tiny CSV with continuous, binary and categorical columns and a few missing cells, loaded as the
     * CLI loads {@code csv:} data; its schema goes into the config as {@code TrainCommand} puts it there. Inputs are two
     * complete rows of the training split and two with missing cells (NaN, {@code null} in expected.json).
     */
    private static void table(Path dir, long seed) throws IOException {
        if (frozen(dir, null)) {
            return;
        }
        Path tmp = Files.createTempDirectory("vae4j-fixture");
        try {
            Path csv = tmp.resolve("fixture-table.csv");
            Files.writeString(csv, tableCsv(40, 7));
            String options = ",id=id,missing=mask,val=0.25,seed=1";
            DataSplits data = DataSources.load("csv:" + csv + options, LoadContext.defaults());
            ArrayDataset train = data.train().materialize();
            TableSchema t = train.table();
            ModelConfig config = new ModelConfig(ModelConfig.FORMAT_VERSION, "vae", List.of(t.width()), 3, ArchConfig.mlp(16), "composite",
                    1.0, 1.0, new DataTransform("none", t));
            int d = t.width();
            List<Integer> complete = new ArrayList<>();
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                boolean nan = false;
                for (int j = 0; j < d; j++) {
                    nan |= Float.isNaN(train.data()[i * d + j]);
                }
                (nan ? missing : complete).add(i);
            }
            List<Integer> rows = new ArrayList<>(complete.subList(0, 2));
            rows.addAll(missing.subList(0, 2));
            float[] inputs = new float[rows.size() * d];
            for (int k = 0; k < rows.size(); k++) {
                System.arraycopy(train.data(), rows.get(k) * d, inputs, k * d, d);
            }
            save(dir, config, seed, train.name(), "csv:fixture-table.csv" + options + " (FixtureGenerator.tableCsv(40, 7))",
                    train.contentHash(), inputs, rows.size(), null, null);
        } finally {
            try (var files = Files.list(tmp)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(tmp);
        }
    }

    /** Columns id, age, income (continuous), smoker, owner (binary), colour (3 categories), region (2); a few cells missing. */
    static String tableCsv(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] colours = {"red", "green", "blue"};
        StringBuilder sb = new StringBuilder("id,age,income,smoker,owner,colour,region\n");
        for (int i = 0; i < rows; i++) {
            double z = VaeModel.Gaussian.next(r);
            String age = String.format(Locale.ROOT, "%.1f", 45 + 12 * z);
            String income = String.format(Locale.ROOT, "%.0f", 30000 + 9000 * (z + VaeModel.Gaussian.next(r)));
            String smoker = r.nextDouble() < 0.3 ? "1" : "0";
            String owner = r.nextDouble() < 1 / (1 + Math.exp(-2 * z)) ? "1" : "0";
            String colour = colours[r.nextInt(3)];
            String region = z + 0.5 * VaeModel.Gaussian.next(r) > 0 ? "north" : "south";
            // fixed missing cells: an empty age, an NA owner (binary: the encoder sees the share of ones), an NA colour
            if (i % 9 == 4) {
                age = "";
            }
            if (i % 11 == 5) {
                owner = "NA";
            }
            if (i % 13 == 6) {
                colour = "NA";
            }
            sb.append("r").append(i).append(',').append(String.join(",", age, income, smoker, owner, colour, region)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Whether the fixture exists (then it is left as it is). A missing one is written only in the format this build
     * writes, named by its {@code vN-} prefix.
     */
    private static boolean frozen(Path dir, ModelConfig config) {
        if (Files.exists(dir.resolve(ModelStore.CONFIG))) {
            System.out.println(dir + ": exists, left as it is (fixtures are frozen; delete the directory to make it again)");
            return true;
        }
        int version = formatVersion(dir);
        if (version != ModelConfig.FORMAT_VERSION) {
            throw new IllegalStateException(dir + ": a format-" + version + " fixture cannot be made again: this build writes format "
                    + ModelConfig.FORMAT_VERSION + " (restore it from version control)");
        }
        return false;
    }

    /** The format version a fixture directory's name declares ({@code v2-cvae-...} → 2). */
    static int formatVersion(Path dir) {
        String name = dir.getFileName().toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v(\\d+)-.+").matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException(dir + ": a fixture directory is named vN-..., N its format version");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Creates, saves, loads back and writes the expected values of the loaded model. */
    private static void save(Path dir, ModelConfig config, long seed, String dataName, String dataSpec, String dataHash, float[] inputs,
            int n, int[] labels, int[] codeLabels) throws IOException {
        Provenance p = Provenance.now(seed, 1, dataName, dataSpec, dataHash, STARTED, 0,
                Map.of("generator", "org.vae4j.model.FixtureGenerator: VaeModel.create(config, seed), untrained"), Map.of());
        Expected created;
        try (VaeModel m = VaeModel.create(config, seed)) {
            created = Expected.of(m, inputs, n, labels, codeLabels);
            ModelStore.save(m, dir, p);
        }
        try (VaeModel m = VaeModel.load(dir)) {
            Expected loaded = Expected.of(m, inputs, n, labels, codeLabels);
            if (!loaded.equals(created)) {
                throw new IllegalStateException(dir + ": the loaded model computes other values than the one saved");
            }
            write(dir, loaded);
        }
    }

    private static void expectedOnly(Path dir, float[] inputs, int n) throws IOException {
        if (Files.exists(dir.resolve("expected.json"))) {
            System.out.println(dir + ": expected.json exists, left as it is");
            return;
        }
        try (VaeModel m = VaeModel.load(dir)) {
            write(dir, Expected.of(m, inputs, n, null, null));
        }
    }

    /** What expected.json holds; {@code labels} (of the inputs) and {@code codeLabels} only for conditional models. */
    record Expected(int latent, int featureSize, int[] labels, float[] inputs, float[] mu, float[] logvar, int[] codeLabels,
            float[] codes, float[] decoded, float[] reconstructed, Map<String, float[]> terms, float[] priorCodes) {

        static Expected of(VaeModel m, float[] inputs, int n, int[] labels, int[] codeLabels) {
            float[] codes = codes(m.latent());
            if (!m.can(Capability.ENCODES)) {
                return new Expected(m.latent(), m.featureSize(), labels, inputs, null, null, codeLabels, codes,
                        m.decode(codes, 3, codeLabels), null, forwardTerms(m, inputs, n), null);
            }
            Posterior post = m.encode(inputs, n, labels);
            return new Expected(m.latent(), m.featureSize(), labels, inputs, post.mu(), post.logvar(), codeLabels, codes,
                    m.decode(codes, 3, codeLabels), m.reconstruct(inputs, n, labels), null,
                    m.can(Capability.SAMPLES) ? m.priorCodes(3, PRIOR_SEED) : null);
        }

        /** The forward pass's named terms on the inputs (not training; noise per record from seed 1). */
        static Map<String, float[]> forwardTerms(VaeModel m, float[] inputs, int n) {
            Map<String, float[]> out = new java.util.LinkedHashMap<>();
            try (ai.djl.ndarray.NDManager sub = m.manager().newSubManager()) {
                ModelOutput o = m.forward(Batch.of(sub.create(inputs, m.batchShape(n))), false, Objective.elbo(1),
                        Noise.perRecord(1, inputs, 0, n, m.featureSize()));
                o.terms().forEach((k, v) -> out.put(k, v.toFloatArray()));
            }
            return out;
        }

        /** Seed of the three prior codes ({@link VaeModel#priorCodes}: a learned prior's, such as hvae's or vamp's). */
        static final long PRIOR_SEED = 5;

        /** Three codes: the origin, a fixed pattern, a seeded N(0, I) draw. */
        static float[] codes(int latent) {
            float[] z = new float[3 * latent];
            SplittableRandom r = new SplittableRandom(5);
            for (int j = 0; j < latent; j++) {
                z[latent + j] = (j % 2 == 0 ? 1 : -1) * (0.5f + 0.25f * j);
                z[2 * latent + j] = (float) VaeModel.Gaussian.next(r);
            }
            return z;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Expected e && latent == e.latent && featureSize == e.featureSize && Arrays.equals(labels, e.labels)
                    && Arrays.equals(codeLabels, e.codeLabels) && Arrays.equals(inputs, e.inputs)
                    && Arrays.equals(mu, e.mu) && Arrays.equals(logvar, e.logvar) && Arrays.equals(codes, e.codes)
                    && Arrays.equals(decoded, e.decoded) && Arrays.equals(reconstructed, e.reconstructed)
                    && (terms == null ? e.terms == null : e.terms != null && terms.keySet().equals(e.terms.keySet())
                            && terms.keySet().stream().allMatch(k -> Arrays.equals(terms.get(k), e.terms.get(k))))
                    && Arrays.equals(priorCodes, e.priorCodes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mu);
        }
    }

    /**
     * One key per line, each array on one line; floats as Java prints them (shortest text that reads back the same float);
     * NaN as null. {@code labels} and {@code codeLabels} are written only for conditional models.
     */
    private static void write(Path dir, Expected e) throws IOException {
        String json = "{\n"
                + "  \"latent\": " + e.latent() + ",\n"
                + "  \"featureSize\": " + e.featureSize() + ",\n"
                + (e.labels() == null ? "" : "  \"labels\": " + Arrays.toString(e.labels()).replace(" ", "") + ",\n")
                + "  \"inputs\": " + array(e.inputs()) + ",\n"
                + (e.mu() == null ? "" : "  \"mu\": " + array(e.mu()) + ",\n")
                + (e.mu() == null ? "" : "  \"logvar\": " + (e.logvar() == null ? "null" : array(e.logvar())) + ",\n")
                + (e.codeLabels() == null ? "" : "  \"codeLabels\": " + Arrays.toString(e.codeLabels()).replace(" ", "") + ",\n")
                + "  \"codes\": " + array(e.codes()) + ",\n"
                + "  \"decoded\": " + array(e.decoded())
                + (e.reconstructed() == null ? "" : ",\n  \"reconstructed\": " + array(e.reconstructed()))
                + (e.priorCodes() == null ? "" : ",\n  \"priorCodes\": " + array(e.priorCodes()))
                + (e.terms() == null ? "" : ",\n  \"terms\": {" + terms(e.terms()) + "}")
                + "\n}\n";
        Files.writeString(dir.resolve("expected.json"), json);
        System.out.println(dir + ": written");
    }

    private static String terms(Map<String, float[]> t) {
        StringBuilder sb = new StringBuilder();
        t.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append('"').append(k).append("\": ").append(array(v)));
        return sb.toString();
    }

    /** A compact JSON array: each float as {@link Float#toString(float)} prints it, NaN as {@code null}. */
    private static String array(float[] a) {
        StringBuilder out = new StringBuilder("[");
        for (float v : a) {
            if (out.length() > 1) {
                out.append(',');
            }
            if (Float.isNaN(v)) {
                out.append("null");
            } else if (Float.isInfinite(v)) {
                throw new IllegalStateException("infinite value in a fixture");
            } else {
                out.append(v);
            }
        }
        return out.append(']').toString();
    }
}
