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
     * The grid with a margin on the left holding one label per row of tiles.
     *
     * @param grid as rendered by {@link #grid}
     * @param shape record shape (for the tile height)
     */
    static BufferedImage labelRows(BufferedImage grid, int[] shape, String[] labels) {
        int h = shape.length == 3 ? shape[1] : (int) Math.ceil(Math.sqrt(shape[0]));
        int tile = h * ImageGrid.autoScale(shape);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(14, tile / 3)));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        int margin = 0;
        for (String l : labels) {
            margin = Math.max(margin, fm.stringWidth(l));
        }
        pg.dispose();
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
        for (int r = 0; r < labels.length; r++) {
            int top = PAD + r * (tile + PAD);
            int baseline = top + (tile + m.getAscent() - m.getDescent()) / 2;
            g.drawString(labels[r], PAD + 2, baseline);
        }
        g.dispose();
        return out;
    }
}
