package org.vae4j.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.vae4j.generate.CodeSampler;
import org.vae4j.generate.PriorSamples;
import org.vae4j.image.ImageGrid;
import org.vae4j.model.Capability;
import org.vae4j.model.VaeModel;

/** Writes the standard pictures of a model (layout only; the model does the work). */
final class Pictures {
    private Pictures() {}

    static int[] shape(VaeModel m) {
        return m.config().inputShape().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Classes shown, one row each, in the pictures of a conditional model's samples (train, report). */
    static final int MAX_CLASS_ROWS = 20;
    /** Samples per class in those pictures. */
    static final int PER_CLASS = 8;

    /**
     * The standard prior-sample picture of a model ({@code samples.png}, the report): 64 samples in rows of 8, or
     * for a conditional model {@value #PER_CLASS} samples of each of its first {@value #MAX_CLASS_ROWS} classes, one
     * row per class, labelled with the class's name (from {@code names}, else its number).
     */
    static BufferedImage standardSamples(VaeModel m, long seed, List<String> names) {
        if (m.can(Capability.CONDITIONAL)) {
            int rows = Math.min(m.classes(), MAX_CLASS_ROWS);
            return samplesImage(m, rows * PER_CLASS, seed, PriorSamples.Labels.cycle(rows), names);
        }
        return samplesImage(m, 64, seed, PriorSamples.Labels.none(), names);
    }

    /** Writes {@link #standardSamples}. */
    static void samples(VaeModel m, Path file, long seed, List<String> names) {
        ImageGrid.writePng(standardSamples(m, seed, names), file);
    }

    /**
     * {@code n} prior samples as a grid. With labels cycling over {@code c} classes (sample i has label i mod c) the
     * grid has one row per class, sample i in row i mod c, labelled with the class's name or number; otherwise
     * rows of 8 in sample order.
     */
    static BufferedImage samplesImage(VaeModel m, int n, long seed, PriorSamples.Labels labels, List<String> names) {
        return samplesImage(m, n, seed, labels, CodeSampler.PRIOR, names);
    }

    /** {@link #samplesImage(VaeModel, int, long, PriorSamples.Labels, List)} with codes from {@code sampler}. */
    static BufferedImage samplesImage(VaeModel m, int n, long seed, PriorSamples.Labels labels, CodeSampler sampler, List<String> names) {
        float[] x = PriorSamples.sample(m, n, seed, labels, sampler);
        int[] shape = shape(m);
        if (labels.cycle() == 0) {
            return ImageGrid.render(x, n, shape, Math.min(8, n), ImageGrid.autoScale(shape), 2);
        }
        int rows = Math.min(labels.cycle(), n);
        int cols = (n + rows - 1) / rows;
        int d = m.featureSize();
        float[] grid = new float[rows * cols * d];
        for (int i = 0; i < n; i++) {
            int r = i % rows;
            int c = i / rows;
            System.arraycopy(x, i * d, grid, (r * cols + c) * d, d);
        }
        String[] rowLabels = new String[rows];
        for (int r = 0; r < rows; r++) {
            rowLabels[r] = names != null && r < names.size() ? names.get(r) : Integer.toString(r);
        }
        return LatentPictures.labelRows(ImageGrid.render(grid, rows * cols, shape, cols, ImageGrid.autoScale(shape), 2), shape,
                rowLabels);
    }

    /** Row labels of {@link #pairsImage}. */
    static final String[] PAIR_LABELS = {"input", "reconstruction"};

    /**
     * Rows of inputs, each followed by a row of their reconstructions from {@code second}, each row labelled on the left
     * ("input" / "reconstruction").
     */
    static void pairs(float[] first, float[] second, int n, int[] shape, int columns, Path file) {
        ImageGrid.writePng(pairsImage(first, second, n, shape, columns), file);
    }

    /** The picture of {@link #pairs}. */
    static java.awt.image.BufferedImage pairsImage(float[] first, float[] second, int n, int[] shape, int columns) {
        int d = 1;
        for (int s : shape) {
            d *= s;
        }
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        float[] grid = new float[rows * 2 * cols * d];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (i >= n) {
                    continue;
                }
                System.arraycopy(first, i * d, grid, ((2 * r) * cols + c) * d, d);
                System.arraycopy(second, i * d, grid, ((2 * r + 1) * cols + c) * d, d);
            }
        }
        int scale = ImageGrid.autoScale(shape);
        return LatentPictures.labelRows(ImageGrid.render(grid, rows * 2 * cols, shape, cols, scale, 2), LatentPictures.tile(shape, scale),
                PAIR_LABELS);
    }
}
