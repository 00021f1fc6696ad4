package org.vae4j.cli;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.vae4j.data.ArrayDataset;
import org.vae4j.io.AtomicFiles;
import org.vae4j.latent.LatentProjection;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j latent-map}. */
@Command(name = "latent-map", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scatter plot of the posterior means of test records, coloured by label: the latent itself when it",
            "is 2-D, else its projection on the first two principal components.",
            "A conditional model (cvae) encodes each record given its own label, or every record given --label K."})
final class LatentMapCommand implements Callable<Integer> {
    /** Distinguishable colours (Tableau 10). */
    private static final Color[] COLORS = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2),
        new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac)};

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--limit", defaultValue = "5000", paramLabel = "N", description = "Plot the first N test records (2..100000). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin
    LabelOption label;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Mixin
    Outputs.Force force;

    @Override
    public Integer call() {
        if (limit < 2 || limit > 100_000) {
            throw new IllegalArgumentException("--limit must be in 2..100000, got " + limit);
        }
        Outputs.checkPng(out, force.force);
        LatentProjection p;
        int n;
        String given = "";
        try (VaeModel m = model.load()) {
            ArrayDataset ds = LatentData.testSplit(model, data, m, spec.commandLine().getErr());
            n = Math.min(limit, ds.size());
            if (n < 2) {
                throw new IllegalArgumentException("a latent map needs at least 2 test records; the test split has " + ds.size());
            }
            int[] idx = java.util.stream.IntStream.range(0, n).toArray();
            Integer k = label.resolve(m, LatentData.names(ds));
            p = LatentProjection.of(m, LatentData.records(m, ds, idx), n, LatentData.labels(m, ds, k, idx));
            given = LabelOption.given(m, k, LatentData.knownNames(ds));
            write(chart(p, ds.head(n)), out);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "plotted the posterior means of %d test records%s: %s%nwrote %s%n", n, given,
                p.describe(), out);
        return 0;
    }

    static XYChart chart(LatentProjection p, ArrayDataset ds) {
        return chart(p, ds, 800, 640);
    }

    /** The scatter plot of {@code p}'s points coloured by the labels of the first {@code p.n()} records of {@code ds}. */
    static XYChart chart(LatentProjection p, ArrayDataset ds, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title("Posterior means: " + p.describe())
                .xAxisTitle(p.pca() ? "PC1" : "z0").yAxisTitle(p.pca() ? "PC2" : (p.latent() == 1 ? "" : "z1")).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setSeriesColors(COLORS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        float[] pts = p.points();
        TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < p.n(); i++) {
            int label = ds.hasLabels() ? ds.labels()[i] : 0;
            groups.computeIfAbsent(label, k -> new ArrayList<>()).add(i);
        }
        List<String> names = ds.labelNames();
        for (var e : groups.entrySet()) {
            List<Integer> members = e.getValue();
            double[] x = new double[members.size()];
            double[] y = new double[members.size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = pts[2 * members.get(j)];
                y[j] = pts[2 * members.get(j) + 1];
            }
            int label = e.getKey();
            String name = !ds.hasLabels() ? "records" : (label >= 0 && label < names.size() ? names.get(label) : "label " + label);
            chart.addSeries(name, x, y);
        }
        return chart;
    }

    private static void write(XYChart chart, Path file) {
        try {
            AtomicFiles.writeBytes(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
