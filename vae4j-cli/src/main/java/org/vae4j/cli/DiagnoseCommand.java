package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.model.Provenance;
import org.vae4j.model.VaeModel;
import org.vae4j.train.StepProfile;
import org.vae4j.util.Diagnostics;
import org.vae4j.util.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vae4j diagnose}. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Print versions, threads and the float matmul speed that bounds training (128×784 · 784×400).",
            "With --model RUN: that model's multiply-adds per record and the matmul-bound time of a training epoch."})
final class DiagnoseCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadOptions threads;

    @Option(names = "--model", paramLabel = "RUN", description = "A saved model: print its work per record and its matmul-bound epoch time.")
    Path model;

    @Option(names = "--profile", description = "With --model: time every layer of every network (forward, forward+backward) and the Adam update for one batch.")
    boolean profile;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Batch for --profile. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--records", defaultValue = "60000", paramLabel = "N",
            description = "Training records per epoch for --model's limit. Default: ${DEFAULT-VALUE} (MNIST).")
    int records;

    @Override
    public Integer call() {
        threads.apply();
        var out = spec.commandLine().getOut();
        out.println("vae4j " + Provenance.currentVersion() + ", DJL " + ai.djl.engine.Engine.getDjlVersion() + ", "
                + Provenance.engineDescription());
        out.println("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " processors, intra-op threads " + Engines.threads());
        double g = Diagnostics.matmulGflops(128, 784, 400, 2.0);
        out.printf(Locale.ROOT, "matmul 128x784 . 784x400: %.1f GFLOP/s%n", g);
        // the canonical MLP VAE (784-400-20) costs about 6 x 652,824 parameters FLOPs per image per step
        double epochFlops = 6.0 * 651_200 * 60_000;
        out.printf(Locale.ROOT, "canonical MNIST VAE epoch: %.0f GFLOP -> matmul-bound limit %.2f s/epoch%n",
                epochFlops / 1e9, epochFlops / 1e9 / g);
        if (model != null) {
            if (records < 1) {
                throw new ParameterException(spec.commandLine(), "--records must be at least 1, got " + records);
            }
            if (profile && batchSize < 1) {
                throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
            }
            long macs;
            StepProfile prof = null;
            try (VaeModel m = VaeModel.load(model)) {
                macs = m.multiplyAddsPerRecord();
                if (profile) {
                    prof = StepProfile.of(m, batchSize, 5);
                }
            }
            // forward = 2 FLOPs per multiply-add; backward (input and weight gradients) twice the forward
            double modelEpoch = 6.0 * macs * records;
            out.printf(Locale.ROOT, "model %s: %.2f MFLOP forward per record (%d multiply-adds, all networks)%n", model, 2e-6 * macs, macs);
            out.printf(Locale.ROOT, "model training epoch (%d records, 3 x forward): %.0f GFLOP -> matmul-bound limit %.2f s/epoch%n",
                    records, modelEpoch / 1e9, modelEpoch / 1e9 / g);
            if (prof != null) {
                printProfile(out, prof, g);
            }
        } else if (profile) {
            throw new ParameterException(spec.commandLine(), "--profile needs --model RUN");
        }
        return 0;
    }

    /** A Markdown table: one row per layer step, its share of the step, and its speed against the matmul's. */
    private static void printProfile(java.io.PrintWriter out, StepProfile p, double matmulGflops) {
        double step = p.stepMs();
        out.printf(Locale.ROOT, "%nprofile, batch %d (each row timed on its own, best of 5; fwd+bwd as in training)%n", p.batch());
        out.println("| network | step | input | MFLOP fwd | fwd ms | fwd+bwd ms | share | GFLOP/s fwd+bwd | x matmul time |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (var e : p.layers().entrySet()) {
            for (var r : e.getValue()) {
                double flop = r.flops();
                String speed = r.multiplyAdds() == 0 ? "" : String.format(Locale.ROOT, "%.1f", flop / r.forwardBackwardMs() / 1e6);
                String ratio = r.multiplyAdds() == 0 ? "" : String.format(Locale.ROOT, "%.1f", r.forwardBackwardMs() / (flop / matmulGflops / 1e6));
                out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %.2f | %.2f | %.1f%% | %s | %s |%n", e.getKey(), r.step(), r.input(),
                        2e-6 * r.multiplyAdds(), r.forwardMs(), r.forwardBackwardMs(), 100 * r.forwardBackwardMs() / step, speed, ratio);
            }
        }
        out.printf(Locale.ROOT, "| optimiser | Adam (%s) | all parameters | | | %.2f | %.1f%% | | |%n", p.adamFused() ? "fused kernel" : "DJL",
                p.adamMs(), 100 * p.adamMs() / step);
        out.printf(Locale.ROOT, "sum of rows %.1f ms per step (the loss, data copy and per-op overheads of a real step come on top)%n", step);
    }
}
