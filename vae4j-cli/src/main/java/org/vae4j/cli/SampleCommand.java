package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.image.ImageGrid;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Npy;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import org.vae4j.model.vamp.VampVariant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j sample}. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode codes drawn from a Gaussian mixture fitted to the model's training codes (the gmm:10 fit train",
            "saves; --sampler prior for the model's prior: N(0, I), hvae's p(z1|z2), vamp's pseudo-input mixture): FILE.png is an image grid, FILE.npy the decoder means as float32 (N, C, H, W)",
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

    @Mixin
    SamplerOption sampler;

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

    @Option(names = "--pseudo-inputs", description = "vamp only: write the first -n of the model's learned pseudo-inputs "
            + "(its prior's mixture components, as records) instead of samples.")
    boolean pseudoInputs;

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
        sampler.spec();
        threads.apply();
        try (VaeModel m = model.load()) {
            if (pseudoInputs) {
                writePseudoInputs(m, npy, stdout);
                return 0;
            }
            PriorSamples.Labels labels = labels(m, npy, err);
            PriorSamples.check(m, labels);
            CodeSampler codes = sampler.obtain(model.dir, m, () -> data.loadOrFromRun(model.dir, false, err).train(), seed, err);
            String from = " from " + SamplerOption.describe(codes, m);
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
                    PriorSamples.forEachBatch(m, n, seed, labels, codes, batchSize, (start, v, b) -> Npy.writeFloats(os, v, 0, b * d));
                });
                stdout.printf(Locale.ROOT, "wrote %d samples%s%s to %s: float32 %s decoder means%n", n, what, from, out,
                        java.util.Arrays.toString(shape).replace('[', '(').replace(']', ')'));
            } else {
                ImageGrid.writePng(Pictures.samplesImage(m, n, seed, labels, codes, List.of()), out);
                stdout.printf(Locale.ROOT, "wrote %d samples%s%s to %s%n", n, what, from, out);
            }
        }
        return 0;
    }

    /** The first -n pseudo-inputs of a vamp model, as a grid (clamped to [0, 1]) or float32 records. */
    private void writePseudoInputs(VaeModel m, boolean npy, PrintWriter stdout) {
        if (label != null) {
            throw new IllegalArgumentException("--label does not apply to --pseudo-inputs");
        }
        float[] u = VampVariant.pseudoInputs(m);
        int k = VampVariant.pseudoInputCount(m);
        int count = Math.min(n, k);
        int d = m.featureSize();
        float[] first = java.util.Arrays.copyOf(u, count * d);
        List<Integer> s = m.config().inputShape();
        if (npy) {
            long[] shape = new long[s.size() + 1];
            shape[0] = count;
            for (int i = 0; i < s.size(); i++) {
                shape[i + 1] = s.get(i);
            }
            AtomicFiles.write(out, os -> {
                os.write(Npy.float32Header(shape));
                Npy.writeFloats(os, first, 0, first.length);
            });
        } else {
            int[] shape = s.stream().mapToInt(Integer::intValue).toArray();
            ImageGrid.writePng(ImageGrid.render(first, count, shape, Math.min(count, 20), ImageGrid.autoScale(shape), 2), out);
        }
        stdout.printf(Locale.ROOT, "wrote %d of the model's %d pseudo-inputs to %s%n", count, k, out);
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
