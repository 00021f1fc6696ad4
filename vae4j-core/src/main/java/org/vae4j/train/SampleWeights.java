package org.vae4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.data.Dataset;
import org.vae4j.data.DataException;
import org.vae4j.io.Checksums;
import org.vae4j.io.CsvFields;

/**
 * Per-record sampling weights read from a CSV file with a header naming an {@code id} and a {@code weight} column
 * (other columns, such as those {@code vae4j density} writes, are ignored), matched to the training records by
 * {@link Dataset#recordId(int)}.
 *
 * @param weights one non-negative weight per training record, in record order
 * @param sha256 SHA-256 of the file's bytes that were parsed
 */
public record SampleWeights(double[] weights, String sha256) {

    /**
     * Reads and matches a weights file.
     *
     * @param file the CSV file
     * @param train the training records
     * @throws DataException naming the file, line and problem: unreadable file, missing columns, unknown or
     *     repeated ids, weights that are not finite non-negative numbers, training records without a weight, or
     *     weights that are all zero
     */
    public static SampleWeights read(Path file, Dataset train) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read sample weights: " + e.getMessage(), e);
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1);
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new DataException(file + ": empty; expected a header with columns 'id' and 'weight'");
        }
        List<String> header = fields(file, 1, lines[0]);
        int idCol = header.indexOf("id");
        int wCol = header.indexOf("weight");
        if (idCol < 0 || wCol < 0) {
            throw new DataException(file + ", line 1: header must have columns 'id' and 'weight' but is " + lines[0]);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < train.size(); i++) {
            index.put(train.recordId(i), i);
        }
        double[] w = new double[train.size()];
        int[] line = new int[train.size()];
        double sum = 0;
        for (int ln = 1; ln < lines.length; ln++) {
            if (lines[ln].isEmpty()) {
                continue;
            }
            int row = ln + 1;
            List<String> f = fields(file, row, lines[ln]);
            if (f.size() != header.size()) {
                throw new DataException(file + ", line " + row + ": " + f.size() + " fields but the header has " + header.size());
            }
            String id = f.get(idCol);
            Integer i = index.get(id);
            if (i == null) {
                throw new DataException(file + ", line " + row + ": id '" + id + "' is not a record of the training data");
            }
            if (line[i] != 0) {
                throw new DataException(file + ", line " + row + ": id '" + id + "' appears twice (first on line " + line[i] + ")");
            }
            double v;
            try {
                v = Double.parseDouble(f.get(wCol).trim());
            } catch (NumberFormatException e) {
                throw new DataException(file + ", line " + row + ", column weight: '" + f.get(wCol) + "' is not a number");
            }
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new DataException(file + ", line " + row + ", column weight: " + v + " is not a finite non-negative number");
            }
            w[i] = v;
            line[i] = row;
            sum += v;
        }
        for (int i = 0; i < line.length; i++) {
            if (line[i] == 0) {
                long missing = Arrays.stream(line).filter(x -> x == 0).count();
                throw new DataException(file + ": no weight for " + missing + " of " + train.size()
                        + " training records (first: id '" + train.recordId(i) + "')");
            }
        }
        if (!(sum > 0)) {
            throw new DataException(file + ": all weights are zero");
        }
        return new SampleWeights(w, Checksums.sha256(bytes));
    }

    private static List<String> fields(Path file, int row, String line) {
        try {
            return CsvFields.split(line);
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ", line " + row + ": " + e.getMessage());
        }
    }
}
