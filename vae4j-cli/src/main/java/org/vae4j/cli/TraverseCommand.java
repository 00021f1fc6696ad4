package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.image.ImageGrid;
import org.vae4j.latent.Encodings;
import org.vae4j.latent.Traversal;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j traverse}. */
@Command(name = "traverse", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Latent traversals: one row per latent dimension, sweeping it over [-range, range] while the others",
            "stay at a test record's posterior mean (or at 0 without data). With data, the rows are the dimensions",
            "with the highest mean KL on the test split, labelled with it.",
            "A conditional model (cvae) traverses within one class: --label K, else the test record's own label.",
            "--seed S: the others stay at a code drawn from the prior instead (a model without an encoder, a gan, has no",
            "posterior means)."})
final class TraverseCommand implements Callable<Integer> {
    static final int DEFAULT_DIMS = 8;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--index", paramLabel = "I", description = "Test record whose posterior mean fixes the other dimensions (default 0 when data are used).")
    Integer index;

    @Option(names = "--seed", paramLabel = "S", description = "Fix the other dimensions at a prior code drawn with this seed (no data needed).")
    Long seed;

    @Option(names = "--dims", paramLabel = "K", description = "Rows: how many dimensions (default: " + DEFAULT_DIMS + ", or the latent size if smaller).")
    Integer dims;

    @Option(names = "--range", defaultValue = "3", description = "Sweep from -range to +range. Default: ${DEFAULT-VALUE}.")
    double range;

    @Option(names = "--steps", defaultValue = "9", description = "Images per row (2..50). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Mixin
    LabelOption label;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Mixin
    Outputs.Force force;

    @Mixin
    SamplerOption sampler;

    @Override
    public Integer call() {
        if (steps < 2 || steps > 50) {
            throw new IllegalArgumentException("--steps must be in 2..50, got " + steps);
        }
        Traversal.values(range, steps);
        Outputs.checkPng(out, force.force);
        PrintWriter o = spec.commandLine().getOut();
        int k;
        try (VaeModel m = model.load()) {
            int l = m.latent();
            k = dims == null ? Math.min(DEFAULT_DIMS, l) : dims;
            if (k < 1 || k > l) {
                throw new IllegalArgumentException("--dims must be in 1.." + l + " (the latent size), got " + k);
            }
            if (seed != null && (data.spec != null || index != null)) {
                throw new IllegalArgumentException("give either --seed S (a prior code) or data and --index (a record's code), not both");
            }
            boolean useData = seed == null && (data.spec != null || index != null);
            if (useData && !m.can(Capability.ENCODES)) {
                throw new org.vae4j.model.UnsupportedCapabilityException(Capability.ENCODES, "traverse with data: a '"
                        + m.config().model() + "' model cannot " + Capability.ENCODES.phrase() + "; use --seed S (a prior code) "
                        + "or no data (the origin)");
            }
            float[] base = new float[l];
            int[] rows;
            String[] labels = new String[k];
            Integer cls;
            String within = "";
            if (useData) {
                ArrayDataset ds = LatentData.testSplit(model, data, m, spec.commandLine().getErr());
                int i = index == null ? 0 : index;
                LatentData.checkIndex("--index", i, ds);
                Integer given = label.resolve(m, LatentData.names(ds));
                int[] all = java.util.stream.IntStream.range(0, ds.size()).toArray();
                Traversal.Ranking rank = Traversal.rank(m, LatentData.records(m, ds, all), ds.size(), LatentData.labels(m, ds, given, all));
                rows = rank.top(k);
                int[] own = LatentData.labels(m, ds, given, i);
                cls = own == null ? null : own[0];
                base = Encodings.encode(m, LatentData.records(m, ds, i), 1, own).mu();
                if (cls != null) {
                    within = ", within " + LabelOption.describe(cls, LatentData.knownNames(ds));
                }
                StringBuilder sb = new StringBuilder();
                for (int r = 0; r < k; r++) {
                    labels[r] = String.format(Locale.ROOT, "z%d  %s %.2f", rows[r], rank.measure(), rank.scores()[rows[r]]);
                    sb.append(r == 0 ? "" : ", ").append(labels[r].replace("  ", " "));
                }
                o.printf(Locale.ROOT, "dimensions by %s on the %d test records: %s%n",
                        rank.measure().equals("KL") ? "mean KL (nats)" : "variance of the code", ds.size(), sb);
                o.printf(Locale.ROOT, "other dimensions fixed at the posterior mean of test record %d%s%n", i, within);
            } else {
                cls = label.required(m, LatentData.names(model, data, spec.commandLine().getErr()), "traverse without data");
                rows = new int[k];
                for (int r = 0; r < k; r++) {
                    rows[r] = r;
                    labels[r] = "z" + r;
                }
                String drawnFrom = "";
                if (seed != null) {
                    m.require(Capability.SAMPLES, "traverse --seed");
                    java.io.PrintWriter err = spec.commandLine().getErr();
                    CodeSampler drawn = sampler.obtain(model.dir, m, () -> data.loadOrFromRun(model.dir, false, err).train(), seed, err);
                    base = PriorSamples.codes(m, 1, seed, cls == null ? PriorSamples.Labels.none() : PriorSamples.Labels.fixed(cls), drawn);
                    drawnFrom = SamplerOption.describe(drawn, m);
                }
                o.println((seed == null ? "no data: first " + k + " dimensions, others fixed at 0"
                        : "first " + k + " dimensions, others fixed at a code drawn from " + drawnFrom + " with seed " + seed)
                        + (cls == null ? "" : ", within " + LabelOption.describe(cls, null)));
            }
            int[] shape = Pictures.shape(m);
            float[] img = cls == null ? Traversal.decode(m, base, rows, range, steps) : Traversal.decode(m, base, rows, range, steps, cls);
            ImageGrid.writePng(LatentPictures.labelRows(LatentPictures.grid(img, k * steps, shape, steps), shape, labels), out);
        }
        o.printf(Locale.ROOT, "wrote %s: %d rows of %d images, each dimension from %.2f to %.2f%n", out, k, steps, -range, range);
        return 0;
    }
}
