package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.data.ArrayDataset;
import org.vae4j.latent.ImageMetrics;
import org.vae4j.latent.Inpainting;
import org.vae4j.latent.Mask;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code inpaint} and {@code outfill} share: they differ only in how the mask is given. */
abstract class FillCommand implements Callable<Integer> {
    /** Mid-grey shown for missing pixels. */
    static final float HOLE = 0.5f;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--index", required = true, paramLabel = "I", description = "Test record to fill.")
    int index;

    @Option(names = "--method", defaultValue = "iterative", paramLabel = "iterative|optimize",
            description = {"iterative: encode the current fill, decode the mean, keep the observed pixels, repeat;",
                "optimize: Adam on z for log p(x_observed|z) + log p(z). Default: ${DEFAULT-VALUE}."})
    String method;

    @Option(names = "--iterations", paramLabel = "N", description = "Rounds (iterative, default 20) or Adam steps (optimize, default 200); 1..10000.")
    Integer iterations;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    /** The mask for an image of {@code height × width}. */
    abstract Mask mask(int height, int width);

    /** The verb for messages. */
    abstract String verb();

    @Override
    public Integer call() {
        Inpainting.Method m = Inpainting.Method.parse(method);
        int its = iterations == null ? m.defaultIterations() : iterations;
        if (its < 1 || its > 10_000) {
            throw new IllegalArgumentException("--iterations must be in 1..10000, got " + its);
        }
        Outputs.checkPng(out);
        double error;
        Mask mask;
        int values;
        try (VaeModel vae = model.load()) {
            int[] shape = Pictures.shape(vae);
            if (shape.length != 3) {
                throw new IllegalArgumentException(verb() + " needs image records (C×H×W); this model's records have shape " + vae.config().inputShape());
            }
            mask = mask(shape[1], shape[2]);
            ArrayDataset ds = LatentData.testSplit(model, data, vae, spec.commandLine().getErr());
            LatentData.checkIndex("--index", index, ds);
            float[] x = LatentData.records(vae, ds, index);
            float[] filled = Inpainting.inpaint(vae, x, 1, mask, m, its);
            float[] shown = mask.fill(x, 1, shape[0], HOLE);
            LatentPictures.write(LatentPictures.concat(x, shown, filled), 3, shape, 3, out);
            error = ImageMetrics.maskedSquaredError(x, filled, 1, shape[0], mask);
            values = mask.missingPixels() * shape[0];
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s %d missing pixels of test record %d (mask %s, %s, %d iterations): squared error on them %.3f (%.4f per value)%n"
                        + "wrote %s: original | masked (grey) | filled%n",
                verb().equals("inpaint") ? "inpainted" : "outfilled", mask.missingPixels(), index, mask.description(),
                m.name().toLowerCase(Locale.ROOT), its, error, error / values, out);
        return 0;
    }
}
