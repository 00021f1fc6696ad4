package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LabelFilter;
import org.vae4j.generate.PriorSamples;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.SampleSource;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Npy;
import org.vae4j.judge.ClassifierCache;
import org.vae4j.judge.DigitClassifier;
import org.vae4j.judge.Judgement;
import org.vae4j.judge.Yardstick;
import org.vae4j.model.ArchConfig;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vae4j judge}: the sample-quality yardstick ({@link Yardstick}) for a model's samples, an {@code .npy} of
 * images, or the data's own training images (a model-free baseline).
 */
@Command(name = "judge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge generated images against the test split of a labelled data set, in the feature space of a small",
            "classifier trained once on its training split (cached): Fréchet distance of the classifier's features (NOT",
            "Inception FID), precision and recall by k-NN manifolds (Kynkäänniemi et al. 2019), the predicted-label",
            "histogram, its entropy and mode coverage, and for labelled samples the share carrying the asked label.",
            "Samples: --model RUN (prior samples), --samples FILE.npy, or --data-samples N (training images: a baseline)."})
final class JudgeCommand implements Callable<Integer> {
    /** Most samples judged (the samples' own k-NN radii cost n² distances). */
    static final int MAX_SAMPLES = 100_000;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "RUN", description = "Judge -n samples of this saved model (codes from --sampler).")
    Path model;

    @Option(names = "--samples", paramLabel = "FILE.npy",
            description = "Judge these images: float32 (N, C, H, W), (N, H, W) or (N, D), values in [0, 1] (e.g. from 'vae4j sample').")
    Path samples;

    @Option(names = "--data-samples", paramLabel = "N",
            description = "Judge N images of the data's own training split (chosen with --seed): the figures of a perfect generator.")
    Integer dataSamples;

    @Mixin
    DataOptions data;

    @Mixin
    SamplerOption sampler;

    @Option(names = "-n", defaultValue = "5000", description = "Samples to draw with --model (1..100000). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the prior samples (--model) or of the choice of --data-samples. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--label", paramLabel = "LABEL",
            description = "The label the samples were drawn with (number or name): its share is reported. With --model (conditional "
                    + "models only) the label to draw, or 'all' (sample i gets label i mod classes; the default for conditional models).")
    String label;

    @Option(names = "-k", defaultValue = "3", description = "The k of the k-NN manifolds (precision, recall). Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--coverage-share", defaultValue = "0.03", paramLabel = "SHARE",
            description = "A class counts as covered when it holds at least this share of the samples. Default: ${DEFAULT-VALUE}.")
    double coverageShare;

    @Option(names = "--classifier", paramLabel = "DIR",
            description = "Keep the classifier in DIR (loaded if DIR holds one trained on the same data, else trained and saved there) "
                    + "instead of the cache.")
    Path classifierDir;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Root of the classifier cache (default $VAE4J_DATA/cache/judge or ~/.vae4j/cache/judge); one classifier per "
                    + "data set, labels and settings.")
    Path cacheDir;

    @Option(names = "--classifier-arch", defaultValue = "conv", paramLabel = "conv|mlp",
            description = "conv (stride-2 convolutions of 32 and 64 channels, a dense layer of 128: the feature space) or mlp "
                    + "(512, 256). Default: ${DEFAULT-VALUE}.")
    String arch;

    @Option(names = "--epochs", description = "Training epochs of the classifier. Default: about 1,400 steps of 128 records: 3 epochs "
            + "from 60,000 training records up (MNIST), more for fewer, at most 30.")
    Integer epochs;

    @Option(names = "--classifier-seed", defaultValue = "1", description = "Seed of the classifier's training. Default: ${DEFAULT-VALUE}.")
    long classifierSeed;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the judgement as JSON to FILE (written atomically; '-': print it "
            + "instead of the table).")
    String json;

    @Option(names = "--force", description = "Replace the --json file if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int sources = (model != null ? 1 : 0) + (samples != null ? 1 : 0) + (dataSamples != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalArgumentException("give exactly one of --model RUN, --samples FILE.npy and --data-samples N");
        }
        if (samples != null) {
            if (!samples.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                throw new IllegalArgumentException(samples + ": --samples must be an .npy file");
            }
            if (!Files.isRegularFile(samples)) {
                throw new Main.DataInputException(samples + ": no such file");
            }
        }
        if (model != null && (n < 1 || n > MAX_SAMPLES)) {
            throw new IllegalArgumentException("-n must be in 1.." + MAX_SAMPLES + ", got " + n);
        }
        if (dataSamples != null && (dataSamples < 1 || dataSamples > MAX_SAMPLES)) {
            throw new IllegalArgumentException("--data-samples must be in 1.." + MAX_SAMPLES + ", got " + dataSamples);
        }
        if (dataSamples != null && label != null) {
            throw new IllegalArgumentException("--label does not apply to --data-samples");
        }
        Path jsonFile = json == null || json.equals("-") ? null : Path.of(json);
        if (jsonFile != null) {
            RecordOutputs.checkNew(jsonFile, force, ".json");
        }
        Yardstick.Settings settings = new Yardstick.Settings(k, coverageShare);
        ArchConfig archConfig = switch (arch.toLowerCase(Locale.ROOT)) {
            case "conv" -> DigitClassifier.Settings.yardstick().arch();
            case "mlp" -> DigitClassifier.Settings.defaults().arch();
            default -> throw new IllegalArgumentException("--classifier-arch must be conv or mlp, got '" + arch + "'");
        };
        if (epochs != null && (epochs < 1 || epochs > 1000)) {
            throw new IllegalArgumentException("--epochs must be in 1..1000, got " + epochs);
        }
        sampler.spec();
        threads.apply();
        boolean quiet = "-".equals(json);
        VaeModel m = model == null ? null : VaeModel.load(model);
        try {
            DataSplits splits = m != null ? data.loadOrFromRun(model, false, err) : data.load(err);
            if (!splits.train().hasLabels()) {
                throw new Main.DataInputException(splits.train().name() + ": the yardstick's classifier needs labelled data");
            }
            PriorSamples.Labels asked = asked(m, splits);
            DigitClassifier.Settings yard = DigitClassifier.Settings.yardstick(splits.train().size());
            DigitClassifier.Settings cs = yard.withArch(archConfig).withEpochs(epochs != null ? epochs : yard.epochs());
            long t0 = System.nanoTime();
            Classifier got = classifier(splits, cs, quiet, err);
            try (DigitClassifier c = got.classifier()) {
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                double testAccuracy = c.accuracy(splits.test());
                Yardstick y = Yardstick.of(c, splits.test(), settings);
                Judgement j;
                String what;
                if (m != null) {
                    if (m.featureSize() != c.meta().featureSize()) {
                        throw new IllegalArgumentException(model + ": the model's records have " + m.featureSize()
                                + " values, the data's " + c.meta().featureSize() + "; judge it with the data it was trained on");
                    }
                    CodeSampler codes = sampler.obtain(model, m, splits::train, seed, err);
                    j = y.judge(SampleSource.of(m, seed, asked, codes), n, asked);
                    what = n + " samples of " + model + " from " + SamplerOption.describe(codes, m)
                            + " (seed " + seed + describe(asked) + ")";
                } else if (samples != null) {
                    try (Npy.Reader r = Npy.open(samples)) {
                        j = y.judge(samples.toString(), r, asked);
                    }
                    what = j.n() + " images from " + samples + describe(asked);
                } else {
                    j = y.judge(splits.train(), dataSamples, seed);
                    what = dataSamples + " images of the training split (seed " + seed + "): the data's own figures";
                }
                ObjectNode o = json(j, what, splits, c, got, testAccuracy);
                if (jsonFile != null) {
                    AtomicFiles.writeString(jsonFile, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n");
                }
                if (quiet) {
                    out.println(new ObjectMapper().writeValueAsString(o));
                } else {
                    table(out, j, what, splits, c, got, trainSeconds, testAccuracy);
                    if (jsonFile != null) {
                        out.println("wrote " + jsonFile);
                    }
                }
            }
        } finally {
            if (m != null) {
                m.close();
            }
        }
        return 0;
    }

    /** A classifier and where it came from. */
    private record Classifier(DigitClassifier classifier, boolean trained, Path dir) {}

    private Classifier classifier(DataSplits splits, DigitClassifier.Settings cs, boolean quiet, PrintWriter err) {
        ProgressLine pl = new ProgressLine(err, "training the classifier", DigitClassifier.steps(splits.train().size(), cs), quiet);
        if (classifierDir == null) {
            Path root = cacheDir != null ? cacheDir : ClassifierCache.defaultRoot();
            ClassifierCache.Obtained o = ClassifierCache.obtain(root, splits.train(), cs, classifierSeed, pl::update,
                    line -> err.println("vae4j: " + line));
            if (o.trained()) {
                pl.done();
            }
            return new Classifier(o.classifier(), o.trained(), o.dir());
        }
        if (DigitClassifier.exists(classifierDir)) {
            DigitClassifier c = DigitClassifier.load(classifierDir);
            if (!c.meta().dataHash().equals(splits.train().contentHash())) {
                String other = c.meta().dataName();
                c.close();
                throw new IllegalArgumentException(classifierDir + ": holds a classifier trained on other data (" + other
                        + "); give another --classifier directory");
            }
            DigitClassifier.Settings kept = c.meta().settings();
            if (!kept.arch().equals(cs.arch()) || kept.epochs() != cs.epochs()) {
                err.println("vae4j: warning: " + classifierDir + " holds a " + kept.arch().type() + " classifier trained for "
                        + kept.epochs() + " epochs; using it (another --classifier directory trains the one asked for)");
            }
            return new Classifier(c, false, classifierDir);
        }
        DigitClassifier c = DigitClassifier.train(splits.train(), cs, classifierSeed, pl::update);
        pl.done();
        c.save(classifierDir);
        return new Classifier(c, true, classifierDir);
    }

    /** The labels the samples were drawn with. */
    private PriorSamples.Labels asked(VaeModel m, DataSplits splits) {
        if (m == null) {
            return label == null ? PriorSamples.Labels.none()
                    : PriorSamples.Labels.fixed(LabelFilter.resolve(splits.train(), List.of(label), "--label").iterator().next());
        }
        if (!m.can(Capability.CONDITIONAL)) {
            if (label != null) {
                m.require(Capability.CONDITIONAL, "--label");
            }
            return PriorSamples.Labels.none();
        }
        if (label == null || label.trim().equalsIgnoreCase("all")) {
            return PriorSamples.Labels.cycle(m.classes());
        }
        return PriorSamples.Labels.fixed(LabelOption.resolve(label, m, LatentData.names(splits.train()), "--label"));
    }

    private static String describe(PriorSamples.Labels l) {
        return l.fixed() >= 0 ? ", label " + l.fixed() : l.cycle() > 0 ? ", labels cycling over " + l.cycle() : "";
    }

    private static String name(List<String> names, int y) {
        return y >= 0 && y < names.size() ? names.get(y) : Integer.toString(y);
    }

    private void table(PrintWriter out, Judgement j, String what, DataSplits splits, DigitClassifier c, Classifier got,
            double seconds, double testAccuracy) {
        DigitClassifier.Settings s = c.meta().settings();
        out.printf(Locale.ROOT, "classifier: %s %s, %d epochs, %d features (%s %s in %.1f s); test accuracy %.2f%% on %d images%n",
                s.arch().type(), s.arch().type().equals(ArchConfig.CONV) ? s.arch().channels() + "+" + s.arch().hidden() : s.arch().hidden(),
                s.epochs(), c.featureWidth(), got.trained() ? "trained and kept in" : "loaded from", got.dir(), seconds,
                100 * testAccuracy, splits.test().size());
        out.printf(Locale.ROOT, "samples: %s%n", what);
        out.printf(Locale.ROOT, "reference: the %d test images of %s%n%n", j.referenceN(), splits.test().name());
        List<String> names = splits.train().labelNames();
        String row = "%-34s %10s %8s  %s%n";
        out.printf(Locale.ROOT, row, "measure", "value", "ideal", "");
        out.printf(Locale.ROOT, row, "Frechet distance (classifier)", f3(j.fd()), "0",
                "NOT Inception FID: features of this classifier; compare only runs judged by it");
        out.printf(Locale.ROOT, row, "  of which |mu_s - mu_t|^2", f3(j.fdMeans()), "0", "");
        out.printf(Locale.ROOT, row, "precision (k = " + j.k() + ")", f3(j.precision()), "1", "share of samples that look like some test image");
        out.printf(Locale.ROOT, row, "recall (k = " + j.k() + ")", f3(j.recall()), "1", "share of test images some sample looks like");
        out.printf(Locale.ROOT, row, "label entropy (nats)", f3(j.entropy()), f3(j.maxEntropy()), "log(classes) when all are equally common");
        out.printf(Locale.ROOT, row, "classes holding >= " + pct(j.coverageShare()), j.classesCovered() + " / " + j.classes(),
                Integer.toString(j.classes()), "mode coverage");
        out.printf(Locale.ROOT, row, "smallest class share", pct(j.minShare()), pct(1.0 / j.classes()), "(" + name(names, j.rarestLabel()) + ")");
        if (j.hasAskedLabels()) {
            out.printf(Locale.ROOT, row, "share carrying the asked label", pct(j.askedLabelShare()), "100%",
                    "limited by the classifier's accuracy");
        }
        out.printf(Locale.ROOT, "%npredicted labels:%n");
        long[] h = j.histogram();
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < h.length; y++) {
            sb.append(String.format(Locale.ROOT, "  %s %s", name(names, y), pct((double) h[y] / j.n())));
            if (y % 5 == 4 || y == h.length - 1) {
                out.println(sb);
                sb.setLength(0);
            }
        }
    }

    private ObjectNode json(Judgement j, String what, DataSplits splits, DigitClassifier c, Classifier got, double testAccuracy) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("samples", what);
        o.put("n", j.n());
        o.put("reference", splits.test().name() + " (test split)");
        o.put("reference_n", j.referenceN());
        o.put("fd", j.fd());
        o.put("fd_means", j.fdMeans());
        o.put("fd_covariances", j.fdCovariances());
        o.put("fd_note", "Frechet distance in the classifier's " + j.featureWidth() + " penultimate features; NOT Inception FID");
        o.put("k", j.k());
        o.put("precision", j.precision());
        o.put("recall", j.recall());
        ArrayNode h = o.putArray("histogram");
        ArrayNode shares = o.putArray("shares");
        for (long v : j.histogram()) {
            h.add(v);
            shares.add((double) v / j.n());
        }
        o.put("entropy", j.entropy());
        o.put("max_entropy", j.maxEntropy());
        o.put("coverage_share", j.coverageShare());
        o.put("classes_covered", j.classesCovered());
        o.put("classes", j.classes());
        o.put("min_share", j.minShare());
        o.put("rarest_label", j.rarestLabel());
        if (j.hasAskedLabels()) {
            o.put("asked_label_share", j.askedLabelShare());
        } else {
            o.putNull("asked_label_share");
        }
        ObjectNode cl = o.putObject("classifier");
        cl.put("arch", c.meta().settings().arch().type());
        cl.put("epochs", c.meta().settings().epochs());
        cl.put("seed", c.meta().seed());
        cl.put("features", c.featureWidth());
        cl.put("test_accuracy", testAccuracy);
        cl.put("trained", got.trained());
        cl.put("dir", got.dir().toString());
        cl.put("data", c.meta().dataName());
        cl.put("data_sha256", c.meta().dataHash());
        return o;
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
