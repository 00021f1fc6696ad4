package org.vae4j.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.vae4j.image.ImageGrid;

/** Layout of the latent-space pictures: rows of tiles, optionally labelled on the left. */
final class LatentPictures {
    static final int PAD = 2;

    private LatentPictures() {}

    /** The arrays one after another. */
    static float[] concat(float[]... parts) {
        int len = 0;
        for (float[] p : parts) {
            len += p.length;
        }
        float[] out = new float[len];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    /** {@code n} records, {@code columns} per row. */
    static BufferedImage grid(float[] values, int n, int[] shape, int columns) {
        return ImageGrid.render(values, n, shape, columns, ImageGrid.autoScale(shape), PAD);
    }

    /** Writes {@code n} records, {@code columns} per row. */
    static void write(float[] values, int n, int[] shape, int columns, Path file) {
        ImageGrid.writePng(grid(values, n, shape, columns), file);
    }

    /**
     * Columns for a grid of {@code n} tiles at most {@code max} wide whose rows are as even as can be: as few rows as
     * {@code max} allows, then as few columns as fill them, so the last row lacks fewer tiles than there are rows
     * (12 tiles: 2 rows of 6, not 10 and 2).
     */
    static int balancedColumns(int n, int max) {
        if (n <= 0) {
            return 1;
        }
        int rows = (n + max - 1) / max;
        return (n + rows - 1) / rows;
    }

    /** The side in pixels of one record drawn at {@code scale} (its height; images are square or vectors drawn square). */
    static int tile(int[] shape, int scale) {
        int h = shape.length == 3 ? shape[1] : (int) Math.ceil(Math.sqrt(shape[0]));
        return h * scale;
    }

    /**
     * The scale for a strip of a few records (inpaint, outfill): tiles of about 128 pixels, so a 28-pixel record is
     * drawn at 4× instead of {@link ImageGrid#autoScale}'s 2×.
     */
    static int stripScale(int[] shape) {
        int h = shape.length == 3 ? shape[1] : (int) Math.ceil(Math.sqrt(shape[0]));
        return Math.max(1, Math.min(8, 128 / Math.max(1, h)));
    }

    private static Font labelFont(int tile) {
        return new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(14, tile / 3)));
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D pg = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return pg.getFontMetrics(font);
        } finally {
            pg.dispose();
        }
    }

    /**
     * The grid with a margin on the left holding one label per row of tiles.
     *
     * @param grid as rendered by {@link #grid}
     * @param shape record shape (for the tile height)
     */
    static BufferedImage labelRows(BufferedImage grid, int[] shape, String[] labels) {
        return labelRows(grid, tile(shape, ImageGrid.autoScale(shape)), labels);
    }

    /**
     * The grid with a margin on the left holding one label per row of tiles; labels repeat when the grid has more rows
     * than labels (input / reconstruction, input / reconstruction, ...).
     *
     * @param grid a grid of tiles {@code tile} pixels high with {@value #PAD}-pixel padding
     * @param tile the tiles' height in pixels
     */
    static BufferedImage labelRows(BufferedImage grid, int tile, String[] labels) {
        Font font = labelFont(tile);
        FontMetrics fm = metrics(font);
        int margin = 0;
        for (String l : labels) {
            margin = Math.max(margin, fm.stringWidth(l));
        }
        margin += 2 * PAD + 4;
        BufferedImage out = new BufferedImage(grid.getWidth() + margin, grid.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(0x404040));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(grid, margin, 0, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.WHITE);
        FontMetrics m = g.getFontMetrics();
        int rows = (grid.getHeight() - PAD) / (tile + PAD);
        for (int r = 0; r < rows && labels.length > 0; r++) {
            int top = PAD + r * (tile + PAD);
            int baseline = top + (tile + m.getAscent() - m.getDescent()) / 2;
            g.drawString(labels[r % labels.length], PAD + 2, baseline);
        }
        g.dispose();
        return out;
    }

    /** Height in pixels of the header that {@link #labelColumns} adds for tiles {@code tile} pixels wide. */
    static int headerHeight(int tile) {
        FontMetrics fm = metrics(labelFont(tile));
        return fm.getHeight() + 2 * PAD + 2;
    }

    /**
     * The grid with a header above it naming each column of tiles, centred over its column.
     *
     * @param grid a grid of tiles {@code tile} pixels wide with {@value #PAD}-pixel padding
     * @param tile the tiles' width in pixels
     * @param labels one per column
     */
    static BufferedImage labelColumns(BufferedImage grid, int tile, String[] labels) {
        Font font = labelFont(tile);
        int header = headerHeight(tile);
        BufferedImage out = new BufferedImage(grid.getWidth(), grid.getHeight() + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(0x404040));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(grid, 0, header, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.WHITE);
        FontMetrics m = g.getFontMetrics();
        for (int c = 0; c < labels.length; c++) {
            int left = PAD + c * (tile + PAD);
            int x = left + Math.max(0, (tile - m.stringWidth(labels[c])) / 2);
            g.drawString(labels[c], x, PAD + 1 + m.getAscent());
        }
        g.dispose();
        return out;
    }

    /**
     * The grid of a 2-D latent's decoded codes with axes: below it, z0 with the code of each column at a few ticks,
     * growing to the right; on the left, z1 with the code of each row, growing upwards.
     *
     * @param grid a {@code g × g} grid of tiles {@code tile} pixels square with {@value #PAD}-pixel padding
     * @param tile the tiles' side in pixels
     * @param columnValues z0 of each column, left to right
     * @param rowValues z1 of each row, top to bottom
     */
    static BufferedImage axes(BufferedImage grid, int tile, double[] columnValues, double[] rowValues) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        FontMetrics fm = metrics(font);
        String[] rowText = new String[rowValues.length];
        int tickWidth = 0;
        for (int r = 0; r < rowValues.length; r++) {
            rowText[r] = String.format(java.util.Locale.ROOT, "%.2f", rowValues[r]);
            tickWidth = Math.max(tickWidth, fm.stringWidth(rowText[r]));
        }
        int tickLen = 5;
        int left = fm.getHeight() + 6 + tickWidth + 4 + tickLen;
        int bottom = tickLen + 2 + fm.getHeight() + 4 + fm.getHeight() + 4;
        int right = fm.stringWidth("-0.00") / 2 + 4;
        BufferedImage out = new BufferedImage(left + grid.getWidth() + right, grid.getHeight() + bottom, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(grid, left, 0, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.BLACK);
        int x0 = left;
        int y0 = grid.getHeight();
        g.drawLine(x0, y0, x0 + grid.getWidth() - 1, y0);
        g.drawLine(x0 - 1, 0, x0 - 1, y0);
        // ticks at every column when they fit, else at a few evenly spaced ones (always the first and the last)
        int every = Math.max(1, (int) Math.ceil((fm.stringWidth("-0.00") + 8) / (double) (tile + PAD)));
        for (int c = 0; c < columnValues.length; c++) {
            if (c % every != 0 && c != columnValues.length - 1) {
                continue;
            }
            if (c != columnValues.length - 1 && columnValues.length - 1 - c < every && c != 0) {
                continue;
            }
            int cx = x0 + PAD + c * (tile + PAD) + tile / 2;
            g.drawLine(cx, y0, cx, y0 + tickLen);
            String t = String.format(java.util.Locale.ROOT, "%.2f", columnValues[c]);
            g.drawString(t, cx - fm.stringWidth(t) / 2, y0 + tickLen + 2 + fm.getAscent());
        }
        String xName = "z0 →";
        g.drawString(xName, x0 + (grid.getWidth() - fm.stringWidth(xName)) / 2, y0 + tickLen + 2 + fm.getHeight() + 4 + fm.getAscent());
        int everyRow = Math.max(1, (int) Math.ceil((fm.getHeight() + 4) / (double) (tile + PAD)));
        for (int r = 0; r < rowValues.length; r++) {
            if (r % everyRow != 0 && r != rowValues.length - 1) {
                continue;
            }
            if (r != rowValues.length - 1 && rowValues.length - 1 - r < everyRow && r != 0) {
                continue;
            }
            int cy = PAD + r * (tile + PAD) + tile / 2;
            g.drawLine(x0 - 1 - tickLen, cy, x0 - 1, cy);
            g.drawString(rowText[r], x0 - 1 - tickLen - 3 - fm.stringWidth(rowText[r]), cy + (fm.getAscent() - fm.getDescent()) / 2);
        }
        String yName = "z1 →";
        java.awt.geom.AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        // after the rotation, x runs upwards (negative) and y to the right
        g.drawString(yName, -(grid.getHeight() + fm.stringWidth(yName)) / 2, 2 + fm.getAscent());
        g.setTransform(saved);
        g.dispose();
        return out;
    }
}
