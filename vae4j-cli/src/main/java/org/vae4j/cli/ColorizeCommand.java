package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.latent.Colorization;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j colorize}. */
@Command(name = "colorize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"For an RGB model: take a test record's luminance (0.299R + 0.587G + 0.114B), find the code whose",
            "decoded colour image has that luminance (Adam on z from the encoding of the grey image) and decode it in",
            "colour. Writes grey | colourised | original. --image FILE colourises your own picture (its luminance) instead.",
            "A conditional model (cvae) colourises given the record's own label, or --label K (required with --image)."})
final class ColorizeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--index", paramLabel = "I", description = "Test record to colourise.")
    Integer index;

    @Option(names = "--image", paramLabel = "FILE", description = "Picture to colourise instead of a test record (grey or colour; resized to the model's images).")
    Path image;

    @Option(names = "--iterations", defaultValue = "" + Colorization.DEFAULT_ITERATIONS, paramLabel = "N",
            description = "Adam steps (1..10000). Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Mixin
    Outputs.Force force;

    @Mixin
    LabelOption label;

    @Override
    public Integer call() {
        if (iterations < 1 || iterations > 10_000) {
            throw new IllegalArgumentException("--iterations must be in 1..10000, got " + iterations);
        }
        if ((index == null) == (image == null)) {
            throw new IllegalArgumentException("give one of --index I and --image FILE");
        }
        Outputs.checkPng(out, force.force);
        Colorization.Result r;
        String given;
        try (VaeModel m = model.load()) {
            int channels = m.config().inputShape().size() == 3 ? m.config().inputShape().get(0) : 1;
            if (channels != 3) {
                throw new IllegalArgumentException("colorize needs an RGB model; this one has " + channels
                        + (channels == 1 ? " channel" : " channels"));
            }
            float[] x;
            int[] labels;
            if (image != null) {
                x = LatentData.image(m, "--image", image);
                Integer k = label.required(m, LatentData.names(model, data, spec.commandLine().getErr()), "colorize --image " + image);
                labels = k == null ? null : new int[] {k};
                given = k == null ? "" : ", given " + LabelOption.describe(k, null);
            } else {
                ArrayDataset ds = LatentData.testSplit(model, data, m, spec.commandLine().getErr());
                LatentData.checkIndex("--index", index, ds);
                x = LatentData.records(m, ds, index);
                Integer k = label.resolve(m, LatentData.names(ds));
                given = LabelOption.given(m, k, LatentData.knownNames(ds)).replace("each record's", "its");
                labels = LatentData.labels(m, ds, k, index);
            }
            r = Colorization.colorize(m, x, 1, labels, iterations, Colorization.DEFAULT_LR);
            LatentPictures.write(LatentPictures.concat(r.grey(), r.colour(), x), 3, Pictures.shape(m), 3, out);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "colourised %s%s: luminance error %.3f at the start, %.3f after %d steps%n"
                + "wrote %s: grey | colourised | original%n", image != null ? image.toString() : "test record " + index, given, r.initialLuminanceError()[0], r.luminanceError()[0], iterations, out);
        return 0;
    }
}
