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
import org.vae4j.latent.Encodings;
import org.vae4j.latent.Interpolation;
import org.vae4j.latent.LatentProjection;
import org.vae4j.latent.Manifold;
import org.vae4j.latent.Traversal;
import org.vae4j.lectures.GradientVariance;
import org.vae4j.lectures.Lectures;
import org.vae4j.lectures.Lectures.BetaStats;
import org.vae4j.lectures.Lectures.ModelStats;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vae4j lectures}: trains the small models behind the lecture claims (an autoencoder and a VAE with 2-D codes,
 * β-VAEs over a range of β), measures them with {@link Lectures} and writes one report, {@code DIR/index.html} with
 * its PNGs, each section captioned from the measured numbers.
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

    @Option(names = {"-q", "--quiet"}, description = "Only the summary, no per-epoch lines.")
    boolean quiet;

    private PrintWriter o;
    private final List<String[]> timings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        for (double b : betas) {
            if (!(b >= 0) || Double.isInfinite(b)) {
                throw new IllegalArgumentException("--betas must be finite and >= 0, got " + b);
            }
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + ": exists and is not a directory");
        }
        Lectures.Settings d = Lectures.Settings.defaults();
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be in 0..1024, got " + threads);
        }
        Lectures.Settings s = new Lectures.Settings(epochs, epochs, hidden, betaHidden, latent, betas, batchSize, trainLimit, records,
                reference, priorSamples, pairs, d.steps(), gradRecords, gradSamples, iwSamples, d.iwRecords(), seed, threads);
        DataSplits splits = data.load(spec.commandLine().getErr());
        Files.createDirectories(out);
        List<Integer> shape = TrainCommand.toList(splits.train().shape());
        if (shape.size() != 3) {
            throw new IllegalArgumentException("lectures needs image data (C×H×W); " + splits.train().name() + " records have shape " + shape);
        }
        int[] shapeArr = splits.train().shape();
        Html h = new Html("vae4j lectures: " + splits.train().name());
        try (Lectures.Bench bench = new Lectures.Bench(splits, s)) {
            ArrayDataset probe = bench.probe();
            o.printf(Locale.ROOT, "data %s: training on %d records, measuring on %d test records, %d reference training images%n",
                    splits.train().name(), bench.data().train().size(), probe.size(), bench.reference().size());

            // sections 1–3: the two 2-D models
            ModelStats ae;
            ModelStats vae;
            try (VaeModel m = train("autoencoder (2-D)", Lectures.ae2d(shape, s), bench, s.epochs2d(), s)) {
                ae = Lectures.probe(m, bench, s);
                twoDPictures(m, ae, "ae", bench, shapeArr);
            }
            try (VaeModel m = train("VAE (2-D)", Lectures.vae2d(shape, s), bench, s.epochs2d(), s)) {
                vae = Lectures.probe(m, bench, s);
                twoDPictures(m, vae, "vae", bench, shapeArr);
            }

            // section 4: the β sweep; section 5 on the β = 1 model (or the first)
            List<BetaStats> sweep = new ArrayList<>();
            List<float[]> recons = new ArrayList<>();
            List<float[]> samples = new ArrayList<>();
            GradientVariance.Summary grads = null;
            double gradBeta = betas.contains(1.0) ? 1.0 : betas.get(0);
            int shown = Math.min(8, probe.size());
            float[] originals = probe.head(shown).data();
            for (double b : betas) {
                try (VaeModel m = train("β-VAE β = " + fmt(b), Lectures.betaVae(shape, b, s), bench, s.epochsBeta(), s)) {
                    long m0 = System.nanoTime();
                    BetaStats st = Lectures.probeBeta(m, b, bench, s);
                    sweep.add(st);
                    recons.add(Encodings.reconstruct(m, originals, shown));
                    samples.add(m.sample(shown, seed));
                    traversal(m, st, probe, shapeArr, "traverse-beta-" + fileTag(b) + ".png");
                    timings.add(new String[] {"measure and draw β = " + fmt(b) + " (IW NLL with " + s.iwSamples() + " samples)", secs(m0)});
                    if (b == gradBeta && grads == null) {
                        long g0 = System.nanoTime();
                        grads = Lectures.gradients(m, bench, s);
                        timings.add(new String[] {"gradient estimators (" + s.gradRecords() + " records × " + s.gradSamples() + " samples)",
                                secs(g0)});
                    }
                }
            }
            betaPictures(sweep, originals, recons, samples, shown, shapeArr);
            gradientChart(grads);

            double total = (System.nanoTime() - t0) / 1e9;
            writePage(h, splits, bench, s, ae, vae, sweep, grads, gradBeta, total);
            AtomicFiles.writeString(out.resolve("index.html"), h.finish());
            o.printf(Locale.ROOT, "%n(1) latent space: mean distance from origin AE %.2f vs VAE %.2f; ±3 coverage %s vs %s; gap area %s vs %s; "
                            + "decoded gap points realistic %s vs %s%n",
                    ae.geometry().meanDistanceFromOrigin(), vae.geometry().meanDistanceFromOrigin(), pct(ae.geometry().coverage()),
                    pct(vae.geometry().coverage()), pct(ae.geometry().gapFraction()), pct(vae.geometry().gapFraction()),
                    pct(ae.gaps().fraction()), pct(vae.gaps().fraction()));
            o.printf(Locale.ROOT, "(2) prior samples realistic (precision): AE %s vs VAE %s; test images covered by samples (recall): %s vs %s%n",
                    pct(ae.prior().fraction()), pct(vae.prior().fraction()), pct(ae.priorRecall()), pct(vae.priorRecall()));
            o.printf(Locale.ROOT, "(3) interpolation interior realistic: AE %s vs VAE %s (cross-fade %s); largest step share %.3f vs %.3f%n",
                    pct(ae.paths().interiorRealism()), pct(vae.paths().interiorRealism()), pct(vae.paths().crossFadeRealism()),
                    ae.paths().maxStepShare(), vae.paths().maxStepShare());
            for (BetaStats b : sweep) {
                o.printf(Locale.ROOT, "(4) β = %s: recon %.2f, KL %.2f, -ELBO %.2f, IW NLL %.2f, active %d, prior precision %s recall %s%s%n", fmt(b.beta()),
                        b.evaluation().recon(), b.evaluation().kl(), b.evaluation().negElbo(), b.iwNll(), b.evaluation().activeUnits(),
                        pct(b.prior().fraction()), pct(b.priorRecall()), b.alignment() == null ? "" : String.format(Locale.ROOT, ", alignment %.2f", b.alignment().score()));
            }
            if (grads != null) {
                o.printf(Locale.ROOT, "(5) gradient variance: reparameterised %.4g, score function %.4g (%.0f×; %.0f× with a baseline)%n",
                        grads.meanVarReparam(), grads.meanVarScore(), grads.ratio(), grads.ratioBaseline());
            }
            o.printf(Locale.ROOT, "wrote %s in %.0f s%n", out.resolve("index.html"), total);
        }
        return 0;
    }

    // ---- training ----

    private VaeModel train(String name, ModelConfig mc, Lectures.Bench bench, int epochsN, Lectures.Settings s) {
        long t0 = System.nanoTime();
        if (!quiet) {
            o.println("training " + name + " for " + epochsN + " epochs");
            o.flush();
        }
        TrainingListener l = new TrainingListener() {
            @Override
            public void epoch(EpochMetrics m) {
                if (!quiet) {
                    o.printf(Locale.ROOT, "  %s epoch %d/%d: train loss %.2f, test %s %.2f (recon %.2f, KL %.2f), %.1f s%n", name, m.epoch(),
                            epochsN, m.trainLoss(), mc.model().equals("ae") ? "loss" : "-ELBO", m.testNegElbo(), m.testRecon(), m.testKl(),
                            m.seconds());
                    o.flush();
                }
            }
        };
        VaeModel m = Lectures.train(mc, bench, epochsN, s, l);
        timings.add(new String[] {"train " + name + " (" + epochsN + " epochs)", secs(t0)});
        return m;
    }

    // ---- pictures ----

    private void twoDPictures(VaeModel m, ModelStats st, String tag, Lectures.Bench bench, int[] shape) {
        long t0 = System.nanoTime();
        ArrayDataset probe = bench.probe();
        String who = tag.equals("ae") ? "Autoencoder" : "VAE";
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
            org.vae4j.data.Dataset train = bench.data().train();
            float[] nearest = new float[k * m.featureSize()];
            for (int i = 0; i < k; i++) {
                train.copyRecord(st.gaps().nearest()[i], nearest, i * m.featureSize());
            }
            String[] labels = {"decoded", "nearest train"};
            write("gaps-" + tag + ".png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(st.gapImages(), nearest), 2 * k,
                    shape, k), shape, labels));
        }
        int n = 64;
        ImageGrid.writePng(ImageGrid.render(m.sample(n, seed), n, shape, 8, ImageGrid.autoScale(shape), 2), out.resolve("prior-" + tag + ".png"));
        int grid = 12;
        ImageGrid.writePng(ImageGrid.render(Manifold.decode(m, grid), grid * grid, shape, grid, 1, 1), out.resolve("manifold-" + tag + ".png"));

        // four example interpolations and the pixel cross-fade of the first pair
        int[][] pr = bench.pairs();
        int shown = Math.min(4, pr[0].length);
        int steps = 10;
        List<float[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            rows.add(Interpolation.decodedPath(m, probe.record(pr[0][i]), probe.record(pr[1][i]), steps, Interpolation.Mode.LINEAR));
            labels.add("pair " + (i + 1));
        }
        rows.add(Interpolation.crossFade(probe.record(pr[0][0]), probe.record(pr[1][0]), steps));
        labels.add("pixels, pair 1");
        write("interp-" + tag + ".png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(rows.toArray(new float[0][])),
                rows.size() * steps, shape, steps), shape, labels.toArray(new String[0])));
        timings.add(new String[] {"measure and draw " + who + " (2-D)", secs(t0)});
    }

    private void traversal(VaeModel m, BetaStats st, ArrayDataset probe, int[] shape, String file) {
        int k = Math.min(6, m.latent());
        int[] top = Traversal.topDimensions(st.evaluation().klPerDimension(), k);
        String[] labels = new String[k];
        for (int i = 0; i < k; i++) {
            labels[i] = String.format(Locale.ROOT, "z%d  KL %.2f", top[i], st.evaluation().klPerDimension()[top[i]]);
        }
        float[] base = Encodings.encode(m, probe.record(0), 1).mu();
        int steps = 9;
        write(file, LatentPictures.labelRows(LatentPictures.grid(Traversal.decode(m, base, top, 3, steps), k * steps, shape, steps),
                shape, labels));
    }

    private void betaPictures(List<BetaStats> sweep, float[] originals, List<float[]> recons, List<float[]> samples, int shown, int[] shape) {
        List<float[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        rows.add(originals);
        labels.add("test images");
        for (int i = 0; i < sweep.size(); i++) {
            rows.add(recons.get(i));
            labels.add("β = " + fmt(sweep.get(i).beta()));
        }
        write("beta-reconstructions.png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(rows.toArray(new float[0][])),
                rows.size() * shown, shape, shown), shape, labels.toArray(new String[0])));
        labels.remove(0);
        write("beta-samples.png", LatentPictures.labelRows(LatentPictures.grid(LatentPictures.concat(samples.toArray(new float[0][])),
                samples.size() * shown, shape, shown), shape, labels.toArray(new String[0])));

        XYChart rd = Charts.xy("Reconstruction against KL (test)", "KL(q(z|x) ‖ p(z)), nats", "reconstruction −log p(x|z), nats", 560, 420);
        double[] x = sweep.stream().mapToDouble(b -> b.evaluation().kl()).toArray();
        double[] y = sweep.stream().mapToDouble(b -> b.evaluation().recon()).toArray();
        XYSeries line = rd.addSeries("β sweep", x, y);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.LIGHT_GRAY);
        for (int i = 0; i < sweep.size(); i++) {
            XYSeries pt = rd.addSeries("β = " + fmt(sweep.get(i).beta()), new double[] {x[i]}, new double[] {y[i]});
            pt.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            pt.setMarker(SeriesMarkers.CIRCLE);
            pt.setMarkerColor(Charts.COLORS[i % Charts.COLORS.length]);
        }
        rd.getStyler().setMarkerSize(10);
        write("beta-rate-distortion.png", Charts.png(rd));
    }

    private void gradientChart(GradientVariance.Summary g) {
        if (g == null) {
            return;
        }
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

    private void write(String name, BufferedImage img) {
        ImageGrid.writePng(img, out.resolve(name));
    }

    private void write(String name, byte[] png) {
        AtomicFiles.writeBytes(out.resolve(name), png);
    }

    // ---- the page ----

    private void writePage(Html h, DataSplits splits, Lectures.Bench bench, Lectures.Settings s, ModelStats ae, ModelStats vae,
                           List<BetaStats> sweep, GradientVariance.Summary grads, double gradBeta, double total) {
        String dataName = splits.train().name();
        h.h1("Autoencoders and VAEs, measured: " + dataName);
        h.p(String.format(Locale.ROOT, "Every number below was measured in this run (%d training records, %d test records measured, "
                        + "%d training images as the reference for 'looks like data'; seed %d; %.0f s in all). Captions are generated from "
                        + "the numbers and say when a measurement does not bear a lecture's claim out.",
                bench.data().train().size(), bench.probe().size(), bench.reference().size(), s.seed(), total));
        h.toc(List.of(new String[] {"claims", "The claims and where they are tested"},
                new String[] {"s1", "1. Latent space: autoencoder against VAE"},
                new String[] {"s2", "2. Sampling from the prior N(0, I)"},
                new String[] {"s3", "3. Interpolation"},
                new String[] {"s4", "4. β: reconstruction against KL, and traversals"},
                new String[] {"s5", "5. The reparameterisation trick: gradient variance"},
                new String[] {"setup", "Set-up and timings"}));

        h.h2("claims", "The claims and where they are tested");
        h.table(List.of("claim (lecture)", "section"), List.of(
                List.of("An autoencoder's latent space forms distinct clusters with gaps; decoding from a gap gives an unrealistic output "
                        + "(CS60010 'Deep Generative Modeling via VAEs'; CS109B Lecture 18 'Problems with autoencoders: gaps, separability')", "1"),
                List.of("The KL term pulls the encodings of all inputs evenly around the centre of the latent space "
                        + "(CS60010; METU 'Auto-Encoding': VAEs force the latent variables to be Normal distributed)", "1"),
                List.of("A VAE's latent space is continuous and complete by design, allowing random sampling "
                        + "(CS60010; METU; lecture notes 'Properties expected from regularization')", "2"),
                List.of("…and smooth interpolation between inputs (CS60010; IIT Tirupati 7.4 'smooth transition between digits')", "3"),
                List.of("There is a trade-off between regularisation and reconstruction; larger β constrains the bottleneck and "
                        + "encourages disentanglement; latent dimensions can be perturbed one at a time (lecture notes on β-VAE)", "4"),
                List.of("Without the KL term the posterior variances shrink and the means drift apart (lecture notes 'Consequences')", "4"),
                List.of("The negative ELBO is an upper bound on −log p(x) (CS109B Lecture 18)", "4"),
                List.of("Sampling is not differentiable; the reparameterisation z = μ + σ⊙ε makes the gradient flow "
                        + "(IIT Tirupati 7.4; CS109B; METU)", "5")));

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
                List.of("decoded emptiest points that look like data", frac(ae.gaps()), frac(vae.gaps())),
                List.of("decoded prior samples that look like data (precision)", pct(ae.prior().fraction()), pct(vae.prior().fraction())),
                List.of("test images with a decoded prior sample as close (recall)", pct(ae.priorRecall()), pct(vae.priorRecall())),
                List.of("5 nearest codes sharing the label", pctOrNa(ae.geometry().neighbourLabelAgreement()),
                        pctOrNa(vae.geometry().neighbourLabelAgreement())),
                List.of("realism threshold: MSE to the nearest training image (90th pct of own reconstructions)", f4(ae.threshold()),
                        f4(vae.threshold())),
                List.of("test reconstruction −log p(x|z), nats", f2(ae.evaluation().recon()), f2(vae.evaluation().recon()))));
        h.caption(LectureCaptions.latentSpace(ae, vae));

        // 2
        h.h2("s2", "2. Sampling from the prior N(0, I)");
        h.rowStart().figure("prior-ae.png", "autoencoder prior samples", "Autoencoder: 64 codes from N(0, I), decoded", 0)
                .figure("prior-vae.png", "VAE prior samples", "VAE: 64 codes from N(0, I), decoded", 0).rowEnd();
        h.rowStart().figure("manifold-ae.png", "autoencoder manifold", "Autoencoder: a 12 × 12 grid of codes at Gaussian quantiles "
                        + "(each cell an equal share of the prior's mass), decoded", 0)
                .figure("manifold-vae.png", "VAE manifold", "VAE: the same grid", 0).rowEnd();
        h.caption(LectureCaptions.prior(ae, vae, s.priorSamples(), labelCount(bench)));

        // 3
        h.h2("s3", "3. Interpolation");
        h.rowStart().figure("interp-ae.png", "autoencoder interpolations", "Autoencoder: decoded straight paths between the codes of "
                        + "two test images with different labels; last row: the pixel cross-fade of pair 1", 0)
                .figure("interp-vae.png", "VAE interpolations", "VAE: the same pairs", 0).rowEnd();
        h.caption(LectureCaptions.interpolation(ae, vae));

        // 4
        h.h2("s4", "4. β: reconstruction against KL, and traversals");
        h.p("β-VAEs with a " + s.latent() + "-D latent and " + joinInts(s.hiddenBeta()) + " hidden units, " + s.epochsBeta()
                + " epochs each; loss = reconstruction + β·KL. Test figures on " + bench.probe().size() + " records (−ELBO at β = 1, "
                + "one sampled z); the importance-weighted NLL uses " + s.iwSamples() + " samples on " + Math.min(s.iwRecords(), bench.probe().size())
                + " records.");
        List<List<String>> rows = new ArrayList<>();
        boolean factors = sweep.stream().anyMatch(b -> b.alignment() != null);
        for (BetaStats b : sweep) {
            List<String> r = new ArrayList<>(List.of(fmt(b.beta()), f2(b.evaluation().recon()), f2(b.evaluation().kl()),
                    f2(b.evaluation().negElbo()), f2(b.iwNegElbo()), f2(b.iwNll()),
                    b.evaluation().activeUnits() + " / " + b.evaluation().klPerDimension().length, f3(b.meanSigmaUsed()), f2(b.meanCodeNorm()),
                    pct(b.prior().fraction()), pct(b.priorRecall())));
            if (factors) {
                r.add(b.alignment() == null ? "–" : f2(b.alignment().score()));
            }
            rows.add(r);
        }
        List<String> header = new ArrayList<>(List.of("β", "recon (nats)", "KL (nats)", "−ELBO", "−ELBO (IW records)", "IW NLL",
                "active dims", "posterior σ (used dims)", "mean ‖μ‖", "prior samples realistic", "test images covered by samples"));
        if (factors) {
            header.add("factor alignment (x, y, scale)");
        }
        h.table(header, rows);
        h.rowStart().figure("beta-rate-distortion.png", "reconstruction against KL", "Each β-VAE's test reconstruction term against its KL term", 560)
                .figure("beta-reconstructions.png", "reconstructions per beta", "Test images and their reconstructions by each β-VAE", 0)
                .figure("beta-samples.png", "prior samples per beta", "Prior samples of each β-VAE", 0).rowEnd();
        h.caption(LectureCaptions.beta(sweep, s.iwSamples()));
        h.rowStart();
        for (BetaStats b : sweep) {
            h.figure("traverse-beta-" + fileTag(b.beta()) + ".png", "traversal beta " + fmt(b.beta()), "β = " + fmt(b.beta())
                    + ": the " + Math.min(6, s.latent()) + " dimensions with the highest KL, each swept from −3 to 3 around test image 0's code", 0);
        }
        h.rowEnd();
        h.caption(LectureCaptions.traversals(sweep));

        // 5
        h.h2("s5", "5. The reparameterisation trick: gradient variance");
        if (grads != null) {
            h.p("The gradient that reaches the encoder's mean head is ∇_μ E_q[f(z)] with q = N(μ, σ²) from the encoder and f(z) = log p(x|z), "
                    + "the decoder's reconstruction log-likelihood, on the β = " + fmt(gradBeta) + " VAE. The reparameterised estimator "
                    + "samples ε ~ N(0, I), sets z = μ + σ⊙ε and differentiates f through z (one sample: ∇_z f(z)); the score-function "
                    + "(REINFORCE) estimator needs only values of f: f(z)·(z − μ)/σ². Both are unbiased; the same ε feed both.");
            h.table(List.of("estimator", "mean per-parameter variance", "× the reparameterised"), List.of(
                    List.of("reparameterised", g4(grads.meanVarReparam()), "1"),
                    List.of("score function (REINFORCE)", g4(grads.meanVarScore()), String.format(Locale.ROOT, "%.0f", grads.ratio())),
                    List.of("score function with a leave-one-out baseline", g4(grads.meanVarScoreBaseline()),
                            String.format(Locale.ROOT, "%.0f", grads.ratioBaseline()))));
            h.figure("gradient-variance.png", "gradient variance scatter", "One point per (record, latent dimension); above the grey "
                    + "line the score function is the noisier", 560);
            h.caption(LectureCaptions.gradients(grads, s.gradRecords(), s.gradSamples()));
        } else {
            h.p("Not measured.");
        }

        h.h2("setup", "Set-up and timings");
        List<List<String>> t = new ArrayList<>();
        for (String[] r : timings) {
            t.add(List.of(r[0], r[1]));
        }
        t.add(List.of("total (including data loading and writing)", String.format(Locale.ROOT, "%.1f", total)));
        h.table(List.of("stage", "seconds"), t);
        h.small("vae4j " + org.vae4j.model.Provenance.currentVersion() + "; data " + dataName + "; batch size " + s.batchSize()
                + ", Adam 1e-3, seed " + s.seed() + ". Realism: a decoded image counts as looking like data when its mean squared "
                + "error to the nearest of the reference training images is at most the 90th percentile of that error for the same "
                + "model's reconstructions of test images.");
    }

    private static int labelCount(Lectures.Bench bench) {
        org.vae4j.data.Dataset t = bench.data().train();
        if (!t.hasLabels()) {
            return 0;
        }
        return (int) java.util.Arrays.stream(t.labels()).distinct().count();
    }

    static String fileTag(double beta) {
        return fmt(beta).replace('.', '_');
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
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

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String pctOrNa(double v) {
        return Double.isNaN(v) ? "– (no labels)" : pct(v);
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
