package org.vae4j.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.Dataset;
import org.vae4j.data.DataSplits;
import org.vae4j.io.AtomicFiles;
import org.vae4j.latent.LatentDensity;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j density}. */
@Command(name = "density", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How common each record is, from per-dimension histograms of its latent means (debiasing VAEs,",
            "Amini et al. 2019), and resampling weights 1/(density + alpha) for 'vae4j train --sample-weights'.",
            "Bins get (count+1)/(N+bins); density = product over dimensions, relative to the data-set mean (mean 1);",
            "weights are normalised to mean 1. Writes id,label,density,weight and, for images, pictures of the most",
            "over- and under-represented records (FILE-over.png, FILE-under.png).",
            "A conditional model (cvae) encodes each record given its own label, or every record given --label K."})
final class DensityCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "train", description = "train (the records --sample-weights applies to), test or all. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Weights as CSV: id,label,density,weight.")
    Path out;

    @Option(names = "--bins", defaultValue = "10", description = "Histogram bins per latent dimension. Default: ${DEFAULT-VALUE}.")
    int bins;

    @Option(names = "--alpha", defaultValue = "0.01", description = "Added to the relative density before inverting; larger = gentler weights. Default: ${DEFAULT-VALUE}.")
    double alpha;

    @Option(names = "--top", defaultValue = "32", paramLabel = "N", description = "Records in each picture and list. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--force", description = "Replace --out and its pictures if they exist.")
    boolean force;

    @Mixin
    LabelOption label;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecordOutputs.checkSplit(split);
        RecordOutputs.checkNew(out, force, ".csv");
        if (top < 0) {
            throw new IllegalArgumentException("--top must be >= 0, got " + top);
        }
        Path overPng = RecordOutputs.beside(out, "-over.png");
        Path underPng = RecordOutputs.beside(out, "-under.png");
        threads.apply();
        try (VaeModel m = model.load()) {
            DataSplits splits = data.loadOrFromRun(model.dir, false, err);
            List<RecordOutputs.Part> parts = RecordOutputs.parts(splits, split);
            int l = m.latent();
            int n = 0;
            for (RecordOutputs.Part p : parts) {
                LatentData.checkShape(p.data(), m);
                n += p.data().size();
            }
            if (n == 0) {
                throw LatentData.emptySplit(parts.get(0).data(), split);
            }
            Integer k = label.resolve(m, LatentData.names(parts.get(0).data()));
            float[] mu = new float[n * l];
            int offset = 0;
            for (RecordOutputs.Part p : parts) {
                int base = offset;
                LatentData.forEachBatch(m, p.data(), k, (start, post) ->
                        System.arraycopy(post.mu(), 0, mu, (base + start) * l, post.n() * l));
                offset += p.data().size();
            }
            LatentDensity.Result r = LatentDensity.estimate(mu, n, l, bins, alpha);
            AtomicFiles.write(out, os -> {
                Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                w.write("id,label,density,weight\n");
                int g = 0;
                for (RecordOutputs.Part p : parts) {
                    for (int i = 0; i < p.data().size(); i++, g++) {
                        w.write(RecordOutputs.idAndLabel(p, i) + "," + String.format(Locale.ROOT, "%.6g,%.6g", r.density()[g], r.weights()[g]) + "\n");
                    }
                }
                w.flush();
            });
            List<Integer> under = RecordOutputs.order(r.density(), false).subList(0, Math.min(top, n));
            List<Integer> over = RecordOutputs.order(r.density(), true).subList(0, Math.min(top, n));
            double maxW = 0;
            for (double w : r.weights()) {
                maxW = Math.max(maxW, w);
            }
            stdout.printf(Locale.ROOT, "%d records, latent %d, %d bins, alpha %s: weights from %.3g to %.3g (mean 1) -> %s%n", n, l, bins,
                    alpha, min(r.weights()), maxW, out);
            stdout.println("most under-represented (id,label,density,weight):");
            for (int g : under.subList(0, Math.min(10, under.size()))) {
                stdout.println("  " + line(parts, g, r));
            }
            if (parts.get(0).data().isImage() && top > 0) {
                writeGrid(parts, over, overPng);
                writeGrid(parts, under, underPng);
                stdout.println("pictures: " + overPng + " (most over-represented), " + underPng + " (most under-represented)");
            }
        }
        return 0;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static String line(List<RecordOutputs.Part> parts, int g, LatentDensity.Result r) {
        int[] at = locate(parts, g);
        return RecordOutputs.idAndLabel(parts.get(at[0]), at[1]) + String.format(Locale.ROOT, ",%.4g,%.4g", r.density()[g], r.weights()[g]);
    }

    private static int[] locate(List<RecordOutputs.Part> parts, int g) {
        int pi = 0;
        int i = g;
        while (i >= parts.get(pi).data().size()) {
            i -= parts.get(pi).data().size();
            pi++;
        }
        return new int[] {pi, i};
    }

    private static void writeGrid(List<RecordOutputs.Part> parts, List<Integer> global, Path file) {
        Dataset first = parts.get(0).data();
        int d = first.featureSize();
        float[] x = new float[global.size() * d];
        for (int k = 0; k < global.size(); k++) {
            int[] at = locate(parts, global.get(k));
            parts.get(at[0]).data().copyRecord(at[1], x, k * d);
        }
        int[] shape = first.shape();
        org.vae4j.image.ImageGrid.writePng(org.vae4j.image.ImageGrid.render(x, global.size(), shape, Math.min(8, global.size()),
                org.vae4j.image.ImageGrid.autoScale(shape), 2), file);
    }
}
