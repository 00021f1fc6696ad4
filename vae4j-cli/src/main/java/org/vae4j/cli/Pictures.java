package org.vae4j.cli;

import java.nio.file.Path;
import org.vae4j.image.ImageGrid;
import org.vae4j.model.VaeModel;

/** Writes the standard pictures of a model (layout only; the model does the work). */
final class Pictures {
    private Pictures() {}

    static int[] shape(VaeModel m) {
        return m.config().inputShape().stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code n} prior samples as a grid. */
    static void samples(VaeModel m, Path file, int n, long seed) {
        float[] x = m.sample(n, seed);
        int[] shape = shape(m);
        ImageGrid.writePng(ImageGrid.render(x, n, shape, 8, ImageGrid.autoScale(shape), 2), file);
    }

    /** Rows of originals, each followed by a row of the corresponding images from {@code second}. */
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
        return ImageGrid.render(grid, rows * 2 * cols, shape, cols, ImageGrid.autoScale(shape), 2);
    }
}
