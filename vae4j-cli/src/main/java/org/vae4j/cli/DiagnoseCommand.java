package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.model.Provenance;
import org.vae4j.model.VaeModel;
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
            long macs;
            try (VaeModel m = VaeModel.load(model)) {
                macs = m.multiplyAddsPerRecord();
            }
            // forward = 2 FLOPs per multiply-add; backward (input and weight gradients) twice the forward
            double modelEpoch = 6.0 * macs * records;
            out.printf(Locale.ROOT, "model %s: %.2f MFLOP forward per record (%d multiply-adds, all networks)%n", model, 2e-6 * macs, macs);
            out.printf(Locale.ROOT, "model training epoch (%d records, 3 x forward): %.0f GFLOP -> matmul-bound limit %.2f s/epoch%n",
                    records, modelEpoch / 1e9, modelEpoch / 1e9 / g);
        }
        return 0;
    }
}
