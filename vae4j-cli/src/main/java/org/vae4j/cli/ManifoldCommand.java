package org.vae4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vae4j.latent.Manifold;
import org.vae4j.latent.NormalQuantiles;
import org.vae4j.model.VaeModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vae4j manifold}. */
@Command(name = "manifold", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"For a model with a 2-D latent: decode a grid of codes at Gaussian quantiles (the inverse normal CDF",
            "of evenly spaced probabilities), as in Kingma & Welling's figure 4. z0 grows to the right, z1 upwards.",
            "A conditional model (cvae) decodes the grid of one class: --label K (a name needs the run's own data set)."})
final class ManifoldCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--grid", defaultValue = "20", paramLabel = "G", description = "Codes per side (2..60). Default: ${DEFAULT-VALUE}.")
    int grid;

    @Mixin
    LabelOption label;

    @Option(names = "--out", required = true, paramLabel = "FILE.png")
    Path out;

    @Mixin
    Outputs.Force force;

    @Override
    public Integer call() {
        if (grid < 2 || grid > 60) {
            throw new IllegalArgumentException("--grid must be in 2..60, got " + grid);
        }
        Outputs.checkPng(out, force.force);
        Integer k;
        try (VaeModel m = model.load()) {
            TableRows.refusePictures(m, model.dir, "manifold", out);
            k = label.required(m, LatentData.names(model, new DataOptions(), spec.commandLine().getErr()), "manifold");
            float[] img = k == null ? Manifold.decode(m, grid) : Manifold.decode(m, grid, k);
            org.vae4j.image.ImageGrid.writePng(picture(img, grid, Pictures.shape(m)), out);
        }
        double[] q = NormalQuantiles.evenlySpaced(grid);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d×%d decoded codes, each coordinate from %.3f to %.3f%s%n",
                out, grid, grid, q[0], q[grid - 1], k == null ? "" : ", " + LabelOption.describe(k, null));
        return 0;
    }

    /**
     * The decoded grid with axes: z0 (the quantile of each column) below, growing to the right, z1 on the left, growing
     * upwards, as {@link Manifold#codes} lays them out.
     */
    static java.awt.image.BufferedImage picture(float[] decoded, int grid, int[] shape) {
        int scale = org.vae4j.image.ImageGrid.autoScale(shape);
        double[] q = NormalQuantiles.evenlySpaced(grid);
        double[] rows = new double[grid];
        for (int r = 0; r < grid; r++) {
            rows[r] = q[grid - 1 - r];
        }
        return LatentPictures.axes(LatentPictures.grid(decoded, grid * grid, shape, grid), LatentPictures.tile(shape, scale), q, rows);
    }
}
