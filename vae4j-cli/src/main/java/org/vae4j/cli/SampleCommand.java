package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.MixtureSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.generate.Samplers;
import org.vae4j.image.ImageGrid;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Npy;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j sample}. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode codes drawn from a Gaussian mixture fitted to the model's training codes (the gmm:10 fit train",
            "saves; --sampler prior for the prior N(0, I)): FILE.png is an image grid, FILE.npy the decoder means as float32 (N, C, H, W)",
            "for images or (N, D) for vectors. A conditional model (cvae) decodes with --label."})
final class SampleCommand implements Callable<Integer> {
    /** Most samples in a picture. */
    static final int MAX_PNG = 1024;
    /** Most samples in an .npy file. */
    static final int MAX_NPY = 100_000;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "-n", defaultValue = "64", description = "Number of samples (1..1024 for .png, 1..100000 for .npy). Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--label", paramLabel = "LABEL",
            description = "Conditional models only: the label to sample (its number, or its name in the run's data set), "
                    + "or 'all' (sample i gets label i mod classes). Without it a .png cycles over all classes, one row per "
                    + "class; an .npy needs it.")
    String label;

    @Option(names = "--sampler", defaultValue = "auto", paramLabel = "auto|prior|gmm:K",
            description = {"Where the codes come from: prior (N(0, I), what the model was trained to decode) or gmm:K, a",
                "K-component Gaussian mixture fitted by EM to the posterior means of the run's training records (one",
                "mixture per label for a conditional model; ex-post density estimation, which avoids the prior's holes).",
                "A fit is saved beside the model as sampler-gmm-K.json and reused. auto: the gmm:10 fit train saves,",
                "else (models saved without one) the prior. Default: ${DEFAULT-VALUE}."})
    String sampler;

    @Mixin
    DataOptions data;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the codes (sample i depends only on it and i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Samples decoded per pass (memory; the samples do not depend on it). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png (grid) or FILE.npy (float32 decoder means).")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecordOutputs.checkNew(out, force, ".png", ".npy");
        boolean npy = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
        int max = npy ? MAX_NPY : MAX_PNG;
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("-n must be in 1.." + max + " for " + (npy ? ".npy" : ".png") + ", got " + n);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        CodeSampler.Spec samplerSpec = CodeSampler.Spec.parse(sampler);
        threads.apply();
        try (VaeModel m = model.load()) {
            PriorSamples.Labels labels = labels(m, npy, err);
            PriorSamples.check(m, labels);
            Samplers.Obtained codes = Samplers.obtain(model.dir, m, samplerSpec,
                    () -> data.loadOrFromRun(model.dir, false, err).train(), seed);
            if (codes.fitted()) {
                err.printf(Locale.ROOT, "%s; saved to %s%n", ((MixtureSampler) codes.sampler()).summary(), codes.file());
            }
            String from = " from " + (codes.sampler() == CodeSampler.PRIOR ? "the prior N(0, I)" : codes.sampler().spec());
            String what = labels.fixed() >= 0 ? " of label " + labels.fixed()
                    : labels.cycle() > 0 ? " cycling over " + labels.cycle() + " labels (sample i has label i mod " + labels.cycle() + ")" : "";
            if (npy) {
                List<Integer> s = m.config().inputShape();
                long[] shape = new long[s.size() + 1];
                shape[0] = n;
                for (int i = 0; i < s.size(); i++) {
                    shape[i + 1] = s.get(i);
                }
                int d = m.featureSize();
                AtomicFiles.write(out, os -> {
                    os.write(Npy.float32Header(shape));
                    PriorSamples.forEachBatch(m, n, seed, labels, codes.sampler(), batchSize, (start, v, b) -> Npy.writeFloats(os, v, 0, b * d));
                });
                stdout.printf(Locale.ROOT, "wrote %d samples%s%s to %s: float32 %s decoder means%n", n, what, from, out,
                        java.util.Arrays.toString(shape).replace('[', '(').replace(']', ')'));
            } else {
                ImageGrid.writePng(Pictures.samplesImage(m, n, seed, labels, codes.sampler(), List.of()), out);
                stdout.printf(Locale.ROOT, "wrote %d samples%s%s to %s%n", n, what, from, out);
            }
        }
        return 0;
    }

    private PriorSamples.Labels labels(VaeModel m, boolean npy, PrintWriter err) {
        if (label == null) {
            if (!m.can(Capability.CONDITIONAL)) {
                return PriorSamples.Labels.none();
            }
            if (npy) {
                throw new IllegalArgumentException("a '" + m.config().model() + "' model is conditional: give --label K (0.."
                        + (m.classes() - 1) + " or a label name) or --label all for an .npy file");
            }
            return PriorSamples.Labels.cycle(m.classes());
        }
        m.require(Capability.CONDITIONAL, "--label");
        if (label.trim().equalsIgnoreCase("all")) {
            return PriorSamples.Labels.cycle(m.classes());
        }
        // a name is looked up in the run's own data set, loaded only then
        return PriorSamples.Labels.fixed(LabelOption.resolve(label, m, LatentData.names(model, data, err), "--label"));
    }
}
