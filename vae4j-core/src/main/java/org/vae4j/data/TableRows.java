package org.vae4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes single table rows with a trained model's stored {@link TableSchema}, exactly as {@link CsvTable#load} does
 * for a file read with that schema (same number syntax, same unseen-category slot, same standardisation): for callers
 * that get their rows one at a time from elsewhere (a Spark DataFrame, a service) and must see the values the CLI sees.
 */
public final class TableRows {
    private final TableSchema schema;
    private final int[][] slots;
    private final List<Map<String, Integer>> categories = new ArrayList<>();

    /** An encoder for rows of {@code schema}'s feature columns, in its column order. */
    public TableRows(TableSchema schema) {
        this.schema = schema;
        int c = schema.columns().size();
        this.slots = new int[c][];
        for (int j = 0; j < c; j++) {
            slots[j] = CsvTable.identitySlots(schema.columns().get(j));
            categories.add(CsvTable.indexOf(schema.columns().get(j).categories()));
        }
    }

    /** The schema's feature column names, in order. */
    public List<String> columnNames() {
        return schema.columns().stream().map(TableSchema.Column::name).toList();
    }

    /** Values per encoded row ({@link TableSchema#width()}). */
    public int width() {
        return schema.width();
    }

    /**
     * Encodes one row given as the cells' text (as a CSV file holds them).
     *
     * @param cells one cell per schema column, in schema order; null or a missing marker ({@link CsvTable#isMissing})
     *     makes the column's values NaN (a missing cell, as {@code missing=mask} reads it)
     * @param dst receives {@link #width()} values at {@code off}
     * @param where names the row in error messages (e.g. {@code "data.csv: row 17"})
     * @throws DataException naming the row and column when a cell does not fit the column's type
     */
    public void encode(String[] cells, float[] dst, int off, String where) {
        int c = schema.columns().size();
        if (cells.length != c) {
            throw new DataException(where + ": " + cells.length + " cells, the model's table schema has " + c + " columns");
        }
        float[] raw = new float[c];
        for (int j = 0; j < c; j++) {
            TableSchema.Column col = schema.columns().get(j);
            String v = cells[j];
            if (v == null || CsvTable.isMissing(v)) {
                raw[j] = Float.NaN;
            } else if (col.categorical()) {
                Integer k = categories.get(j).get(v);
                raw[j] = k != null ? k : categories.get(j).size();
            } else {
                double x = CsvTable.number(v.trim());
                if (Double.isNaN(x)) {
                    throw new DataException(where + ", column '" + CsvTable.abbreviate(col.name()) + "': '" + CsvTable.abbreviate(v)
                            + "' is not a number (the model has this column as " + col.type() + ")");
                }
                if (col.type().equals(TableSchema.BINARY) && x != 0 && x != 1) {
                    throw new DataException(where + ", column '" + CsvTable.abbreviate(col.name()) + "': " + CsvTable.abbreviate(v)
                            + " is not 0 or 1 (the model has this column as binary)");
                }
                raw[j] = (float) x;
            }
        }
        java.util.Arrays.fill(dst, off, off + schema.width(), 0f);
        CsvTable.encode(where, raw, 0, c, schema, slots, dst, off);
    }
}
