package org.vae4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.BatchReader;
import org.vae4j.data.Dataset;
import org.vae4j.data.DataSplits;
import org.vae4j.eval.EvaluationResult;
import org.vae4j.eval.Evaluator;
import org.vae4j.eval.GenerativeClassifier;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j evaluate}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test -ELBO (one sampled z per record), reconstruction, KL, KL per dimension, active units,",
            "and with --iw-samples K the importance-weighted NLL estimate and bits/dim.",
            "A conditional model (cvae) is evaluated with the records' labels and gets a table per label;",
            "with --classify it is also used as a generative classifier: argmax_y log p(x|y) + log p(y)."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "test", description = "test or train. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--iw-samples", defaultValue = "0", paramLabel = "K", description = "Importance samples per record (0 = skip; 5000 as in Burda et al.).")
    int iwSamples;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Evaluate only the first N records (0 = all).")
    int limit;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for sampled z. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--classify", description = "Conditional models: classify each record by argmax_y [log p(x|y) + log p(y)] "
            + "(log p(x|y) by importance sampling with --classify-samples draws, p(y) the training split's label frequencies) "
            + "and report the accuracy. Costs classes × K decoder passes per record.")
    boolean classify;

    @Option(names = "--classify-samples", defaultValue = "100", paramLabel = "K",
            description = "Importance samples per record and label for --classify. Default: ${DEFAULT-VALUE}.")
    int classifySamples;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!split.equals("test") && !split.equals("train")) {
            throw new IllegalArgumentException("--split must be test or train, got '" + split + "'");
        }
        if (iwSamples < 0 || limit < 0 || batchSize < 1 || classifySamples < 1) {
            throw new IllegalArgumentException("--iw-samples and --limit must be >= 0, --batch-size and --classify-samples >= 1");
        }
        if (iwSamples > org.vae4j.eval.Evaluator.MAX_IW_SAMPLES || classifySamples > org.vae4j.eval.Evaluator.MAX_IW_SAMPLES) {
            // refused before the model and the data are loaded (the same words as the core's own check)
            throw new IllegalArgumentException("--" + (iwSamples > org.vae4j.eval.Evaluator.MAX_IW_SAMPLES ? "iw-samples" : "classify-samples")
                    + " must be at most " + org.vae4j.eval.Evaluator.MAX_IW_SAMPLES
                    + " (importance samples per record; each costs a decoder pass), got " + Math.max(iwSamples, classifySamples));
        }
        threads.apply();
        try (VaeModel m = model.load()) {
            // its figures (−ELBO, reconstruction, KL, IW-NLL) are of records put through the encoder
            m.require(Capability.ENCODES, "evaluate");
            if (classify) {
                m.require(Capability.CONDITIONAL, "--classify");
            }
            DataSplits splits = data.loadOrFromRun(model.dir, false, err);
            Dataset ds = split.equals("test") ? splits.test() : splits.train();
            LatentData.checkShape(ds, m);
            int n = limit > 0 ? Math.min(limit, ds.size()) : ds.size();
            // in-memory data as before; streamed data (image folders) read batch by batch
            Dataset head = ds.head(n);
            float[] values = head instanceof ArrayDataset a ? Inputs.forEvaluation(a.data(), m.config().transform()) : null;
            BatchReader.Transform perRecord = Inputs.perRecordBernoulli(m.config().transform().binarized(),
                    Inputs.TEST_BINARIZATION_SEED);
            // a conditional model needs the records' labels (one line if the data have none)
            int[] labels = RecordOutputs.conditionLabels(m, head);
            long t0 = System.nanoTime();
            EvaluationResult r = values != null ? Evaluator.evaluate(m, values, labels, n, batchSize, seed)
                    : Evaluator.evaluate(m, head, perRecord, batchSize, seed);
            double iwSeconds = 0;
            if (iwSamples > 0) {
                long t1 = System.nanoTime();
                ProgressLine pl = new ProgressLine(err, "importance sampling", n, json);
                // one record per intra-op thread at a time, each on one engine thread (the same estimates)
                int workers = org.vae4j.util.Engines.threads();
                double nll = values != null
                        ? mean(Evaluator.importanceWeightedNllPerRecord(m, values, labels, n, iwSamples, seed, pl::update, workers))
                        : Evaluator.importanceWeightedNll(m, head, perRecord, iwSamples, seed, pl::update, workers);
                pl.done();
                iwSeconds = (System.nanoTime() - t1) / 1e9;
                r = r.withIw(nll, iwSamples, m.featureSize());
            }
            GenerativeClassifier.Result gc = null;
            double classifySeconds = 0;
            if (classify) {
                long t1 = System.nanoTime();
                double[] logPrior = GenerativeClassifier.logPrior(RecordOutputs.conditionLabels(m, splits.train()), m.classes());
                ProgressLine pl = new ProgressLine(err, "classifying", n, json);
                int workers = org.vae4j.util.Engines.threads();
                gc = values != null ? GenerativeClassifier.classify(m, values, labels, n, logPrior, classifySamples, seed, pl::update, workers)
                        : GenerativeClassifier.classify(m, head, perRecord, logPrior, classifySamples, seed, pl::update, workers);
                pl.done();
                classifySeconds = (System.nanoTime() - t1) / 1e9;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (json) {
                ObjectMapper om = new ObjectMapper();
                ObjectNode o = om.createObjectNode();
                o.put("neg_elbo", r.negElbo());
                o.put("recon", r.recon());
                o.put("kl", r.kl());
                // the model's further named terms (the IWAE's neg_iw_bound)
                r.terms().forEach((k, v) -> {
                    if (!k.equals("recon") && !k.equals("kl")) {
                        putNullable(o, k, v);
                    }
                });
                o.put("active_units", r.activeUnits());
                putNullable(o, "iw_nll", r.iwNll());
                o.put("iw_samples", r.iwSamples());
                putNullable(o, "bits_per_dim", r.bitsPerDim());
                o.put("n", r.n());
                o.put("split", split);
                o.put("likelihood", m.config().likelihood());
                o.put("likelihood_is_density", r.likelihoodIsDensity());
                var arr = o.putArray("kl_per_dim");
                for (double v : r.klPerDimension()) {
                    arr.add(v);
                }
                if (!r.perClass().isEmpty()) {
                    var pc = o.putArray("per_class");
                    for (EvaluationResult.ClassFigures c : r.perClass()) {
                        ObjectNode e = pc.addObject();
                        e.put("label", c.label());
                        e.put("name", RecordOutputs.labelName(ds, c.label()));
                        e.put("n", c.count());
                        e.put("neg_elbo", c.negElbo());
                        e.put("recon", c.recon());
                        e.put("kl", c.kl());
                    }
                }
                if (gc != null) {
                    ObjectNode g = o.putObject("classifier");
                    g.put("accuracy", gc.accuracy());
                    g.put("correct", gc.correct());
                    g.put("n", gc.n());
                    g.put("iw_samples", gc.iwSamples());
                    g.put("nll", gc.meanNll());
                    var acc = g.putArray("class_accuracy");
                    for (int y = 0; y < gc.classes(); y++) {
                        putNullable(acc.addObject().put("label", y), "accuracy", gc.classAccuracy(y));
                    }
                    g.put("seconds", classifySeconds);
                }
                o.put("seconds", seconds);
                o.put("iw_seconds", iwSeconds);
                out.println(om.writeValueAsString(o));
            } else {
                out.printf(Locale.ROOT, "%s split, %d records, likelihood %s%n", split, n, m.config().likelihood());
                out.printf(Locale.ROOT, "  -ELBO        %10.3f nats/record (one sampled z per record)%n", r.negElbo());
                out.printf(Locale.ROOT, "  recon        %10.3f%n  KL           %10.3f%n", r.recon(), r.kl());
                for (var t : r.terms().entrySet()) {
                    if (!t.getKey().equals("recon") && !t.getKey().equals("kl")) {
                        out.printf(Locale.ROOT, "  %-12s %10.3f (the model's own term)%n", t.getKey(), t.getValue());
                    }
                }
                out.printf(Locale.ROOT, "  active units %10d of %d (Cov_x E[z_i] > %.2f)%n", r.activeUnits(), m.latent(),
                        EvaluationResult.ACTIVE_UNIT_THRESHOLD);
                if (iwSamples > 0) {
                    out.printf(Locale.ROOT, "  IW-NLL       %10.3f nats/record (K = %d, %.1f s)%n", r.iwNll(), iwSamples, iwSeconds);
                    out.printf(Locale.ROOT, "  bits/dim     %10.4f%n", r.bitsPerDim());
                }
                StringBuilder sb = new StringBuilder("  KL per dim  ");
                for (double v : r.klPerDimension()) {
                    sb.append(String.format(Locale.ROOT, " %.2f", v));
                }
                out.println(sb);
                if (!r.likelihoodIsDensity()) {
                    out.println("  note: mse is not a density; its -ELBO is not a bound on -log p(x)");
                }
                if (!r.perClass().isEmpty()) {
                    out.println("  per label (each record evaluated with its own label):");
                    out.printf(Locale.ROOT, "    %-16s %8s %10s%s%n", "label", "records", "-ELBO", gc != null ? "   classified correctly" : "");
                    for (EvaluationResult.ClassFigures c : r.perClass()) {
                        out.printf(Locale.ROOT, "    %-16s %8d %10.3f%s%n", RecordOutputs.labelName(ds, c.label()), c.count(), c.negElbo(),
                                gc != null ? String.format(Locale.ROOT, "   %6.2f%%", 100 * gc.classAccuracy(c.label())) : "");
                    }
                }
                if (gc != null) {
                    out.printf(Locale.ROOT, "  generative classifier: accuracy %.2f%% (%d of %d; argmax_y log p(x|y) + log p(y), "
                            + "K = %d per label, %.1f s); -log p(x) %.3f nats/record%n", 100 * gc.accuracy(), gc.correct(), gc.n(),
                            gc.iwSamples(), classifySeconds, gc.meanNll());
                }
            }
        }
        return 0;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }


    private static void putNullable(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }
}
