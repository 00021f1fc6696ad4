package org.vae4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.latent.Interpolation;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j interpolate}. */
@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode the path between the posterior means of two test records (top row) and, for contrast,",
            "the pixel-space cross-fade between the records themselves (bottom row)."})
final class InterpolateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--from", required = true, paramLabel = "I", description = "Index of the first test record.")
    int from;

    @Option(names = "--to", required = true, paramLabel = "J", description = "Index of the second test record.")
    int to;

    @Option(names = "--steps", defaultValue = "10", description = "Images per row, endpoints included (2..100). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--mode", defaultValue = "linear", paramLabel = "linear|slerp", description = "Path in latent space. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Override
    public Integer call() {
        if (steps < 2 || steps > 100) {
            throw new IllegalArgumentException("--steps must be in 2..100, got " + steps);
        }
        Interpolation.Mode m = Interpolation.Mode.parse(mode);
        Outputs.checkPng(out);
        try (VaeModel vae = model.load()) {
            ArrayDataset ds = LatentData.testSplit(model, data, vae, spec.commandLine().getErr());
            LatentData.checkIndex("--from", from, ds);
            LatentData.checkIndex("--to", to, ds);
            float[] a = LatentData.records(vae, ds, from);
            float[] b = LatentData.records(vae, ds, to);
            float[] latent = Interpolation.decodedPath(vae, a, b, steps, m);
            float[] fade = Interpolation.crossFade(a, b, steps);
            LatentPictures.write(LatentPictures.concat(latent, fade), 2 * steps, Pictures.shape(vae), steps, out);
        }
        spec.commandLine().getOut().printf("wrote %s: %s latent path (top) and pixel cross-fade (bottom) between test records %d and %d%n",
                out, mode.toLowerCase(java.util.Locale.ROOT), from, to);
        return 0;
    }
}
