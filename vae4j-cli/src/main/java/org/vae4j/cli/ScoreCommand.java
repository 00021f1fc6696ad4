package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.vae4j.anomaly.AnomalyScores;
import org.vae4j.anomaly.RankingMetrics;
import org.vae4j.anomaly.ScoreMethod;
import org.vae4j.data.Dataset;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LabelFilter;
import org.vae4j.image.ImageGrid;
import org.vae4j.io.AtomicFiles;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j score}. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Per-record anomaly scores (higher = more anomalous) written as id,label,score.",
            "With --anomaly-labels: ROC-AUC and PR-AUC (average precision), and a ROC curve PNG beside --out."})
class ScoreCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "test", description = "test, train or all (ids then prefixed train:/test:). Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "Scores as CSV: id,label,score in data order.")
    Path out;

    @Option(names = "--method", paramLabel = "METHOD",
            description = "neg-elbo (K sampled z, default 1), iw-nll (importance-weighted -log p(x), default K = 100), "
                    + "recon-prob (An & Cho: -mean log p(x|z), z ~ q(z|x), default K = 10), recon-error (squared error at z = mu; "
                    + "any model). Default: iw-nll for a vae, recon-error for an ae.")
    String method;

    @Option(names = "--samples", paramLabel = "K", description = "Samples of z per record (default depends on --method).")
    Integer samples;

    @Option(names = "--anomaly-labels", split = ",", paramLabel = "L1,L2", description = "Labels (names or numbers) that count as anomalous.")
    List<String> anomalyLabels;

    @Option(names = "--top", defaultValue = "0", paramLabel = "N", description = "List the N highest-scoring records (and draw them for image data).")
    int top;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for sampled z. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--force", description = "Replace --out (and the pictures beside it) if they exist.")
    boolean force;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecordOutputs.checkSplit(split);
        RecordOutputs.checkNew(out, force, ".csv");
        if (top < 0 || (samples != null && samples < 1)) {
            throw new IllegalArgumentException("--top must be >= 0 and --samples >= 1");
        }
        if (samples != null && samples > org.vae4j.anomaly.AnomalyScores.MAX_SAMPLES) {
            throw new IllegalArgumentException("--samples must be at most " + org.vae4j.anomaly.AnomalyScores.MAX_SAMPLES
                    + " (samples of z per record; each costs a decoder pass), got " + samples);
        }
        ScoreMethod requested = method == null ? null : ScoreMethod.byId(method);
        Path rocPng = RecordOutputs.beside(out, "-roc.png");
        Path topPng = RecordOutputs.beside(out, "-top.png");
        if (anomalyLabels != null) {
            RecordOutputs.checkNew(rocPng, force, ".png");
        }
        if (top > 0) {
            RecordOutputs.checkNew(topPng, force, ".png");
        }
        threads.apply();
        try (VaeModel m = model.load()) {
            m.require(org.vae4j.model.Capability.ENCODES, "score"); // every score method puts records through the encoder
            ScoreMethod meth = requested != null ? requested : AnomalyScores.defaultMethod(m);
            AnomalyScores.checkMethod(m, meth);
            int k = meth == ScoreMethod.RECON_ERROR ? 1 : (samples != null ? samples : meth.defaultSamples());
            DataSplits splits = data.loadOrFromRun(model.dir, false, err);
            List<RecordOutputs.Part> parts = RecordOutputs.parts(splits, split);
            List<boolean[]> anomalous = new ArrayList<>();
            if (anomalyLabels != null) {
                for (RecordOutputs.Part p : parts) {
                    Set<Integer> chosen = LabelFilter.resolve(p.data(), anomalyLabels, "--anomaly-labels");
                    boolean[] a = new boolean[p.data().size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = chosen.contains(p.data().labels()[i]);
                    }
                    anomalous.add(a);
                }
            }
            long t0 = System.nanoTime();
            List<double[]> scores = new ArrayList<>();
            for (RecordOutputs.Part p : parts) {
                Dataset ds = p.data();
                LatentData.checkShape(ds, m);
                if (ds.size() == 0) {
                    throw LatentData.emptySplit(ds, split);
                }
                RecordOutputs.conditionLabels(m, ds); // data without labels for a conditional model: exit 1, naming the file
                ProgressLine pl = new ProgressLine(err, "scoring " + (p.prefix().isEmpty() ? split : p.prefix()), ds.size(), json);
                double[] s = scoreRecords(m, ds, meth, k, seed, pl);
                scores.add(s);
                pl.done();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            AtomicFiles.write(out, os -> {
                Writer w = new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8);
                w.write("id,label,score\n");
                for (int pi = 0; pi < parts.size(); pi++) {
                    double[] s = scores.get(pi);
                    for (int i = 0; i < s.length; i++) {
                        w.write(RecordOutputs.idAndLabel(parts.get(pi), i) + "," + String.format(Locale.ROOT, "%.6f", s[i]) + "\n");
                    }
                }
                w.flush();
            });
            double[] all = concat(scores);
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("method", meth.id());
            o.put("samples", k);
            o.put("n", all.length);
            double mean = 0;
            for (double v : all) {
                mean += v / all.length;
            }
            o.put("mean_score", mean);
            if (anomalyLabels != null) {
                boolean[] pos = concat2(anomalous);
                int nPos = 0;
                for (boolean b : pos) {
                    nPos += b ? 1 : 0;
                }
                double roc = RankingMetrics.rocAuc(all, pos);
                double pr = RankingMetrics.averagePrecision(all, pos);
                o.put("roc_auc", roc);
                o.put("pr_auc", pr);
                o.put("n_anomalous", nPos);
                writeRoc(RankingMetrics.rocCurve(all, pos), meth, roc, rocPng);
            }
            o.put("seconds", seconds);
            List<String> topLines = new ArrayList<>();
            boolean images = parts.get(0).data().isImage();
            if (top > 0) {
                List<Integer> order = RecordOutputs.order(all, true).subList(0, Math.min(top, all.length));
                int d = parts.get(0).data().featureSize();
                float[] pics = new float[images ? order.size() * d : 0];
                for (int r = 0; r < order.size(); r++) {
                    int g = order.get(r);
                    int pi = 0;
                    int i = g;
                    while (i >= parts.get(pi).data().size()) {
                        i -= parts.get(pi).data().size();
                        pi++;
                    }
                    topLines.add(RecordOutputs.idAndLabel(parts.get(pi), i) + "," + String.format(Locale.ROOT, "%.6f", all[g]));
                    if (images) {
                        parts.get(pi).data().copyRecord(i, pics, r * d);
                    }
                }
                if (images) {
                    int[] shape = parts.get(0).data().shape();
                    ImageGrid.writePng(ImageGrid.render(pics, order.size(), shape, LatentPictures.balancedColumns(order.size(), 10),
                            ImageGrid.autoScale(shape), 2), topPng);
                }
            }
            if (json) {
                stdout.println(new ObjectMapper().writeValueAsString(o));
            } else {
                stdout.printf(Locale.ROOT, "%d records scored with %s%s in %.1f s -> %s%n", all.length, meth.id(),
                        meth == ScoreMethod.RECON_ERROR ? "" : " (K = " + k + ")", seconds, out);
                if (anomalyLabels != null) {
                    stdout.printf(Locale.ROOT, "ROC-AUC %.4f  PR-AUC %.4f  (%d anomalous of %d; ROC curve %s)%n",
                            o.get("roc_auc").asDouble(), o.get("pr_auc").asDouble(), o.get("n_anomalous").asInt(), all.length, rocPng);
                }
                if (top > 0) {
                    stdout.println("most anomalous (id,label,score):");
                    topLines.forEach(l -> stdout.println("  " + l));
                    if (images) {
                        stdout.println("pictures of them (highest score first): " + topPng);
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Scores one split's records in order (in this process; {@code vae4j spark score} overrides it to score them on a
     * Spark cluster with the same method, samples and seed).
     */
    double[] scoreRecords(VaeModel m, Dataset ds, ScoreMethod meth, int k, long seed, ProgressLine pl) {
        // iw-nll: one record per thread at a time, each on one engine thread (the same scores)
        return AnomalyScores.score(m, ds, meth, k, seed, pl::update, org.vae4j.util.Engines.threads());
    }

    private static void writeRoc(RankingMetrics.Curve c, ScoreMethod meth, double auc, Path file) {
        XYChart chart = Charts.xy("ROC curve (" + meth.id() + ")", "false positive rate", "true positive rate", 520, 480);
        XYSeries s = chart.addSeries(String.format(Locale.ROOT, "AUC %.4f", auc), c.fpr(), c.tpr());
        s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        // XChart labels the axes with the data values themselves when they are equally spaced (rates are multiples
        // of 1/n); an off-grid point on the diagonal keeps its ordinary ticks
        double off = Math.E / 10;
        XYSeries d = chart.addSeries("chance", new double[] {0, off, 1}, new double[] {0, off, 1});
        d.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        AtomicFiles.writeBytes(file, Charts.png(chart));
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static boolean[] concat2(List<boolean[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        boolean[] out = new boolean[n];
        int o = 0;
        for (boolean[] a : parts) {
            System.arraycopy(a, 0, out, o, a.length);
            o += a.length;
        }
        return out;
    }
}
