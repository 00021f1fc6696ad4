package org.vae4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.model.Provenance;
import org.vae4j.util.Diagnostics;
import org.vae4j.util.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code vae4j diagnose}. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Print versions, threads and the float matmul speed that bounds MLP training (128×784 · 784×400).")
final class DiagnoseCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadOptions threads;

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
        return 0;
    }
}
