package org.vae4j.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataSplits;
import org.vae4j.image.ImageGrid;
import org.vae4j.io.AtomicFiles;
import org.vae4j.judge.ClassifierCache;
import org.vae4j.latent.LatentProjection;
import org.vae4j.lectures.GradientVariance;
import org.vae4j.lectures.LectureClaim;
import org.vae4j.lectures.LectureListener;
import org.vae4j.lectures.LectureReport;
import org.vae4j.lectures.LectureVerdicts;
import org.vae4j.lectures.Lectures;
import org.vae4j.lectures.Lectures.BetaStats;
import org.vae4j.lectures.Lectures.ModelStats;
import org.vae4j.lectures.Verdict;
import org.vae4j.model.ModelConfig;
import org.vae4j.train.EpochMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vae4j lectures}: copies the options into {@link Lectures#run}, which trains the small models behind the
 * lecture claims (an autoencoder and a VAE with 2-D codes, β-VAEs over a range of β), measures them and decides the
 * verdicts; this command prints the progress and renders the returned {@link LectureReport} as one page,
 * {@code DIR/index.html}, with its PNGs, each section captioned from the measured numbers.
 */
@Command(name = "lectures", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce the lectures' claims about autoencoders and VAEs as one report (DIR/index.html + PNGs):",
            "(1) latent spaces of a 2-D autoencoder and a 2-D VAE, (2) sampling from the prior, (3) interpolation,",
            "(4) β against reconstruction and KL, with traversals, (5) the reparameterisation trick's gradient variance."})
final class LecturesCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for index.html and the PNGs (created if missing).")
    Path out;

    @Mixin
    Outputs.Force force;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Epochs of every model: fewer is faster and rougher. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--hidden", split = ",", defaultValue = "256,128", paramLabel = "N[,N...]", description = "Hidden widths of the 2-D models. Default: ${DEFAULT-VALUE}.")
    List<Integer> hidden;

    @Option(names = "--beta-hidden", split = ",", defaultValue = "256", paramLabel = "N[,N...]", description = "Hidden widths of the β-VAEs. Default: ${DEFAULT-VALUE}.")
    List<Integer> betaHidden;

    @Option(names = "--latent", defaultValue = "10", description = "Latent size of the β-VAEs. Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--betas", split = ",", defaultValue = "0.5,1,4,10", paramLabel = "B[,B...]", description = "β values. Default: ${DEFAULT-VALUE}.")
    List<Double> betas;

    @Option(names = "--batch-size", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--train-limit", defaultValue = "0", paramLabel = "N", description = "Train on the first N training records (0: all). Default: ${DEFAULT-VALUE}.")
    int trainLimit;

    @Option(names = "--records", defaultValue = "2000", paramLabel = "N", description = "Test records encoded and measured. Default: ${DEFAULT-VALUE}.")
    int records;

    @Option(names = "--reference", defaultValue = "5000", paramLabel = "N", description = "Training images that decoded images are compared with. Default: ${DEFAULT-VALUE}.")
    int reference;

    @Option(names = "--prior-samples", defaultValue = "1000", paramLabel = "N", description = "Prior samples scored per model. Default: ${DEFAULT-VALUE}.")
    int priorSamples;

    @Option(names = "--pairs", defaultValue = "40", paramLabel = "N", description = "Interpolation pairs measured. Default: ${DEFAULT-VALUE}.")
    int pairs;

    @Option(names = "--grad-records", defaultValue = "16", paramLabel = "N", description = "Records for the gradient-variance comparison. Default: ${DEFAULT-VALUE}.")
    int gradRecords;

    @Option(names = "--grad-samples", defaultValue = "1000", paramLabel = "N", description = "Samples per record for it. Default: ${DEFAULT-VALUE}.")
    int gradSamples;

    @Option(names = "--iw-samples", defaultValue = "100", paramLabel = "K", description = "Importance samples for the β-VAEs' NLL. Default: ${DEFAULT-VALUE}.")
    int iwSamples;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = {"PyTorch intra-op threads (0: all cores). These models "
            + "are small and overhead-bound: one thread is nearly as fast on a quiet machine and far faster on a busy one. Default: ${DEFAULT-VALUE}."})
    int threads;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Root of the yardstick's classifier cache, shared with 'vae4j judge' (default $VAE4J_DATA/cache/judge or "
                    + "~/.vae4j/cache/judge).")
    Path cacheDir;

    @Option(names = {"-q", "--quiet"}, description = "Only the summary, no per-epoch lines.")
    boolean quiet;

    private PrintWriter o;

    @Override
    public Integer call() throws Exception {
        o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        for (double b : betas) {
            if (!(b >= 0) || Double.isInfinite(b)) {
                throw new IllegalArgumentException("--betas must be finite and >= 0, got " + b);
            }
        }
        // an earlier report is kept unless --force (checked before the long run)
        Outputs.checkNewDirectory(out, force.force);
        Lectures.Settings d = Lectures.Settings.defaults();
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be in 0..1024, got " + threads);
        }
        Lectures.Settings s = new Lectures.Settings(epochs, epochs, hidden, betaHidden, latent, betas, batchSize, trainLimit, records,
                reference, priorSamples, pairs, d.steps(), gradRecords, gradSamples, iwSamples, d.iwRecords(), seed, threads);
        DataSplits splits = data.load(spec.commandLine().getErr());
        Files.createDirectories(out);
        LectureReport r = Lectures.run(splits, s, new Lectures.Judge(cacheDir != null ? cacheDir : ClassifierCache.defaultRoot(),
                null, 1), new Progress());

        long p0 = System.nanoTime();
        LectureReport.Setup setup = r.setup();
        twoDPictures(r.latentSpace().autoencoder(), "Autoencoder", setup);
        twoDPictures(r.latentSpace().vae(), "VAE", setup);
        LectureReport.BetaSweep sweep = r.betaSweep();
        for (LectureReport.BetaModel m : sweep.models()) {
            traversal(m, setup.shape());
        }
        betaPictures(sweep, setup.shape());
        gradientChart(r.gradients().summary());
        holesPicture(r.holes().stats(), setup.shape());
        ganPictures(r.gan().stats(), setup.shape());
        List<String[]> timings = new ArrayList<>();
        for (LectureReport.Timing t : r.timings()) {
            timings.add(new String[] {t.stage(), String.format(Locale.ROOT, "%.1f", t.seconds())});
        }
        timings.add(new String[] {"draw the pictures", secs(p0)});

        double total = (System.nanoTime() - t0) / 1e9;
        Html h = new Html("vae4j lectures: " + setup.dataName());
        writePage(h, r, timings, total);
        AtomicFiles.writeString(out.resolve("index.html"), h.finish());
        AtomicFiles.writeString(out.resolve(SUMMARY), summary(r));
        ModelStats ae = r.latentSpace().autoencoder().stats();
        ModelStats vae = r.latentSpace().vae().stats();
        o.printf(Locale.ROOT, "%n(1) latent space: mean distance from origin AE %.2f vs VAE %.2f; ±3 coverage %s vs %s; gap area %s vs %s; "
                        + "decoded gap points realistic %s vs %s%n",
                ae.geometry().meanDistanceFromOrigin(), vae.geometry().meanDistanceFromOrigin(), pct(ae.geometry().coverage()),
                pct(vae.geometry().coverage()), pct(ae.geometry().gapFraction()), pct(vae.geometry().gapFraction()),
                pct(ae.gapsLookLikeData()), pct(vae.gapsLookLikeData()));
        o.printf(Locale.ROOT, "(2) prior samples realistic (precision): AE %s vs VAE %s; test images covered by samples (recall): %s vs %s%s%n",
                pct(ae.priorPrecision()), pct(vae.priorPrecision()), pct(ae.priorRecallMeasured()), pct(vae.priorRecallMeasured()),
                ae.judged() ? String.format(Locale.ROOT, "; Fréchet distance (classifier features, not Inception FID) %s vs %s",
                        f3(ae.priorJudgement().fd()), f3(vae.priorJudgement().fd())) : "");
        o.printf(Locale.ROOT, "(3) interpolation interior realistic: AE %s vs VAE %s (cross-fade %s); largest step share %.3f vs %.3f%n",
                pct(ae.paths().interiorLooksLikeData()), pct(vae.paths().interiorLooksLikeData()), pct(vae.paths().crossFadeLooksLikeData()),
                ae.paths().maxStepShare(), vae.paths().maxStepShare());
        for (LectureReport.BetaModel m : sweep.models()) {
            BetaStats b = m.stats();
            o.printf(Locale.ROOT, "(4) β = %s: recon %.2f, KL %.2f, -ELBO %.2f, IW NLL %.2f, active %d, prior precision %s recall %s%s%s%n", fmt(b.beta()),
                    b.evaluation().recon(), b.evaluation().kl(), b.evaluation().negElbo(), b.iwNll(), b.evaluation().activeUnits(),
                    pct(precision(b)), pct(recall(b)), b.priorJudgement() == null ? "" : " FD " + f3(b.priorJudgement().fd()),
                    b.alignment() == null ? "" : String.format(Locale.ROOT, ", alignment %.2f", b.alignment().score()));
        }
        GradientVariance.Summary grads = r.gradients().summary();
        o.printf(Locale.ROOT, "(5) gradient variance: reparameterised %.4g, score function %.4g (%.0f×; %.0f× with a baseline)%n",
                grads.meanVarReparam(), grads.meanVarScore(), grads.ratio(), grads.ratioBaseline());
        org.vae4j.lectures.PriorHoles ph = r.holes().stats();
        o.printf(Locale.ROOT, "(6) prior's holes: N(0, I) draws in a hole %s vs gmm:%d draws %s; nearest training code %.3f vs %.3f; "
                        + "precision %s vs %s, recall %s vs %s%s%n", pct(ph.priorHoleShare()), ph.components(), pct(ph.gmmHoleShare()),
                ph.priorNearest(), ph.gmmNearest(), pct(ph.priorPrecision()), pct(ph.gmmPrecision()), pct(ph.priorRecallMeasured()),
                pct(ph.gmmRecallMeasured()), ph.judged() ? "; Fréchet distance " + f3(ph.priorFd()) + " vs " + f3(ph.gmmFd()) : "");
        org.vae4j.lectures.GanLecture gl = r.gan().stats();
        org.vae4j.lectures.GanLecture.Saturation sat = gl.saturation();
        org.vae4j.lectures.GanLecture.EpochPoint last = gl.curve().get(gl.curve().size() - 1);
        o.printf(Locale.ROOT, "(7) GAN against %s: precision %s vs %s, recall %s vs %s%s; Laplacian variance %.4f vs %.4f (test images %.4f); "
                        + "G's gradient norm after %d D updates (D(G(z)) %.3f): minimax %.3g vs non-saturating %.3g (ratio %.3g); last epoch "
                        + "D(x) %.3f, D(G(z)) %.3f%n", gl.vae().name(), pct(gl.gan().precision()), pct(gl.vae().precision()),
                pct(gl.gan().recall()), pct(gl.vae().recall()), gl.gan().judged() ? "; Fréchet distance " + f3(gl.gan().fd()) + " vs "
                        + f3(gl.vae().fd()) : "", gl.gan().sharpness().laplacianVariance(), gl.vae().sharpness().laplacianVariance(),
                gl.data().laplacianVariance(), sat.dSteps(), sat.dFake(), sat.minimaxNorm(), sat.nonSaturatingNorm(), sat.ratio(),
                last.trainReal(), last.trainFake());
        o.printf(Locale.ROOT, "wrote %s in %.0f s%n", out.resolve("index.html"), total);
        return 0;
    }

    // ---- progress ----

    /** Prints the run's progress: the data, and each model's epochs unless {@code --quiet}. */
    private final class Progress implements LectureListener {
        @Override
        public void started(LectureReport.Setup setup) {
            o.printf(Locale.ROOT, "data %s: training on %d records, measuring on %d test records, %d reference training images%n",
                    setup.dataName(), setup.trainRecords(), setup.probe().size(), setup.referenceRecords());
        }

        @Override
        public void training(String model, ModelConfig config, int epochsN) {
            if (!quiet) {
                o.println("training " + model + " for " + epochsN + " epochs");
                o.flush();
            }
        }

        @Override
        public void epoch(String model, ModelConfig config, int epochsN, EpochMetrics m) {
            if (!quiet && !config.variant().can(org.vae4j.model.Capability.ENCODES)) {
                // a model without an encoder (the GAN) has no recon or KL: its own terms instead
                List<String> terms = new ArrayList<>();
                m.extra().forEach((k, v) -> terms.add(String.format(Locale.ROOT, "%s %.3f", k, v)));
                o.printf(Locale.ROOT, "  %s epoch %d/%d: %s, %.1f s%n", model, m.epoch(), epochsN, String.join(", ", terms), m.seconds());
                o.flush();
            } else if (!quiet) {
                o.printf(Locale.ROOT, "  %s epoch %d/%d: train loss %.2f, test %s %.2f (recon %.2f, KL %.2f), %.1f s%n", model, m.epoch(),
                        epochsN, m.trainLoss(), config.variant().variational() ? "-ELBO" : "loss", m.testNegElbo(), m.testRecon(), m.testKl(),
                        m.seconds());
                o.flush();
            }
        }
    }

    // ---- pictures ----

    private void twoDPictures(LectureReport.TwoDModel m, String who, LectureReport.Setup setup) {
        ArrayDataset probe = setup.probe();
        int[] shape = setup.shape();
        String tag = m.config().model();
        ModelStats st = m.stats();
        LatentProjection p = new LatentProjection(st.codes(), probe.size(), 2, false, new double[0]);
        XYChart map = LatentMapCommand.chart(p, probe, 600, 520);
        map.setTitle(who + ": codes of " + probe.size() + " test images");
        float[] gp = st.geometry().gapPoints();
        int k = gp.length / 2;
        if (k > 0) {
            double[] gx = new double[k];
            double[] gy = new double[k];
            for (int i = 0; i < k; i++) {
                gx[i] = gp[2 * i];
                gy[i] = gp[2 * i + 1];
            }
            XYSeries gaps = map.addSeries("emptiest points", gx, gy);
            gaps.setMarker(SeriesMarkers.CROSS);
            gaps.setMarkerColor(Color.BLACK);
        }
        XYSeries box = map.addSeries("±3 square", new double[] {-3, 3, 3, -3, -3}, new double[] {-3, -3, 3, 3, -3});
        box.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        box.setMarker(SeriesMarkers.NONE);
        box.setLineColor(Color.GRAY);
        write("latent-map-" + tag + ".png", Charts.png(map));

        // decoded gap points above their nearest training images
        if (k > 0) {
            String[] labels = {"decoded", "nearest train"};
            write("gaps-" + tag + ".png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(st.gapImages(), m.gapNearest()),
                    2 * k, shape, k), shape, labels));
        }
        int n = LectureReport.PRIOR_GRID;
        ImageGrid.writePng(ImageGrid.render(m.priorGrid(), n, shape, 8, ImageGrid.autoScale(shape), 2), out.resolve("prior-" + tag + ".png"));
        int grid = LectureReport.MANIFOLD_GRID;
        ImageGrid.writePng(ImageGrid.render(m.manifold(), grid * grid, shape, grid, 1, 1), out.resolve("manifold-" + tag + ".png"));

        // example interpolations and the pixel cross-fade of the first pair
        int steps = LectureReport.INTERPOLATION_STEPS;
        List<float[]> rows = new ArrayList<>(m.interpolations());
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            labels.add("pair " + (i + 1));
        }
        rows.add(m.crossFade());
        labels.add("pixels, pair 1");
        write("interp-" + tag + ".png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(rows.toArray(new float[0][])),
                rows.size() * steps, shape, steps), shape, labels.toArray(new String[0])));
    }

    private void traversal(LectureReport.BetaModel m, int[] shape) {
        LectureReport.TraversalFigure t = m.traversal();
        int k = t.dimensions().length;
        String[] labels = new String[k];
        for (int i = 0; i < k; i++) {
            labels[i] = String.format(Locale.ROOT, "z%d  KL %.2f", t.dimensions()[i], t.kl()[i]);
        }
        write("traverse-beta-" + fileTag(m.beta()) + ".png", LatentPictures.labelRows(LatentPictures.grid(t.images(), k * t.steps(), shape,
                t.steps()), shape, labels));
    }

    private void betaPictures(LectureReport.BetaSweep sweep, int[] shape) {
        int shown = sweep.shown();
        List<LectureReport.BetaModel> models = sweep.models();
        List<float[]> rows = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        rows.add(sweep.originals());
        labels.add("test images");
        for (LectureReport.BetaModel m : models) {
            rows.add(m.reconstructions());
            samples.add(m.samples());
            labels.add("β = " + fmt(m.beta()));
        }
        write("beta-reconstructions.png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(rows.toArray(new float[0][])),
                rows.size() * shown, shape, shown), shape, labels.toArray(new String[0])));
        labels.remove(0);
        write("beta-samples.png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(samples.toArray(new float[0][])),
                samples.size() * shown, shape, shown), shape, labels.toArray(new String[0])));

        XYChart rd = Charts.xy("Reconstruction against KL (test)", "KL(q(z|x) ‖ p(z)), nats", "reconstruction −log p(x|z), nats", 560, 420);
        double[] x = models.stream().mapToDouble(b -> b.stats().evaluation().kl()).toArray();
        double[] y = models.stream().mapToDouble(b -> b.stats().evaluation().recon()).toArray();
        XYSeries line = rd.addSeries("β sweep", x, y);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.LIGHT_GRAY);
        for (int i = 0; i < models.size(); i++) {
            XYSeries pt = rd.addSeries("β = " + fmt(models.get(i).beta()), new double[] {x[i]}, new double[] {y[i]});
            pt.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            pt.setMarker(SeriesMarkers.CIRCLE);
            pt.setMarkerColor(Charts.COLORS[i % Charts.COLORS.length]);
        }
        rd.getStyler().setMarkerSize(10);
        write("beta-rate-distortion.png", Charts.png(rd));
    }

    private void gradientChart(GradientVariance.Summary g) {
        XYChart c = Charts.xy("Per-parameter gradient variance", "reparameterised estimator", "score-function estimator", 560, 460);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> yb = new ArrayList<>();
        for (GradientVariance.Estimate e : g.perRecord()) {
            for (int j = 0; j < e.varReparam().length; j++) {
                xs.add(e.varReparam()[j]);
                ys.add(e.varScore()[j]);
                yb.add(e.varScoreBaseline()[j]);
            }
        }
        double lo = Math.min(xs.stream().mapToDouble(Double::doubleValue).min().orElse(1e-3),
                yb.stream().mapToDouble(Double::doubleValue).min().orElse(1e-3));
        double hi = ys.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        XYSeries sf = c.addSeries("score function", xs, ys);
        sf.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        XYSeries sb = c.addSeries("score function, baseline", xs, yb);
        sb.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        XYSeries eq = c.addSeries("equal variance", new double[] {lo, hi}, new double[] {lo, hi});
        eq.setMarker(SeriesMarkers.NONE);
        eq.setLineColor(Color.GRAY);
        write("gradient-variance.png", Charts.png(c));
    }

    private void holesPicture(org.vae4j.lectures.PriorHoles h, int[] shape) {
        int row = h.priorRow().length / Math.max(1, java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        String[] labels = {"N(0, I)", "gmm:" + h.components()};
        write("holes-samples.png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(h.priorRow(), h.gmmRow()),
                2 * row, shape, row), shape, labels));
    }

    private void ganPictures(org.vae4j.lectures.GanLecture g, int[] shape) {
        int size = java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int row = Math.min(Math.min(g.gan().row().length, g.vae().row().length), g.dataRow().length) / Math.max(1, size);
        float[][] rows = {java.util.Arrays.copyOf(g.gan().row(), row * size), java.util.Arrays.copyOf(g.vae().row(), row * size),
            java.util.Arrays.copyOf(g.dataRow(), row * size)};
        write("gan-samples.png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(rows), 3 * row, shape, row), shape,
                new String[] {"GAN", "VAE β = 1", "test images"}));

        XYChart c = Charts.xy("The discriminator over training", "epoch", "mean D(·)", 680, 420);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE); // inside, it hides D(x)
        double[] ep = g.curve().stream().mapToDouble(e -> e.epoch()).toArray();
        c.addSeries("D(x), training", ep, g.curve().stream().mapToDouble(org.vae4j.lectures.GanLecture.EpochPoint::trainReal).toArray());
        c.addSeries("D(G(z)), training", ep, g.curve().stream().mapToDouble(org.vae4j.lectures.GanLecture.EpochPoint::trainFake).toArray());
        XYSeries tr = c.addSeries("D(x), test", ep, g.curve().stream().mapToDouble(org.vae4j.lectures.GanLecture.EpochPoint::testReal).toArray());
        tr.setMarker(SeriesMarkers.NONE);
        XYSeries tf = c.addSeries("D(G(z)), test", ep, g.curve().stream().mapToDouble(org.vae4j.lectures.GanLecture.EpochPoint::testFake).toArray());
        tf.setMarker(SeriesMarkers.NONE);
        XYSeries half = c.addSeries("optimum ½", new double[] {ep[0], ep[ep.length - 1]}, new double[] {0.5, 0.5});
        half.setMarker(SeriesMarkers.NONE);
        half.setLineColor(Color.GRAY);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        write("gan-discriminator.png", Charts.png(c));
    }

    private void write(String name, BufferedImage img) {
        ImageGrid.writePng(img, out.resolve(name));
    }

    private void write(String name, byte[] png) {
        AtomicFiles.writeBytes(out.resolve(name), png);
    }

    // ---- the page ----

    private void writePage(Html h, LectureReport r, List<String[]> timings, double total) {
        LectureReport.Setup setup = r.setup();
        Lectures.Settings s = setup.settings();
        ModelStats ae = r.latentSpace().autoencoder().stats();
        ModelStats vae = r.latentSpace().vae().stats();
        String dataName = setup.dataName();
        h.h1("Autoencoders and VAEs, measured: " + dataName);
        h.p(String.format(Locale.ROOT, "Every number below was measured in this run (%d training records, %d test records measured, "
                        + "%d training images as the reference for 'looks like data'; seed %d; %.0f s in all). Captions are generated from "
                        + "the numbers and say when a measurement does not bear a lecture's claim out; below each, the verdicts and the "
                        + "rules that decided them.",
                setup.trainRecords(), setup.probe().size(), setup.referenceRecords(), s.seed(), total));
        h.toc(List.of(new String[] {"claims", "The claims and where they are tested"},
                new String[] {"s1", "1. Latent space: autoencoder against VAE"},
                new String[] {"s2", "2. Sampling from the prior N(0, I)"},
                new String[] {"s3", "3. Interpolation"},
                new String[] {"s4", "4. β: reconstruction against KL, and traversals"},
                new String[] {"s5", "5. The reparameterisation trick: gradient variance"},
                new String[] {"s6", "6. The prior's holes"},
                new String[] {"s7", "7. GANs: sampling without a density"},
                new String[] {"setup", "Set-up and timings"}));

        h.h2("claims", "The claims and where they are tested");
        List<List<String>> claims = new ArrayList<>();
        for (LectureClaim c : LectureClaim.values()) {
            claims.add(List.of(c.statement() + " (" + c.sources() + ")", Integer.toString(c.section())));
        }
        h.table(List.of("claim (lecture)", "section"), claims);

        // 1
        h.h2("s1", "1. Latent space: autoencoder against VAE");
        h.p("Both models have the same MLP encoder and decoder (" + joinInts(s.hidden2d()) + " hidden units), a 2-D code and a Bernoulli "
                + "decoder, trained for " + s.epochs2d() + " epochs; the autoencoder has no KL term and a deterministic code. "
                + "Black crosses mark the emptiest points inside the disc that holds 90% of each model's codes; the grey square is ±3.");
        h.rowStart().figure("latent-map-ae.png", "autoencoder latent map", "Autoencoder", 600)
                .figure("latent-map-vae.png", "VAE latent map", "VAE", 600).rowEnd();
        h.rowStart().figure("gaps-ae.png", "autoencoder: decoded gap points", "Autoencoder: the emptiest points decoded, above the "
                        + "nearest training image of each", 0)
                .figure("gaps-vae.png", "VAE: decoded gap points", "VAE: the same for its emptiest points", 0).rowEnd();
        h.table(List.of("measure", "autoencoder", "VAE"), List.of(
                List.of("mean distance of codes from the origin (prior: 1.25)", f2(ae.geometry().meanDistanceFromOrigin()),
                        f2(vae.geometry().meanDistanceFromOrigin())),
                List.of("distance of the codes' centroid from the origin", f2(ae.geometry().centroidDistance()), f2(vae.geometry().centroidDistance())),
                List.of("RMS spread of the codes about their centroid (prior: 1.41)", f2(ae.geometry().rmsSpread()), f2(vae.geometry().rmsSpread())),
                List.of("share of [−3, 3]² within 0.25 of a code", pct(ae.geometry().coverage()), pct(vae.geometry().coverage())),
                List.of("share of the 90% disc farther than 0.1 × its radius from every code (gaps)", pct(ae.geometry().gapFraction()),
                        pct(vae.geometry().gapFraction())),
                ae.judged() ? List.of("decoded emptiest points that look like data (inside the test images' k-NN manifold)",
                        pct(ae.gapPrecision()), pct(vae.gapPrecision())) : List.of("decoded emptiest points that look like data",
                        frac(ae.gaps()), frac(vae.gaps())),
                List.of(ae.judged() ? "decoded prior samples inside the test images' k-NN manifold (precision)"
                        : "decoded prior samples that look like data (precision)", pct(ae.priorPrecision()), pct(vae.priorPrecision())),
                List.of(ae.judged() ? "test images inside the prior samples' k-NN manifold (recall)"
                        : "test images with a decoded prior sample as close (recall)", pct(ae.priorRecallMeasured()), pct(vae.priorRecallMeasured())),
                ae.judged() ? List.of("prior samples: Fréchet distance in the classifier's features (not Inception FID)",
                        f3(ae.priorJudgement().fd()), f3(vae.priorJudgement().fd()))
                        : List.of("prior samples: Fréchet distance", "–", "–"),
                List.of("5 nearest codes sharing the label", pctOrNa(ae.geometry().neighbourLabelAgreement()),
                        pctOrNa(vae.geometry().neighbourLabelAgreement())),
                List.of("realism threshold: MSE to the nearest training image (90th pct of own reconstructions)"
                        + (ae.judged() ? "; the old model-relative measure, not used for the verdicts" : ""), f4(ae.threshold()),
                        f4(vae.threshold())),
                List.of("test reconstruction −log p(x|z), nats", f2(ae.evaluation().recon()), f2(vae.evaluation().recon()))));
        h.caption(LectureCaptions.latentSpace(r.latentSpace()));
        verdicts(h, r.latentSpace().centred(), r.latentSpace().gaps(), r.latentSpace().gapDecoding());

        // 2
        h.h2("s2", "2. Sampling from the prior N(0, I)");
        h.rowStart().figure("prior-ae.png", "autoencoder prior samples", "Autoencoder: 64 codes from N(0, I), decoded", 0)
                .figure("prior-vae.png", "VAE prior samples", "VAE: 64 codes from N(0, I), decoded", 0).rowEnd();
        h.rowStart().figure("manifold-ae.png", "autoencoder manifold", "Autoencoder: a 12 × 12 grid of codes at Gaussian quantiles "
                        + "(each cell an equal share of the prior's mass), decoded", 0)
                .figure("manifold-vae.png", "VAE manifold", "VAE: the same grid", 0).rowEnd();
        h.caption(LectureCaptions.prior(r.priorSampling()));
        verdicts(h, r.priorSampling().sampling());

        // 3
        h.h2("s3", "3. Interpolation");
        h.rowStart().figure("interp-ae.png", "autoencoder interpolations", "Autoencoder: decoded straight paths between the codes of "
                        + "two test images with different labels; last row: the pixel cross-fade of pair 1", 0)
                .figure("interp-vae.png", "VAE interpolations", "VAE: the same pairs", 0).rowEnd();
        h.caption(LectureCaptions.interpolation(r.interpolation()));
        verdicts(h, r.interpolation().smooth(), r.interpolation().latentBeatsPixels());

        // 4
        h.h2("s4", "4. β: reconstruction against KL, and traversals");
        h.p("β-VAEs with a " + s.latent() + "-D latent and " + joinInts(s.hiddenBeta()) + " hidden units, " + s.epochsBeta()
                + " epochs each; loss = reconstruction + β·KL. Test figures on " + setup.probe().size() + " records (−ELBO at β = 1, "
                + "one sampled z); the importance-weighted NLL uses " + s.iwSamples() + " samples on " + Math.min(s.iwRecords(), setup.probe().size())
                + " records.");
        List<List<String>> rows = new ArrayList<>();
        LectureReport.BetaSweep beta = r.betaSweep();
        boolean factors = beta.models().stream().anyMatch(m -> m.stats().alignment() != null);
        for (LectureReport.BetaModel m : beta.models()) {
            BetaStats b = m.stats();
            List<String> row = new ArrayList<>(List.of(fmt(b.beta()), f2(b.evaluation().recon()), f2(b.evaluation().kl()),
                    f2(b.evaluation().negElbo()), f2(b.iwNegElbo()), f2(b.iwNll()),
                    b.evaluation().activeUnits() + " / " + b.evaluation().klPerDimension().length, f3(b.meanSigmaUsed()), f2(b.meanCodeNorm()),
                    pct(precision(b)), pct(recall(b)), b.priorJudgement() == null ? "–" : f3(b.priorJudgement().fd())));
            if (factors) {
                row.add(b.alignment() == null ? "–" : f2(b.alignment().score()));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("β", "recon (nats)", "KL (nats)", "−ELBO", "−ELBO (IW records)", "IW NLL",
                "active dims", "posterior σ (used dims)", "mean ‖μ‖", "prior samples: precision", "recall", "Fréchet distance"));
        if (factors) {
            header.add("factor alignment (x, y, scale)");
        }
        h.table(header, rows);
        h.rowStart().figure("beta-rate-distortion.png", "reconstruction against KL", "Each β-VAE's test reconstruction term against its KL term", 560)
                .figure("beta-reconstructions.png", "reconstructions per beta", "Test images and their reconstructions by each β-VAE", 0)
                .figure("beta-samples.png", "prior samples per beta", "Prior samples of each β-VAE", 0).rowEnd();
        h.caption(LectureCaptions.beta(beta));
        verdicts(h, beta.tradeOff(), beta.weakRegularisation(), beta.upperBound(), beta.disentanglement());
        h.rowStart();
        for (LectureReport.BetaModel b : beta.models()) {
            h.figure("traverse-beta-" + fileTag(b.beta()) + ".png", "traversal beta " + fmt(b.beta()), "β = " + fmt(b.beta())
                    + ": the " + Math.min(6, s.latent()) + " dimensions with the highest KL, each swept from −3 to 3 around test image 0's code", 0);
        }
        h.rowEnd();
        h.caption(LectureCaptions.traversals(beta));
        verdicts(h, beta.bottleneck());

        // 5
        h.h2("s5", "5. The reparameterisation trick: gradient variance");
        LectureReport.Gradients gr = r.gradients();
        GradientVariance.Summary grads = gr.summary();
        h.p("The gradient that reaches the encoder's mean head is ∇_μ E_q[f(z)] with q = N(μ, σ²) from the encoder and f(z) = log p(x|z), "
                + "the decoder's reconstruction log-likelihood, on the β = " + fmt(gr.beta()) + " VAE. The reparameterised estimator "
                + "samples ε ~ N(0, I), sets z = μ + σ⊙ε and differentiates f through z (one sample: ∇_z f(z)); the score-function "
                + "(REINFORCE) estimator needs only values of f: f(z)·(z − μ)/σ². Both are unbiased; the same ε feed both.");
        h.table(List.of("estimator", "mean per-parameter variance", "× the reparameterised"), List.of(
                List.of("reparameterised", g4(grads.meanVarReparam()), "1"),
                List.of("score function (REINFORCE)", g4(grads.meanVarScore()), String.format(Locale.ROOT, "%.0f", grads.ratio())),
                List.of("score function with a leave-one-out baseline", g4(grads.meanVarScoreBaseline()),
                        String.format(Locale.ROOT, "%.0f", grads.ratioBaseline()))));
        h.figure("gradient-variance.png", "gradient variance scatter", "One point per (record, latent dimension); above the grey "
                + "line the score function is the noisier", 560);
        h.caption(LectureCaptions.gradients(gr));
        verdicts(h, gr.reparameterisation());

        // 6
        h.h2("s6", "6. The prior's holes");
        LectureReport.Holes holes = r.holes();
        org.vae4j.lectures.PriorHoles ph = holes.stats();
        h.p("On the VAE of sections 1–3, nothing more trained: a gmm:" + ph.components() + " sampler ('vae4j sample --sampler gmm:"
                + ph.components() + "') is fitted to its training codes and its draws are compared with N(0, I) draws. " + ph.fit() + ".");
        h.table(List.of("measure", "N(0, I)", "gmm:" + ph.components()), List.of(
                List.of("draws in a hole (density below the training codes' 1st percentile)", pct(ph.priorHoleShare()), pct(ph.gmmHoleShare())),
                List.of("mean distance to the nearest training code", f3(ph.priorNearest()), f3(ph.gmmNearest())),
                List.of(ph.judged() ? "Fréchet distance in the classifier's features (not Inception FID)" : "Fréchet distance",
                        f3(ph.priorFd()), f3(ph.gmmFd())),
                List.of("precision", pct(ph.priorPrecision()), pct(ph.gmmPrecision())),
                List.of("recall", pct(ph.priorRecallMeasured()), pct(ph.gmmRecallMeasured())),
                ph.judged() ? List.of("classes holding ≥ " + pct(ph.priorJudgement().coverageShare()) + " of the samples",
                        ph.priorJudgement().classesCovered() + " / " + ph.priorJudgement().classes(),
                        ph.gmmJudgement().classesCovered() + " / " + ph.gmmJudgement().classes())
                        : List.of("classes covered", "–", "–")));
        h.figure("holes-samples.png", "prior against gmm samples", "The first decoded samples of each sampler (the same seed)", 0);
        h.caption(LectureCaptions.holes(holes));
        verdicts(h, holes.verdict());

        // 7
        ganSection(h, r.gan(), s);

        h.h2("setup", "Set-up and timings");
        List<List<String>> t = new ArrayList<>();
        for (String[] row : timings) {
            t.add(List.of(row[0], row[1]));
        }
        t.add(List.of("total (including data loading and writing)", String.format(Locale.ROOT, "%.1f", total)));
        h.table(List.of("stage", "seconds"), t);
        h.small("vae4j " + org.vae4j.model.Provenance.currentVersion() + "; data " + dataName + "; batch size " + s.batchSize()
                + ", Adam 1e-3, seed " + s.seed() + ". " + (setup.judged() ? "Decoded images are judged by the yardstick of 'vae4j judge': "
                + setup.yardstick() + ". An image looks like data when it lies inside the test images' k-NN manifold in the classifier's "
                + "penultimate feature space (precision); recall is the share of test images inside the samples' manifold; the Fréchet "
                + "distance is computed in the same space and is not Inception FID."
                : "Realism (the data have no labels, so no yardstick): a decoded image counts as looking like data when its mean squared "
                + "error to the nearest of the reference training images is at most the 90th percentile of that error for the same "
                + "model's reconstructions of test images."));
    }

    private static void ganSection(Html h, LectureReport.Gan section, Lectures.Settings s) {
        org.vae4j.lectures.GanLecture g = section.stats();
        org.vae4j.lectures.GanLecture.Side gan = g.gan();
        org.vae4j.lectures.GanLecture.Side vae = g.vae();
        h.h2("s7", "7. GANs: sampling without a density");
        h.p("A GAN (Goodfellow et al. 2014; the notes' objective arg min_G max_D E[log D(x)] + E[log(1 − D(G(z)))]) whose generator has "
                + "the architecture of the " + vae.name() + "'s decoder (" + g.config().latent() + "-D code, " + joinInts(s.hiddenBeta())
                + " hidden units, the same sigmoid output) and whose discriminator has its encoder's with one logit, trained on the same "
                + "data for the same " + g.epochs() + " epochs (batch " + s.batchSize() + "; its own Adam settings, 2e-4 and β1 = 0.5, "
                + "the non-saturating generator loss). Both models' " + gan.samples() + " samples are drawn from N(0, I) with the same seed.");
        List<List<String>> rows = new ArrayList<>();
        if (gan.judged()) {
            rows.add(List.of("Fréchet distance in the classifier's features (not Inception FID)", f3(gan.fd()), f3(vae.fd()), "–"));
        }
        rows.add(List.of(gan.judged() ? "precision (inside the test images' k-NN manifold)" : "precision (as close to a training image as "
                + "the VAE's reconstructions)", pct(gan.precision()), pct(vae.precision()), "–"));
        rows.add(List.of(gan.judged() ? "recall (test images inside the samples' k-NN manifold)" : "recall (test images with a sample that close)",
                pct(gan.recall()), pct(vae.recall()), "–"));
        if (gan.judged()) {
            org.vae4j.judge.Judgement a = gan.judgement();
            org.vae4j.judge.Judgement b = vae.judgement();
            rows.add(List.of("classes holding ≥ " + pct(a.coverageShare()) + " of the samples (classifier's labels)",
                    a.classesCovered() + " / " + a.classes(), b.classesCovered() + " / " + b.classes(), "–"));
            rows.add(List.of(String.format(Locale.ROOT, "label entropy, nats (uniform: %.3f)", a.maxEntropy()), f3(a.entropy()), f3(b.entropy()), "–"));
        }
        rows.add(List.of("sharpness: mean gradient magnitude per pixel", f4(gan.sharpness().meanGradient()), f4(vae.sharpness().meanGradient()),
                f4(g.data().meanGradient())));
        rows.add(List.of("sharpness: variance of the Laplacian", f4(gan.sharpness().laplacianVariance()),
                f4(vae.sharpness().laplacianVariance()), f4(g.data().laplacianVariance())));
        h.table(List.of("measure", "GAN", vae.name(), "test images (" + g.data().images() + ")"), rows);
        h.figure("gan-samples.png", "GAN and VAE samples", "The first samples of each model (the same codes' seed) above test images", 0);
        h.caption(LectureCaptions.ganSamples(section));
        verdicts(h, section.samples());

        org.vae4j.lectures.GanLecture.Saturation sat = g.saturation();
        h.p(String.format(Locale.ROOT, "G's gradient at the start of training: a fresh GAN (the same configuration and seed), D alone updated "
                + "%d times until it rejected G's samples (mean D(G(z)) below %.2f on a batch), then both generator losses "
                + "differentiated with respect to G's weights on the same %d codes, D frozen.", sat.dSteps(),
                org.vae4j.lectures.GanLecture.REJECTING, sat.codes()));
        h.table(List.of("generator loss", "mean |∂L/∂logit| per sample", "‖∂L/∂θ_G‖"), List.of(
                List.of("minimax (the notes'): log(1 − D(G(z)))", g4(sat.minimaxLogit()), g4(sat.minimaxNorm())),
                List.of("non-saturating: −log D(G(z))", g4(sat.nonSaturatingLogit()), g4(sat.nonSaturatingNorm())),
                List.of("minimax ÷ non-saturating", g4(sat.minimaxLogit() / sat.nonSaturatingLogit()), g4(sat.ratio()))));
        h.caption(LectureCaptions.ganSaturation(section));
        verdicts(h, section.saturation());

        h.figure("gan-discriminator.png", "D over training", "Mean D(x) and D(G(z)) per epoch of the GAN's training (training: the "
                + "mean over the epoch's batches before each D update; test: after the epoch, against as many samples); grey: the ½ of "
                + "the optimum", 680);
        h.caption(LectureCaptions.ganOptimum(section));
        verdicts(h, section.optimum());

        List<List<String>> caps = new ArrayList<>();
        for (org.vae4j.model.Capability c : org.vae4j.model.Capability.values()) {
            caps.add(List.of(c.phrase(), g.vaeCan().contains(c) ? "yes" : "no", g.ganCan().contains(c) ? "yes" : "no",
                    org.vae4j.lectures.GanLecture.uses(c)));
        }
        h.table(List.of("capability (model.can)", vae.name(), "GAN", "what it gives"), caps);
        h.caption(LectureCaptions.ganCapabilities(section));
    }

    /** One line per verdict: its outcome, what was tested, the rule, and how each check came out. */
    private static void verdicts(Html h, Verdict... verdicts) {
        List<String> items = new ArrayList<>();
        for (Verdict v : verdicts) {
            List<String> checks = new ArrayList<>();
            for (Verdict.Check c : v.checks()) {
                checks.add(c.rule() + ": " + c.result().name().toLowerCase(Locale.ROOT));
            }
            String phrase = v.outcome().phrase();
            items.add(Character.toUpperCase(phrase.charAt(0)) + phrase.substring(1) + ": " + v.statement() + ". Rule: " + v.rule() + "."
                    + (checks.isEmpty() ? "" : " Checks: " + String.join("; ", checks) + "."));
        }
        h.list(items);
    }

    static String fileTag(double beta) {
        return fmt(beta).replace('.', '_');
    }

    static String fmt(double v) {
        return LectureVerdicts.betaLabel(v);
    }

    static String f2(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String g4(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** The README's lecture table for one data set: {@code DIR/summary.md}. */
    static final String SUMMARY = "summary.md";

    /**
     * Row labels of the README's lecture table, in its order (bench/lectures-table joins two runs' rows by them); the
     * last one is followed by the share an even path's largest step would have.
     */
    static final List<String> TABLE_ROWS = List.of(
            "mean distance of codes from the origin (prior 1.25)",
            "share of [−3, 3]² within 0.25 of a code",
            "share of the 90%-disc that is gap",
            "emptiest points decoding to something data-like",
            "prior samples data-like (precision)",
            "test images covered by prior samples (recall)",
            "prior samples: Fréchet distance (classifier features, not Inception FID)",
            "interpolation: data-like intermediate images",
            "interpolation: largest step's share");

    /**
     * The measured figures as the README's lecture table shows them, for one data set: a Markdown table with one column
     * for the autoencoder and one for the VAE (decoded images judged by the yardstick when the data are labelled, else
     * by the model-relative realism), then a line with the β sweep, one with the gradient variance and one with the GAN
     * section's figures.
     * {@code bench/lectures-table} runs {@code lectures} on shapes and MNIST and puts the two side by side.
     */
    static String summary(LectureReport r) {
        ModelStats ae = r.latentSpace().autoencoder().stats();
        ModelStats vae = r.latentSpace().vae().stats();
        String name = r.setup().dataName();
        StringBuilder sb = new StringBuilder();
        sb.append("| measured | ").append(name).append(" AE | ").append(name).append(" VAE |\n|---|---|---|\n");
        List<String[]> cells = new ArrayList<>();
        for (ModelStats m : List.of(ae, vae)) {
            int gaps = m.gaps().n();
            // "data-like" is the yardstick's judgement where the data are labelled, else the model-relative realism
            cells.add(new String[] {
                String.format(Locale.ROOT, "%.2f", m.geometry().meanDistanceFromOrigin()),
                pct(m.geometry().coverage()),
                pct(m.geometry().gapFraction()),
                Math.round(m.gapsLookLikeData() * gaps) + " of " + gaps,
                pct(m.priorPrecision()),
                pct(m.priorRecallMeasured()),
                m.judged() ? String.format(Locale.ROOT, "%.1f", m.priorJudgement().fd()) : "–",
                pct(m.paths().interiorLooksLikeData()),
                pct(m.paths().maxStepShare())});
        }
        double even = 1.0 / Math.max(1, vae.paths().steps() - 1);
        for (int i = 0; i < TABLE_ROWS.size(); i++) {
            // the last row says what an even path's largest step would be
            String label = TABLE_ROWS.get(i) + (i == TABLE_ROWS.size() - 1 ? " (even: " + pct(even) + ")" : "");
            sb.append("| ").append(label).append(" | ").append(cells.get(0)[i]).append(" | ").append(cells.get(1)[i])
                    .append(" |\n");
        }
        sb.append('\n');
        List<String> recon = new ArrayList<>();
        List<String> betas = new ArrayList<>();
        List<String> alignment = new ArrayList<>();
        for (LectureReport.BetaModel m : r.betaSweep().models()) {
            BetaStats b = m.stats();
            recon.add(String.format(Locale.ROOT, "%.1f / %.1f", b.evaluation().recon(), b.evaluation().kl()));
            betas.add(fmt(b.beta()));
            if (b.alignment() != null) {
                alignment.add(String.format(Locale.ROOT, "%.2f", b.alignment().score()));
            }
        }
        sb.append(String.format(Locale.ROOT, "β sweep on %s (%d-D latent; recon / KL in nats): %s for β = %s%s.%n", name,
                r.setup().settings().latent(), String.join(", ", recon), String.join(", ", betas),
                alignment.isEmpty() ? "" : "; factor alignment " + String.join(", ", alignment)));
        GradientVariance.Summary g = r.gradients().summary();
        sb.append(String.format(Locale.ROOT, "Gradient variance on %s (score function ÷ reparameterised, β = 1 model): %,.0f× (%,.0f× with "
                + "a baseline).%n", name, g.ratio(), g.ratioBaseline()));
        sb.append(ganSummary(r.gan().stats(), name));
        return sb.toString();
    }

    /** The GAN section's figures as one line of {@code summary.md} (its columns are AE and VAE, so not table rows). */
    static String ganSummary(org.vae4j.lectures.GanLecture g, String name) {
        org.vae4j.lectures.GanLecture.Side gan = g.gan();
        org.vae4j.lectures.GanLecture.Side vae = g.vae();
        org.vae4j.lectures.GanLecture.Saturation sat = g.saturation();
        org.vae4j.lectures.GanLecture.EpochPoint last = g.curve().get(g.curve().size() - 1);
        String coverage = gan.judged() ? String.format(Locale.ROOT, ", classes ≥ %s %d vs %d of %d", pct(gan.judgement().coverageShare()),
                gan.judgement().classesCovered(), vae.judgement().classesCovered(), gan.judgement().classes()) : "";
        return String.format(Locale.ROOT, "GAN vs %s on %s (same decoder, %d epochs): %sprecision %s vs %s, recall %s vs %s%s, Laplacian "
                        + "variance %.4f vs %.4f (test images %.4f); G's gradient norm at D(G(z)) = %.3f: minimax %.3g vs non-saturating "
                        + "%.3g; last epoch D(x) %.2f, D(G(z)) %.2f (optimum 0.5).%n", vae.name(), name, g.epochs(),
                gan.judged() ? "FD " + f3(gan.fd()) + " vs " + f3(vae.fd()) + ", " : "", pct(gan.precision()), pct(vae.precision()),
                pct(gan.recall()), pct(vae.recall()), coverage, gan.sharpness().laplacianVariance(), vae.sharpness().laplacianVariance(),
                g.data().laplacianVariance(), sat.dFake(), sat.minimaxNorm(), sat.nonSaturatingNorm(), last.trainReal(), last.trainFake());
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String pctOrNa(double v) {
        return Double.isNaN(v) ? "– (no labels)" : pct(v);
    }

    /** A β-VAE's prior precision: the yardstick's when measured, else the model-relative realism share. */
    static double precision(BetaStats b) {
        return b.priorJudgement() != null ? b.priorJudgement().precision() : b.prior().fraction();
    }

    /** Its prior recall, the same way. */
    static double recall(BetaStats b) {
        return b.priorJudgement() != null ? b.priorJudgement().recall() : b.priorRecall();
    }

    static String frac(org.vae4j.lectures.Realism.Scored s) {
        return s.realisticCount() + " of " + s.n();
    }

    private static String joinInts(List<Integer> v) {
        return String.join("-", v.stream().map(String::valueOf).toList());
    }

    private static String secs(long t0) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
    }
}
