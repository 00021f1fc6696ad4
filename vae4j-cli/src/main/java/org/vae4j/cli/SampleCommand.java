package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.DataSplits;
import org.vae4j.data.Dataset;
import org.vae4j.data.TableSchema;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.generate.TableFidelity;
import org.vae4j.generate.TableSamples;
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
            "for images or (N, D) for vectors. A conditional model (cvae) decodes with --label.",
            "A table model (csv: data) writes synthetic rows to FILE.csv in the file's own terms (original units, 0/1,",
            "category names) and compares them with the run's training rows."})
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
                    + "class; an .npy needs it; table rows (.csv) get labels drawn in the training rows' shares.")
    String label;

    @Mixin
    SamplerOption sampler;

    @Mixin
    DataOptions data;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the codes (sample i depends only on it and i). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Samples decoded per pass (memory; the samples do not depend on it). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "FILE.png (grid) or FILE.npy (float32 decoder means); for a table model FILE.csv (synthetic rows) or FILE.npy.")
    Path out;

    @Option(names = "--draw", defaultValue = "sample", paramLabel = "sample|mean",
            description = {"Table rows (.csv): 'sample' draws each cell from p(x|z) (values spread like the data, categories in "
                    + "the learned shares); 'mean' takes the decoder's most likely value (smoother rows, narrower columns, "
                    + "rare categories under-drawn). Default: ${DEFAULT-VALUE}."})
    String draw;

    @Option(names = "--ids", description = "Table rows (.csv): add the run's id column, numbering the rows 1..N (default: left out).")
    boolean ids;

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
        RecordOutputs.checkNew(out, force, ".png", ".npy", ".csv");
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean npy = name.endsWith(".npy");
        boolean csv = name.endsWith(".csv");
        int max = npy ? MAX_NPY : csv ? TableRows.MAX_CSV : MAX_PNG;
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("-n must be in 1.." + max + " for " + (npy ? ".npy" : csv ? ".csv" : ".png") + ", got " + n);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        TableSamples.Draw how = TableSamples.Draw.parse(draw);
        sampler.spec();
        threads.given();
        try (VaeModel m = model.load()) {
            threads.apply(m, Math.min(n, batchSize));
            if (TableRows.isTable(m) && !npy && !csv) {
                TableRows.refusePictures(m, model.dir, "sample", out);
            }
            if (csv) {
                return rows(m, how, stdout, err);
            }
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

    /** Synthetic rows of a table model to --out (.csv), and their fidelity against the run's training rows. */
    private int rows(VaeModel m, TableSamples.Draw how, PrintWriter stdout, PrintWriter err) {
        if (!TableRows.isTable(m)) {
            throw new IllegalArgumentException(out + ": synthetic rows (.csv) need a table model (trained on csv: data); "
                    + "this one's records are " + (m.config().inputShape().size() == 3 ? "images: use --out FILE.png" : "vectors: use --out FILE.npy"));
        }
        TableSchema t = TableSamples.schema(m);
        // the run's own rows: label names and shares, and the real side of the fidelity summary
        DataSplits data = null;
        String why = null;
        try {
            data = this.data.loadOrFromRun(model.dir, false, err);
        } catch (RuntimeException e) {
            why = e.getMessage();
        }
        Dataset train = data == null ? null : data.train();
        List<String> names = train != null && train.hasLabels() ? train.labelNames() : null;
        int[] labels = null;
        Integer fixed = null;
        String what = "";
        if (label != null) {
            m.require(Capability.CONDITIONAL, "--label");
        }
        if (m.can(Capability.CONDITIONAL)) {
            if (label != null && label.trim().equalsIgnoreCase("all")) {
                labels = PriorSamples.Labels.cycle(m.classes()).slice(0, n);
                what = ", cycling over the " + m.classes() + " labels";
            } else if (label != null) {
                fixed = LabelOption.resolve(label, m, () -> names, "--label");
                labels = new int[n];
                java.util.Arrays.fill(labels, fixed);
                what = ", all of " + LabelOption.describe(fixed, names);
            } else if (train != null && train.hasLabels()) {
                double[] shares = new double[m.classes()];
                for (int l : train.labels()) {
                    if (l >= 0 && l < shares.length) {
                        shares[l]++;
                    }
                }
                labels = TableSamples.drawLabels(shares, n, seed);
                what = ", labels drawn in the training rows' shares";
            } else {
                labels = PriorSamples.Labels.cycle(m.classes()).slice(0, n);
                what = ", cycling over the " + m.classes() + " labels (the run's data, and so its label shares, could not be read)";
            }
        }
        Dataset fitOn = train;
        String unreadable = why;
        CodeSampler codes = sampler.obtain(model.dir, m, () -> {
            if (fitOn == null) {
                throw new IllegalArgumentException("--sampler " + sampler.spec() + " needs the run's training rows, which could not be read: "
                        + unreadable);
            }
            return fitOn;
        }, seed, err);
        TableFidelity.Accumulator synth = new TableFidelity.Accumulator(t);
        // columns of whole numbers in the run's rows (ages, counts) are written as whole numbers
        boolean[] integral = train == null ? null : TableSamples.integralColumns(t, train);
        TableRows.write(out, m, n, seed, labels, names, codes, how, batchSize, ids, TableRows.RoleNames.of(model.dir), integral, synth);
        stdout.printf(Locale.ROOT, "wrote %d synthetic rows to %s (codes from %s, %s%s): %d columns%s%n", n, out,
                SamplerOption.describe(codes, m),
                how == TableSamples.Draw.SAMPLE ? "each cell drawn from p(x|z)" : "the decoder's most likely values", what,
                t.columns().size() + (ids ? 1 : 0) + (labels != null ? 1 : 0), ids ? ", with ids" : "");
        if (train == null) {
            err.println("note: no fidelity summary: the run's data could not be read (" + why + ")");
        } else {
            TableFidelity.Accumulator real = TableRows.real(t, train, fixed);
            if (real.rows() == 0) {
                err.println("note: no fidelity summary: the training split has no rows" + (fixed != null ? " of that label" : ""));
            } else {
                TableRows.printFidelity(stdout, TableFidelity.of(real, synth), "training rows" + (fixed != null ? " of that label" : ""), 12);
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
