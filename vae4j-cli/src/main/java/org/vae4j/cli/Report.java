package org.vae4j.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.vae4j.data.Dataset;
import org.vae4j.data.TableSchema;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.Samplers;
import org.vae4j.generate.TableFidelity;
import org.vae4j.generate.TableSamples;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.image.ImageGrid;
import org.vae4j.io.AtomicFiles;
import org.vae4j.latent.Encodings;
import org.vae4j.latent.Interpolation;
import org.vae4j.latent.Traversal;
import org.vae4j.model.Capability;
import org.vae4j.model.ModelConfig;
import org.vae4j.model.VaeModel;
import org.vae4j.train.EpochMetrics;
import org.vae4j.train.Inputs;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;

/**
 * {@code RUN/report.html}: one self-contained page per training run (loss curves from {@code metrics.csv}, prior
 * samples, reconstructions, KL per latent dimension, an interpolation and a traversal), every picture an inline PNG.
 * The numbers and images come from vae4j-core; this class only lays them out. Each section asks the model for the
 * capabilities it needs ({@link VaeModel#can}) and is left out, with a one-line reason, when one is missing; a
 * conditional model is evaluated with the test records' labels, samples one row per class and reconstructs, interpolates
 * and traverses each record with its own label.
 */
final class Report {
    static final String FILE = "report.html";
    /** Test records evaluated for the per-dimension figures. */
    static final int EVAL_RECORDS = 2000;
    /** Test records used to rank dimensions for the traversal. */
    static final int RANK_RECORDS = 1000;
    /** Least synthetic rows compared with the test rows of a table model. */
    static final int SYNTHETIC_ROWS = 2000;

    private Report() {}

    /**
     * Writes {@code run/report.html} for a trained model.
     *
     * @param m the trained model
     * @param run its run directory (holding {@code metrics.csv} and {@code train.json})
     * @param test the test split
     * @param seed seed for the prior samples and the evaluation
     * @return the file written
     */
    static Path write(VaeModel m, Path run, Dataset test, long seed) {
        List<EpochMetrics> rows = EpochMetrics.readCsv(run.resolve(Training.METRICS));
        RunState state = Training.readState(run);
        ModelConfig mc = m.config();
        int[] shape = Pictures.shape(m);
        boolean variational = m.variant().variational();
        int n = Math.min(EVAL_RECORDS, test.size());
        float[] records = Inputs.forEvaluation(test.head(n).materialize().data(), mc.transform());
        // a conditional model is evaluated (and reconstructs) with each record's own label
        int[] labels = Evaluator.labelsFor(m, test.head(n));
        EvaluationResult ev = Evaluator.evaluate(m, records, labels, n, 500, seed);
        EpochMetrics last = rows.get(rows.size() - 1);

        Html h = new Html("vae4j report: " + run.getFileName());
        h.h1("Training report: " + run.getFileName());
        // a table's rows are not pictures: its report shows reconstructions as a table and leaves out the image sections
        TableSchema tableSchema = mc.transform().table();
        List<String[]> toc = new ArrayList<>(List.of(new String[] {"summary", "Summary"}, new String[] {"loss-curves", "Loss curves"},
                new String[] {"samples", "Prior samples"}, new String[] {"reconstructions", "Reconstructions"},
                new String[] {"kl-per-dimension", variational ? "KL per latent dimension" : "Code variance per dimension"},
                new String[] {"interpolation", "Interpolation"}, new String[] {"traversal", "Latent traversal"}));
        if (!ev.perClass().isEmpty()) {
            toc.add(2, new String[] {"per-class", "Per class"});
        }
        if (tableSchema != null) {
            toc.removeIf(e -> e[0].equals("samples") || e[0].equals("interpolation") || e[0].equals("traversal"));
            toc.add(new String[] {"synthetic-rows", "Synthetic rows"});
        }
        h.toc(toc);

        h.h2("summary", "Summary");
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("run", run.toString()));
        table.add(List.of("model", describe(mc)));
        table.add(List.of("data", state.dataName() + (state.dataSpec().isEmpty() ? "" : " (" + state.dataSpec() + ")")));
        table.add(List.of("parameters", String.format(Locale.ROOT, "%,d", m.parameterCount())));
        table.add(List.of("epochs", Integer.toString(last.epoch())));
        table.add(List.of("final train loss", fmt(last.trainLoss())));
        boolean encodes = m.can(Capability.ENCODES);
        if (encodes) {
            table.add(List.of(variational ? "final test −ELBO (one sampled z)" : "final test reconstruction loss", fmt(last.testNegElbo())));
            table.add(List.of("final test reconstruction / KL", fmt(last.testRecon()) + " / " + fmt(last.testKl())));
        } else {
            // no encoder, so no −ELBO: the model's own terms (a GAN's losses and D's outputs), train / test
            for (String t : ownTerms(m)) {
                table.add(List.of("final " + t + " (train / test)", fmt3(last.extra().getOrDefault("train_" + t, Double.NaN)) + " / "
                        + fmt3(last.extra().getOrDefault("test_" + t, Double.NaN))));
            }
        }
        table.add(List.of("mean training seconds per epoch", String.format(Locale.ROOT, "%.2f",
                rows.stream().mapToDouble(EpochMetrics::seconds).average().orElse(0))));
        if (encodes) {
            table.add(List.of("active latent dimensions (of " + m.latent() + ")", ev.activeUnits() + " (on " + n + " test records)"));
        }
        h.table(null, table);
        if (!m.likelihood().isDensity()) {
            h.small("The mse likelihood is not a density, so these losses are sums of squared errors, not bounds on −log p(x).");
        }
        if (!ev.perClass().isEmpty()) {
            perClassSection(h, ev, test.labelNames(), n);
        }

        h.h2("loss-curves", "Loss curves");
        if (!encodes) {
            ownTermCurves(h, m, rows);
        } else {
        h.small("Per epoch, from metrics.csv: the training objective averaged over the epoch's batches (with β and warm-up "
                + "applied), and the test figures with one sampled z per record.");
        double[] epochs = rows.stream().mapToDouble(EpochMetrics::epoch).toArray();
        XYChart loss = Charts.xy("Loss", "epoch", "nats per record", 380, 280);
        loss.addSeries("train loss", epochs, rows.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
        loss.addSeries(variational ? "test −ELBO" : "test loss", epochs, rows.stream().mapToDouble(EpochMetrics::testNegElbo).toArray());
        XYChart recon = Charts.xy("Reconstruction", "epoch", "nats per record", 380, 280);
        recon.addSeries("train", epochs, rows.stream().mapToDouble(EpochMetrics::trainRecon).toArray());
        recon.addSeries("test", epochs, rows.stream().mapToDouble(EpochMetrics::testRecon).toArray());
        XYChart kl = Charts.xy("KL", "epoch", "nats per record", 380, 280);
        kl.addSeries("train", epochs, rows.stream().mapToDouble(EpochMetrics::trainKl).toArray());
        kl.addSeries("test", epochs, rows.stream().mapToDouble(EpochMetrics::testKl).toArray());
        for (XYChart c : List.of(loss, recon, kl)) {
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        }
        h.rowStart()
                .figure(Html.dataUri(Charts.png(loss)), "loss per epoch", "", 0)
                .figure(Html.dataUri(Charts.png(recon)), "reconstruction per epoch", "", 0)
                .figure(Html.dataUri(Charts.png(kl)), "KL per epoch", "", 0)
                .rowEnd();
        }

        if (tableSchema != null) {
            if (section(h, m, "reconstructions", "Reconstructions", Capability.ENCODES, Capability.DECODES)) {
                tableReconstructions(h, m, tableSchema, records, labels, Math.min(8, n));
            }
            klSection(h, m, ev, n, variational);
            if (section(h, m, "synthetic-rows", "Synthetic rows", Capability.SAMPLES, Capability.DECODES)) {
                syntheticRows(h, m, run, tableSchema, test, seed);
            }
            return finish(h, run);
        }

        boolean conditional = m.can(Capability.CONDITIONAL);
        if (section(h, m, "samples", "Prior samples", Capability.SAMPLES, Capability.DECODES)) {
            String caption;
            if (conditional) {
                int shown = Math.min(m.classes(), Pictures.MAX_CLASS_ROWS);
                caption = String.format(Locale.ROOT, "%d decoder means E[x|z, y] per class, one row per label y%s, for z drawn "
                        + "from the prior N(0, I) (seed %d).", Pictures.PER_CLASS,
                        shown < m.classes() ? " (the first " + shown + " of " + m.classes() + " labels)" : "", seed);
            } else if (variational) {
                caption = "64 decoder means E[x|z] for z drawn from the prior N(0, I) (seed " + seed + ").";
            } else if (!encodes) {
                caption = "64 generator outputs G(z) for z drawn from the prior N(0, I) (seed " + seed + ").";
            } else {
                caption = "64 decoded codes drawn from N(0, I). An autoencoder has no prior: these show what its decoder does "
                        + "with such codes, not samples of a generative model.";
            }
            h.figure(png(Pictures.standardSamples(m, seed, test.labelNames())), "prior samples", caption, 0);
        }

        int d = m.featureSize();
        if (section(h, m, "reconstructions", "Reconstructions", Capability.ENCODES, Capability.DECODES)) {
            int r = Math.min(16, n);
            float[] originals = java.util.Arrays.copyOf(records, r * d);
            float[] decoded = conditional ? m.reconstruct(originals, r, java.util.Arrays.copyOf(labels, r))
                    : Encodings.reconstruct(m, originals, r);
            h.figure(png(Pictures.pairsImage(originals, decoded, r, shape, 8)), "reconstructions",
                    "The first " + r + " test records (odd rows) and their reconstructions E[x | z = μ(x)] (even rows)"
                            + (conditional ? ", each encoded and decoded with its own label." : "."), 0);
        }

        klSection(h, m, ev, n, variational);

        // a conditional model interpolates and traverses within the class of test record 0, its label held fixed
        Dataset shown = test.head(n);
        Integer cls = conditional ? LatentData.labels(m, shown, null, 0)[0] : null;
        if (!encodes && m.can(Capability.SAMPLES)) {
            priorPaths(h, m, shape, seed);
            return finish(h, run);
        }
        if (section(h, m, "interpolation", "Interpolation", Capability.ENCODES, Capability.DECODES)) {
            // unconditional: two contrasting records (on shapes, two different shapes of the same size and place)
            int[] ends = cls == null ? DemoEndpoints.pick(shown.materialize()) : new int[] {0, firstWithLabel(shown, cls)};
            int from = ends[0];
            int other = ends[1];
            String within = cls == null ? "" : ", both given their " + LabelOption.describe(cls, LatentData.knownNames(shown));
            float[] a = java.util.Arrays.copyOfRange(records, from * d, (from + 1) * d);
            float[] b = java.util.Arrays.copyOfRange(records, other * d, (other + 1) * d);
            int steps = 10;
            float[] path = cls == null ? Interpolation.decodedPath(m, a, b, steps, Interpolation.Mode.LINEAR)
                    : Interpolation.decodedPath(m, a, b, steps, Interpolation.Mode.LINEAR, cls);
            float[] fade = Interpolation.crossFade(a, b, steps);
            h.figure(png(LatentPictures.grid(LatentPictures.concat(path, fade), 2 * steps, shape, steps)), "interpolation",
                    "Top: decoder means along the straight line between the posterior means of test records " + from + " and " + other + within
                            + ". Bottom: the pixel cross-fade of the same two records, for contrast.", 0);
        }

        if (section(h, m, "traversal", "Latent traversal", Capability.ENCODES, Capability.DECODES)) {
            int k = Math.min(8, m.latent());
            int nr = Math.min(RANK_RECORDS, n);
            int[] ranked = java.util.stream.IntStream.range(0, nr).toArray();
            Traversal.Ranking rank = Traversal.rank(m, java.util.Arrays.copyOf(records, nr * d), nr, LatentData.labels(m, shown, null, ranked));
            int[] top = rank.top(k);
            String[] rowLabels = new String[k];
            for (int i = 0; i < k; i++) {
                rowLabels[i] = String.format(Locale.ROOT, "z%d  %s %.2f", top[i], rank.measure(), rank.scores()[top[i]]);
            }
            float[] a = java.util.Arrays.copyOfRange(records, 0, d);
            float[] base = Encodings.encode(m, a, 1, LatentData.labels(m, shown, null, 0)).mu();
            int tsteps = 9;
            float[] trav = cls == null ? Traversal.decode(m, base, top, 3, tsteps) : Traversal.decode(m, base, top, 3, tsteps, cls);
            BufferedImage grid = LatentPictures.labelRows(LatentPictures.grid(trav, k * tsteps, shape, tsteps), shape, rowLabels);
            h.figure(png(grid), "latent traversal", String.format(Locale.ROOT,
                    "Each row sweeps one latent dimension from −3 to +3 with the others at the posterior mean of test record 0%s; "
                            + "rows are the %d dimensions with the highest %s on %d test records.", cls == null ? "" : " (its "
                            + LabelOption.describe(cls, LatentData.knownNames(shown)) + " held fixed)", k,
                    rank.measure().equals("KL") ? "mean KL (nats)" : "variance of the code", nr), 0);
        }
        return finish(h, run);
    }

    /** The model's terms besides recon and KL (a GAN's d_loss, g_loss, d_real, d_fake). */
    private static List<String> ownTerms(VaeModel m) {
        return m.variant().termNames().stream().filter(t -> !t.equals("recon") && !t.equals("kl")).toList();
    }

    /** One chart per own term, train and test, for a model without an encoder (no −ELBO, recon or KL). */
    private static void ownTermCurves(Html h, VaeModel m, List<EpochMetrics> rows) {
        h.small("Per epoch, from metrics.csv: the model's own terms averaged over the epoch's training batches and on the "
                + "test records (one prior draw per record). For a GAN: d_loss = −log D(x) − log(1 − D(G(z))) and g_loss are "
                + "two players' losses, not a quality measure; d_real = mean D(x) and d_fake = mean D(G(z)) both tend to ½ "
                + "where D cannot tell samples from data.");
        double[] epochs = rows.stream().mapToDouble(EpochMetrics::epoch).toArray();
        h.rowStart();
        for (String t : ownTerms(m)) {
            XYChart c = Charts.xy(t, "epoch", t.startsWith("d_real") || t.startsWith("d_fake") ? "probability" : "nats per record",
                    300, 240);
            c.addSeries("train", epochs, rows.stream().mapToDouble(r -> r.extra().getOrDefault("train_" + t, Double.NaN)).toArray());
            c.addSeries("test", epochs, rows.stream().mapToDouble(r -> r.extra().getOrDefault("test_" + t, Double.NaN)).toArray());
            c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
            h.figure(Html.dataUri(Charts.png(c)), t + " per epoch", "", 0);
        }
        h.rowEnd();
    }

    /** Interpolation and traversal between prior codes, for a model that samples but cannot encode (a GAN). */
    private static void priorPaths(Html h, VaeModel m, int[] shape, long seed) {
        h.h2("interpolation", "Interpolation");
        int steps = 10;
        int rowsShown = 4;
        int l = m.latent();
        float[] codes = m.priorCodes(2 * rowsShown, seed);
        float[] all = new float[0];
        for (int r = 0; r < rowsShown; r++) {
            float[] a = java.util.Arrays.copyOfRange(codes, 2 * r * l, (2 * r + 1) * l);
            float[] b = java.util.Arrays.copyOfRange(codes, (2 * r + 1) * l, (2 * r + 2) * l);
            all = LatentPictures.concat(all, Interpolation.decodeCodes(m, a, b, steps, Interpolation.Mode.SLERP));
        }
        h.figure(png(LatentPictures.grid(all, rowsShown * steps, shape, steps)), "interpolation", String.format(Locale.ROOT,
                "Each row: generator outputs along the spherical path between two codes drawn from the prior (seed %d). A '%s' model "
                        + "cannot encode records, so it cannot interpolate between them.", seed, m.config().model()), 0);
        h.h2("traversal", "Latent traversal");
        int k = Math.min(8, l);
        int tsteps = 9;
        int[] dims = java.util.stream.IntStream.range(0, k).toArray();
        float[] base = m.priorCodes(1, seed);
        String[] rowLabels = new String[k];
        for (int i = 0; i < k; i++) {
            rowLabels[i] = "z" + i;
        }
        float[] trav = Traversal.decode(m, base, dims, 3, tsteps);
        h.figure(png(LatentPictures.labelRows(LatentPictures.grid(trav, k * tsteps, shape, tsteps), shape, rowLabels)),
                "latent traversal", String.format(Locale.ROOT, "Each row sweeps one of the first %d latent dimensions from −3 to +3 "
                        + "with the others at a code drawn from the prior (seed %d); without an encoder there is no ranking "
                        + "of dimensions by use.", k, seed), 0);
    }

    static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * Starts a section; when the model lacks one of the capabilities it needs, writes the one-line reason instead and
     * returns false (the caller then leaves the section's content out).
     */
    static boolean section(Html h, VaeModel m, String id, String title, Capability... needs) {
        h.h2(id, title);
        for (Capability c : needs) {
            if (!m.can(c)) {
                h.small("Left out: a '" + m.config().model() + "' model cannot " + c.phrase() + ".");
                return false;
            }
        }
        return true;
    }

    /** −ELBO and count per label, from an evaluation with labels. */
    private static void perClassSection(Html h, EvaluationResult ev, List<String> names, int n) {
        h.h2("per-class", "Per class");
        List<List<String>> rows = new ArrayList<>();
        for (EvaluationResult.ClassFigures c : ev.perClass()) {
            rows.add(List.of(labelName(names, c.label()), Long.toString(c.count()), fmt(c.negElbo()), fmt(c.recon()), fmt(c.kl())));
        }
        h.table(List.of("label", "records", "−ELBO", "reconstruction", "KL"), rows);
        h.small("On the first " + n + " test records, each evaluated with its own label (one sampled z per record).");
    }

    /** A label's name when the data name it (with its number), else its number. */
    static String labelName(List<String> names, int label) {
        if (names != null && label < names.size() && !names.get(label).equals(Integer.toString(label))) {
            return names.get(label) + " (" + label + ")";
        }
        return Integer.toString(label);
    }

    /** {@code n} copies of {@code label}. */
    static int[] filled(int n, int label) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, label);
        return out;
    }

    private static Path finish(Html h, Path run) {
        h.small("Written by vae4j " + org.vae4j.model.Provenance.currentVersion() + ". Self-contained: every picture is embedded.");
        Path file = run.resolve(FILE);
        AtomicFiles.writeString(file, h.finish());
        return file;
    }

    private static void klSection(Html h, VaeModel m, EvaluationResult ev, int n, boolean variational) {
        if (!section(h, m, "kl-per-dimension", variational ? "KL per latent dimension" : "Code variance per dimension",
                Capability.ENCODES)) {
            return;
        }
        double[] perDim = variational ? ev.klPerDimension() : ev.meanVariance();
        List<String> dims = new ArrayList<>();
        List<Double> vals = new ArrayList<>();
        for (int j = 0; j < perDim.length; j++) {
            dims.add("z" + j);
            vals.add(perDim[j]);
        }
        CategoryChart bars = Charts.bars(variational ? "Mean KL(q(z_j|x) ‖ N(0,1)) per dimension" : "Variance of the code per dimension",
                "latent dimension", variational ? "nats" : "variance", Math.max(480, Math.min(1100, 40 * perDim.length + 160)), 320);
        bars.addSeries(variational ? "KL" : "variance", dims, vals);
        if (perDim.length > 24) {
            bars.getStyler().setXAxisLabelRotation(90);
        }
        h.figure(Html.dataUri(Charts.png(bars)), "per-dimension bar chart", String.format(Locale.ROOT,
                "On %d test records. %d of %d dimensions are active (variance of the posterior mean across records above %.2f).%s",
                n, ev.activeUnits(), m.latent(), EvaluationResult.ACTIVE_UNIT_THRESHOLD,
                variational ? String.format(Locale.ROOT, " Total KL %.2f nats.", ev.kl()) : ""), 0);
    }

    /** Rows drawn from the model against the held-out rows: marginals per column and correlations (computed in core). */
    private static void syntheticRows(Html h, VaeModel m, Path run, TableSchema t, Dataset test, long seed) {
        int rows = Math.max(SYNTHETIC_ROWS, Math.min(test.size(), 20_000));
        // the codes sample draws by default: the gmm:10 fit saved with the run, else the prior
        CodeSampler sampler = Samplers.obtain(run, m, CodeSampler.Spec.AUTO, () -> null, seed).sampler();
        TableFidelity f = TableFidelity.measure(m, test, rows, seed, sampler, TableSamples.Draw.SAMPLE);
        List<List<String>> table = new ArrayList<>();
        for (int i = 0; i < t.columns().size(); i++) {
            TableSchema.Column col = t.columns().get(i);
            TableFidelity.ColumnFidelity c = f.columns().get(i);
            String real;
            String synth;
            if (col.type().equals(TableSchema.CONTINUOUS)) {
                real = "mean " + TableRows.g(c.real()[0]) + ", sd " + TableRows.g(c.real()[1]);
                synth = "mean " + TableRows.g(c.synthetic()[0]) + ", sd " + TableRows.g(c.synthetic()[1]);
            } else if (col.type().equals(TableSchema.BINARY)) {
                real = String.format(Locale.ROOT, "%.3f ones", c.real()[0]);
                synth = String.format(Locale.ROOT, "%.3f ones", c.synthetic()[0]);
            } else {
                real = TableRows.shares(col, c, true);
                synth = TableRows.shares(col, c, false);
            }
            table.add(List.of(col.name(), col.type(), real, synth, String.format(Locale.ROOT, "%.3f", c.distance())));
        }
        h.table(List.of("column", "type", "real (test rows)", "synthetic", "gap"), table);
        h.small(String.format(Locale.ROOT, "%d rows drawn from the model (z from %s, each cell drawn from p(x|z), seed %d%s) "
                + "against the %d held-out test rows. Gap: |difference of means| / real sd + |log sd ratio| for continuous columns, "
                + "the difference of the shares of ones for binary ones, the total-variation distance of the category shares "
                + "for categorical ones. %s. Write such rows with: vae4j sample --model %s -n 1000 --out rows.csv",
                f.syntheticRows(), sampler == CodeSampler.PRIOR ? "the prior " + m.variant().priorName() : "the " + sampler.spec() + " fit to the training codes",
                seed, m.conditional() ? ", labels in the test rows' shares" : "", f.realRows(),
                TableRows.correlations(f).replace("correlations of the numeric columns", "Correlations of the numeric columns"), run));
    }

    /** The first test rows of a table and their reconstructions, column by column, in the file's terms. */
    private static void tableReconstructions(Html h, VaeModel m, TableSchema t, float[] records, int[] labels, int r) {
        float[] originals = java.util.Arrays.copyOf(records, r * m.featureSize());
        float[] recon = labels != null ? m.reconstruct(originals, r, java.util.Arrays.copyOf(labels, r))
                : Encodings.reconstruct(m, originals, r);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            List<String> a = new ArrayList<>(List.of("test " + i));
            a.addAll(t.describe(originals, i * m.featureSize(), false));
            List<String> b = new ArrayList<>(List.of("reconstruction"));
            b.addAll(t.describe(recon, i * m.featureSize(), true));
            rows.add(a);
            rows.add(b);
        }
        List<String> header = new ArrayList<>(List.of("record"));
        t.columns().forEach(c -> header.add(c.name() + " (" + c.type() + ")"));
        h.table(header, rows);
        h.small("The first " + r + " test rows and the decoder's expected values at z = μ(x): continuous columns in the file's "
                + "units, the probability of 1 for binary columns, the most probable category (with its probability) for "
                + "categorical ones.");
    }

    static String describe(ModelConfig mc) {
        StringBuilder sb = new StringBuilder(mc.model());
        sb.append(", ").append(mc.arch().type());
        if (!mc.arch().channels().isEmpty()) {
            sb.append(" channels ").append(join(mc.arch().channels()));
        }
        if (!mc.arch().hidden().isEmpty()) {
            sb.append(" hidden ").append(join(mc.arch().hidden()));
        }
        sb.append(", latent ").append(mc.latent()).append(", ").append(mc.likelihood()).append(" likelihood");
        if (mc.variant().variational()) {
            sb.append(", β = ").append(fmt(mc.beta()));
        }
        if (mc.conditionWidth() > 0) {
            sb.append(", conditional on ").append(mc.conditionWidth()).append(" labels");
        }
        if (mc.transform().binarized()) {
            sb.append(", ").append(mc.transform().binarize()).append(" binarisation");
        }
        return sb.toString();
    }

    private static String join(List<Integer> v) {
        return String.join(",", v.stream().map(String::valueOf).toList());
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String png(BufferedImage img) {
        return Html.dataUri(ImageGrid.png(img));
    }

    /** The first record after record 0 with the given label (record 0 itself when there is none). */
    static int firstWithLabel(Dataset ds, int label) {
        int[] labels = ds.labels();
        for (int i = 1; i < labels.length; i++) {
            if (labels[i] == label) {
                return i;
            }
        }
        return 0;
    }
}
