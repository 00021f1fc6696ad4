package org.vae4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generated CSV tables for tests: two hidden factors drive 6 continuous columns (different scales and offsets), two
 * binary columns and a categorical column, so the columns are strongly dependent; optional missing cells; optional
 * outlier rows whose cells are each taken from a different ordinary row (every value plausible on its own, the row
 * as a whole far off the joint distribution). Columns: {@code id, kind, c0..c5, b0, b1, colour}; {@code kind} is
 * {@code normal} or {@code outlier}.
 */
public final class TestTables {
    private TestTables() {}

    /** Values of one ordinary row (as text cells, without id and kind). */
    private static String[] row(SplittableRandom r) {
        double z1 = gauss(r);
        double z2 = gauss(r);
        String[] cells = new String[9];
        for (int j = 0; j < 6; j++) {
            double w1 = Math.cos(j * 0.9);
            double w2 = Math.sin(j * 0.9);
            double v = (10 + 5 * j) * (w1 * z1 + w2 * z2 + 0.1 * gauss(r)) + 100 * j;
            cells[j] = String.format(Locale.ROOT, "%.4f", v);
        }
        cells[6] = r.nextDouble() < 1 / (1 + Math.exp(-4 * z1)) ? "1" : "0";
        cells[7] = r.nextDouble() < 1 / (1 + Math.exp(-4 * z2)) ? "1" : "0";
        cells[8] = z1 + z2 > 0.8 ? "red" : (z1 + z2 < -0.8 ? "blue" : "green");
        return cells;
    }

    /**
     * Writes a table.
     *
     * @param file where
     * @param rows ordinary rows
     * @param outliers outlier rows, spread through the file
     * @param missingRate share of the c0 and c3 cells left empty
     * @param seed generator seed
     */
    public static Path write(Path file, int rows, int outliers, double missingRate, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("id,kind,c0,c1,c2,c3,c4,c5,b0,b1,colour\n");
        int total = rows + outliers;
        int every = outliers == 0 ? Integer.MAX_VALUE : total / outliers;
        int placed = 0;
        for (int i = 0; i < total; i++) {
            boolean outlier = placed < outliers && i % every == every - 1;
            String[] cells;
            if (outlier) {
                placed++;
                cells = new String[9];
                for (int j = 0; j < 9; j++) {
                    cells[j] = row(r)[j];
                }
            } else {
                cells = row(r);
            }
            if (r.nextDouble() < missingRate) {
                cells[0] = "";
            }
            if (r.nextDouble() < missingRate) {
                cells[3] = "NA";
            }
            sb.append("r").append(i).append(',').append(outlier ? "outlier" : "normal");
            for (String c : cells) {
                sb.append(',').append(c);
            }
            sb.append('\n');
        }
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
