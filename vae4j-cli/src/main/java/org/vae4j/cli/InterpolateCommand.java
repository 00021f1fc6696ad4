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
        description = {"Decode the path between the posterior means of two test records or image files (top row) and,",
            "for contrast, the pixel-space cross-fade between the inputs themselves (bottom row)."})
final class InterpolateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--from", required = true, paramLabel = "I|FILE", description = "First test record (index) or image file.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "J|FILE", description = "Second test record (index) or image file.")
    String to;

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
            ArrayDataset ds = LatentData.isIndex(from) || LatentData.isIndex(to)
                    ? LatentData.testSplit(model, data, vae, spec.commandLine().getErr()) : null;
            float[] a = input(vae, ds, "--from", from);
            float[] b = input(vae, ds, "--to", to);
            float[] latent = Interpolation.decodedPath(vae, a, b, steps, m);
            float[] fade = Interpolation.crossFade(a, b, steps);
            LatentPictures.write(LatentPictures.concat(latent, fade), 2 * steps, Pictures.shape(vae), steps, out);
        }
        spec.commandLine().getOut().printf("wrote %s: %s latent path (top) and pixel cross-fade (bottom) between %s and %s%n",
                out, mode.toLowerCase(java.util.Locale.ROOT), describe(from), describe(to));
        return 0;
    }

    private static float[] input(VaeModel vae, ArrayDataset ds, String option, String value) {
        if (LatentData.isIndex(value)) {
            int i = Integer.parseInt(value.trim());
            LatentData.checkIndex(option, i, ds);
            return LatentData.records(vae, ds, i);
        }
        return LatentData.image(vae, option, Path.of(value));
    }

    private static String describe(String value) {
        return LatentData.isIndex(value) ? "test record " + value.trim() : value;
    }
}
