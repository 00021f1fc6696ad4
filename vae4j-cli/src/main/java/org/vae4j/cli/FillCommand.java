package org.vae4j.cli;

import java.io.PrintWriter;
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

    @Option(names = "--index", paramLabel = "I", description = "Test record to fill (writes input | mask | fill | truth to --out).")
    Integer index;

    @Option(names = "--indices", paramLabel = "A-B", description = {"Fill test records A..B (inclusive) and print the mean squared error on",
        "the masked pixels, with the training-mean image as a baseline; --out (optional) shows the first 8."})
    String indices;

    @Option(names = "--method", defaultValue = "optimize", paramLabel = "iterative|optimize",
            description = {"iterative: encode the current fill, decode the mean, keep the observed pixels, repeat;",
                "optimize: Adam on z for log p(x_observed|z) + log p(z). Default: ${DEFAULT-VALUE}."})
    String method;

    @Option(names = "--iterations", paramLabel = "N", description = "Rounds (iterative, default 20) or Adam steps (optimize, default 200); 1..10000.")
    Integer iterations;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Picture to write (required with --index).")
    Path out;

    @Mixin
    Outputs.Force force;

    @Mixin
    LabelOption label;

    /** Column labels of the one-record strip. */
    static final String[] STRIP_COLUMNS = {"input", "mask", "fill", "truth"};
    /** Row labels of the --indices picture. */
    static final String[] SUMMARY_ROWS = {"input", "fill", "truth"};

    /**
     * The one-record strip: the input the model is given (missing pixels mid-grey), the mask (white = missing), the
     * fill and the truth, each column labelled, drawn at {@link LatentPictures#stripScale} so a 28-pixel image is 112
     * pixels wide.
     */
    static java.awt.image.BufferedImage strip(float[] truth, float[] filled, Mask mask, int[] shape) {
        float[] input = mask.fill(truth, 1, shape[0], HOLE);
        float[] holes = mask.fill(new float[truth.length], 1, shape[0], 1f);
        int scale = LatentPictures.stripScale(shape);
        java.awt.image.BufferedImage grid = org.vae4j.image.ImageGrid.render(LatentPictures.concat(input, holes, filled, truth), 4, shape, 4,
                scale, LatentPictures.PAD);
        return LatentPictures.labelColumns(grid, LatentPictures.tile(shape, scale), STRIP_COLUMNS);
    }

    /** The --indices picture: rows input (holes mid-grey), fill and truth for the first {@code k} records, labelled. */
    static java.awt.image.BufferedImage summaryPicture(float[] truth, float[] filled, int k, Mask mask, int[] shape) {
        int scale = org.vae4j.image.ImageGrid.autoScale(shape);
        java.awt.image.BufferedImage grid = org.vae4j.image.ImageGrid.render(LatentPictures.concat(mask.fill(truth, k, shape[0], HOLE), filled, truth),
                3 * k, shape, k, scale, LatentPictures.PAD);
        return LatentPictures.labelRows(grid, LatentPictures.tile(shape, scale), SUMMARY_ROWS);
    }

    /** The mask for an image of {@code height × width}. */
    abstract Mask mask(int height, int width);

    /** The verb for messages. */
    abstract String verb();

    /** The --indices mode: fill a range of test records and print the mean masked squared error against baselines. */
    private Integer summary(Inpainting.Method m, int its) {
        if (out != null) {
            Outputs.checkPng(out, force.force);
        }
        Inpainting.Score fill;
        Inpainting.Score mean;
        Mask mask;
        int[] idx;
        String given;
        try (VaeModel vae = model.load()) {
            int[] shape = Pictures.shape(vae);
            if (shape.length != 3) {
                throw new IllegalArgumentException(verb() + " needs image records (C×H×W); this model's records have shape " + vae.config().inputShape());
            }
            mask = mask(shape[1], shape[2]);
            org.vae4j.data.DataSplits splits = LatentData.splits(model, data, vae, spec.commandLine().getErr());
            ArrayDataset ds = splits.test().materialize();
            idx = LatentData.range("--indices", indices, ds);
            int n = idx.length;
            float[] x = LatentData.records(vae, ds, idx);
            Integer cls = label.resolve(vae, LatentData.names(ds));
            given = LabelOption.given(vae, cls, LatentData.knownNames(ds));
            int[] labels = LatentData.labels(vae, ds, cls, idx);
            float[] filled = Inpainting.inpaint(vae, x, n, labels, mask, m, its);
            fill = Inpainting.score(x, filled, n, shape[0], mask);
            ArrayDataset train = splits.train().materialize();
            float[] trainValues = org.vae4j.train.Inputs.forEvaluation(train.data(), vae.config().transform());
            float[] meanImage = Inpainting.meanImage(trainValues, train.size(), train.featureSize());
            mean = Inpainting.score(x, Inpainting.fillWith(x, n, shape[0], mask, meanImage), n, shape[0], mask);
            if (out != null) {
                int k = Math.min(8, n);
                int d = vae.featureSize();
                float[] xs = java.util.Arrays.copyOf(x, k * d);
                org.vae4j.image.ImageGrid.writePng(summaryPicture(xs, java.util.Arrays.copyOf(filled, k * d), k, mask, shape), out);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s %d test records %d..%d (mask %s, %d missing values each, %s, %d iterations%s): mean squared error on "
                        + "the masked pixels %.5f per value%n", verb().equals("inpaint") ? "inpainted" : "outfilled", idx.length, idx[0],
                idx[idx.length - 1], mask.description(), fill.maskedValues(), m.name().toLowerCase(Locale.ROOT), its, given, fill.meanSquaredError());
        o.printf(Locale.ROOT, "training-mean image fill of the same pixels: mean squared error %.5f per value%n", mean.meanSquaredError());
        if (out != null) {
            o.printf(Locale.ROOT, "wrote %s: rows input (missing pixels grey) | fill | truth, first %d records%n", out, Math.min(8, idx.length));
        }
        return 0;
    }

    @Override
    public Integer call() {
        Inpainting.Method m = Inpainting.Method.parse(method);
        int its = iterations == null ? m.defaultIterations() : iterations;
        if (its < 1 || its > 10_000) {
            throw new IllegalArgumentException("--iterations must be in 1..10000, got " + its);
        }
        if ((index == null) == (indices == null)) {
            throw new IllegalArgumentException("give either --index I or --indices A-B");
        }
        if (indices != null) {
            return summary(m, its);
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE.png is required with --index");
        }
        Outputs.checkPng(out, force.force);
        double error;
        Mask mask;
        int values;
        String given;
        try (VaeModel vae = model.load()) {
            int[] shape = Pictures.shape(vae);
            if (shape.length != 3) {
                throw new IllegalArgumentException(verb() + " needs image records (C×H×W); this model's records have shape " + vae.config().inputShape());
            }
            mask = mask(shape[1], shape[2]);
            ArrayDataset ds = LatentData.testSplit(model, data, vae, spec.commandLine().getErr());
            LatentData.checkIndex("--index", index, ds);
            float[] x = LatentData.records(vae, ds, index);
            Integer k = label.resolve(vae, LatentData.names(ds));
            given = LabelOption.given(vae, k, LatentData.knownNames(ds)).replace("each record's", "its");
            int[] labels = LatentData.labels(vae, ds, k, index);
            float[] filled = Inpainting.inpaint(vae, x, 1, labels, mask, m, its);
            org.vae4j.image.ImageGrid.writePng(strip(x, filled, mask, shape), out);
            error = ImageMetrics.maskedSquaredError(x, filled, 1, shape[0], mask);
            values = mask.missingPixels() * shape[0];
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s %d missing pixels of test record %d (mask %s, %s, %d iterations%s): squared error on them %.3f (%.4f per value)%n"
                        + "wrote %s: input (missing pixels grey) | mask (white = missing) | fill | truth%n",
                verb().equals("inpaint") ? "inpainted" : "outfilled", mask.missingPixels(), index, mask.description(),
                m.name().toLowerCase(Locale.ROOT), its, given, error, error / values, out);
        return 0;
    }
}
