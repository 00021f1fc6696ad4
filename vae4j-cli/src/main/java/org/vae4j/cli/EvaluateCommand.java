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
import org.vae4j.model.VaeModel;
import org.vae4j.train.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j evaluate}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test -ELBO (one sampled z per record), reconstruction, KL, KL per dimension, active units,",
            "and with --iw-samples K the importance-weighted NLL estimate and bits/dim."})
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

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!split.equals("test") && !split.equals("train")) {
            throw new IllegalArgumentException("--split must be test or train, got '" + split + "'");
        }
        if (iwSamples < 0 || limit < 0 || batchSize < 1) {
            throw new IllegalArgumentException("--iw-samples and --limit must be >= 0, --batch-size >= 1");
        }
        threads.apply();
        try (VaeModel m = model.load()) {
            DataSplits splits = data.loadOrFromRun(model.dir, false, err);
            Dataset ds = split.equals("test") ? splits.test() : splits.train();
            LatentData.checkShape(ds, m);
            int n = limit > 0 ? Math.min(limit, ds.size()) : ds.size();
            // in-memory data as before; streamed data (image folders) read batch by batch
            Dataset head = ds.head(n);
            float[] values = head instanceof ArrayDataset a ? Inputs.forEvaluation(a.data(), m.config().transform()) : null;
            BatchReader.Transform perRecord = Inputs.perRecordBernoulli(m.config().transform().binarized(),
                    Inputs.TEST_BINARIZATION_SEED);
            long t0 = System.nanoTime();
            EvaluationResult r = values != null ? Evaluator.evaluate(m, values, n, batchSize, seed)
                    : Evaluator.evaluate(m, head, perRecord, batchSize, seed);
            double iwSeconds = 0;
            if (iwSamples > 0) {
                long t1 = System.nanoTime();
                ProgressLine pl = new ProgressLine(err, "importance sampling", n, json);
                double nll = values != null ? Evaluator.importanceWeightedNll(m, values, n, iwSamples, seed, pl::update)
                        : Evaluator.importanceWeightedNll(m, head, perRecord, iwSamples, seed, pl::update);
                pl.done();
                iwSeconds = (System.nanoTime() - t1) / 1e9;
                r = r.withIw(nll, iwSamples, m.featureSize());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (json) {
                ObjectMapper om = new ObjectMapper();
                ObjectNode o = om.createObjectNode();
                o.put("neg_elbo", r.negElbo());
                o.put("recon", r.recon());
                o.put("kl", r.kl());
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
                o.put("seconds", seconds);
                o.put("iw_seconds", iwSeconds);
                out.println(om.writeValueAsString(o));
            } else {
                out.printf(Locale.ROOT, "%s split, %d records, likelihood %s%n", split, n, m.config().likelihood());
                out.printf(Locale.ROOT, "  -ELBO        %10.3f nats/record (one sampled z per record)%n", r.negElbo());
                out.printf(Locale.ROOT, "  recon        %10.3f%n  KL           %10.3f%n", r.recon(), r.kl());
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
            }
        }
        return 0;
    }

    private static void putNullable(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }
}
