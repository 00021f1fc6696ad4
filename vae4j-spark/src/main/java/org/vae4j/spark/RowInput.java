package org.vae4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.vae4j.data.DataException;
import org.vae4j.data.ImagePixels;
import org.vae4j.data.TableRows;
import org.vae4j.data.TableSchema;
import org.vae4j.model.ModelConfig;

/**
 * Where a record's values are in a row, checked against the model on the driver before any task runs: one array column
 * ({@code array<float|double>} or an ML {@code vector}) of the model's feature size, one image column (the struct of
 * Spark's image data source, converted as the {@code images:} data source converts a file: {@link ImagePixels}), one
 * binary column of image files' bytes (Spark's {@code binaryFile} source: decoded by the {@code images:} reader's own
 * decoder, {@link ImagePixels#fromFile}), or,
 * for a table model, the columns
 * its stored schema names (each a string or a number), encoded with that schema exactly as the CLI encodes a CSV file
 * ({@link TableRows}). A conditional model also needs an integer label column (the class index).
 */
final class RowInput implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind { ARRAY, VECTOR, TABLE, IMAGE, FILE }

    /** The fields of Spark's image data source struct that a record is made from. */
    static final List<String> IMAGE_FIELDS = List.of("height", "width", "nChannels", "mode", "data");

    private final Kind kind;
    private final int column;
    private final String columnName;
    private final int[] tableColumns;
    private final int labelColumn;
    private final String labelName;
    private final int featureSize;
    // IMAGE: height, width, nChannels, mode, data, origin (-1: none) in the image struct; FILE: the path column (or -1)
    private final int[] imageFields;
    private final int[] imageShape; // the model's C, H, W
    private final boolean imageCrop;
    private transient TableRows rows;

    private RowInput(Kind kind, int column, String columnName, int[] tableColumns, int labelColumn, String labelName,
            int featureSize) {
        this(kind, column, columnName, tableColumns, labelColumn, labelName, featureSize, null, null, false);
    }

    private RowInput(Kind kind, int column, String columnName, int[] tableColumns, int labelColumn, String labelName,
            int featureSize, int[] imageFields, int[] imageShape, boolean imageCrop) {
        this.imageFields = imageFields;
        this.imageShape = imageShape;
        this.imageCrop = imageCrop;
        this.kind = kind;
        this.column = column;
        this.columnName = columnName;
        this.tableColumns = tableColumns;
        this.labelColumn = labelColumn;
        this.labelName = labelName;
        this.featureSize = featureSize;
    }

    /**
     * Plans how to read records for {@code config} from rows of {@code schema}.
     *
     * @param inputCol the array/vector column, or null for a table model's schema columns
     * @param labelCol the class-index column of a conditional model (null otherwise)
     * @param imageCrop for an image column: centre-crop each image to a square before resizing it to the model's size
     * @throws IllegalArgumentException in one line naming the column and the mismatch
     */
    static RowInput plan(StructType schema, ModelConfig config, String model, String inputCol, String labelCol, boolean imageCrop) {
        TableSchema table = config.transform().table();
        if (config.transform().binarized()) {
            throw new IllegalArgumentException("model " + model + " was trained on binarised data (binarize="
                    + config.transform().binarize() + "): its evaluation inputs are one Bernoulli draw over the whole data set, "
                    + "not per record, so they cannot be reproduced partition by partition");
        }
        int d = config.featureSize();
        int label = -1;
        if (config.conditionWidth() > 0) {
            if (labelCol == null) {
                throw new IllegalArgumentException("model " + model + " is conditional: set labelCol to an integer column of class indices");
            }
            label = index(schema, labelCol, "label");
            DataType lt = schema.fields()[label].dataType();
            if (!(lt.equals(DataTypes.IntegerType) || lt.equals(DataTypes.LongType) || lt.equals(DataTypes.ShortType)
                    || lt.equals(DataTypes.ByteType))) {
                throw new IllegalArgumentException("label column '" + labelCol + "' is " + lt.simpleString() + "; expected an integer class index");
            }
        }
        if (inputCol != null) {
            int i = index(schema, inputCol, "input");
            DataType t = schema.fields()[i].dataType();
            if (t instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType))) {
                return new RowInput(Kind.ARRAY, i, inputCol, null, label, labelCol, d);
            }
            if (t.equals(SQLDataTypes.VectorType())) {
                return new RowInput(Kind.VECTOR, i, inputCol, null, label, labelCol, d);
            }
            if (t instanceof StructType st && List.of(st.fieldNames()).containsAll(IMAGE_FIELDS)) {
                int[] shape = imageShape(config, model, inputCol, "images");
                int[] f = new int[IMAGE_FIELDS.size() + 1];
                for (int j = 0; j < IMAGE_FIELDS.size(); j++) {
                    f[j] = st.fieldIndex(IMAGE_FIELDS.get(j));
                }
                f[IMAGE_FIELDS.size()] = List.of(st.fieldNames()).contains("origin") ? st.fieldIndex("origin") : -1;
                return new RowInput(Kind.IMAGE, i, inputCol, null, label, labelCol, d, f, shape, imageCrop);
            }
            if (t.equals(DataTypes.BinaryType)) {
                int[] shape = imageShape(config, model, inputCol, "image files");
                // binaryFile's path column names the file in errors
                int path = List.of(schema.fieldNames()).contains("path")
                        && schema.fields()[schema.fieldIndex("path")].dataType().equals(DataTypes.StringType)
                        ? schema.fieldIndex("path") : -1;
                return new RowInput(Kind.FILE, i, inputCol, null, label, labelCol, d, new int[] {path}, shape, imageCrop);
            }
            throw new IllegalArgumentException("input column '" + inputCol + "' is " + t.simpleString()
                    + "; expected array<float>, array<double>, vector (of " + d + " values), an image struct"
                    + " (Spark's image data source) or binary image files (Spark's binaryFile source)");
        }
        if (table == null) {
            throw new IllegalArgumentException("model " + model + " is not a table model: set inputCol to an array or vector column of "
                    + d + " values");
        }
        List<String> missing = new ArrayList<>();
        int[] cols = new int[table.columns().size()];
        for (int j = 0; j < cols.length; j++) {
            String name = table.columns().get(j).name();
            if (!List.of(schema.fieldNames()).contains(name)) {
                missing.add(name);
                continue;
            }
            cols[j] = schema.fieldIndex(name);
            DataType t = schema.fields()[cols[j]].dataType();
            if (!(t.equals(DataTypes.StringType) || t instanceof NumericType || t.equals(DataTypes.BooleanType))) {
                throw new IllegalArgumentException("column '" + name + "' is " + t.simpleString() + "; the model's table schema needs a string or number");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the DataFrame lacks column" + (missing.size() == 1 ? " '" : "s '") + String.join("', '", missing)
                    + "' of model " + model + "'s table schema (it has: " + String.join(", ", schema.fieldNames()) + ")");
        }
        return new RowInput(Kind.TABLE, -1, null, cols, label, labelCol, d);
    }

    /** The model's C, H, W for an image input column; a model that does not take grey or colour images is an error. */
    private static int[] imageShape(ModelConfig config, String model, String inputCol, String what) {
        List<Integer> shape = config.inputShape();
        if (shape.size() != 3 || (shape.get(0) != 1 && shape.get(0) != 3)) {
            throw new IllegalArgumentException("input column '" + inputCol + "' holds " + what + ", but model " + model
                    + " takes records of shape " + shape + ", not grey or colour images (1 or 3 x H x W)");
        }
        return new int[] {shape.get(0), shape.get(1), shape.get(2)};
    }

    private static int index(StructType schema, String name, String role) {
        if (!List.of(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException(role + " column '" + name + "' is not in the DataFrame (it has: "
                    + String.join(", ", schema.fieldNames()) + ")");
        }
        return schema.fieldIndex(name);
    }

    /** Values per record. */
    int featureSize() {
        return featureSize;
    }

    /** Whether records carry a label. */
    boolean labelled() {
        return labelColumn >= 0;
    }

    /**
     * Reads a row's record into {@code dst[off..off+featureSize)}; a table row is encoded with {@code table}, the schema
     * of the executor's copy of the model (the one the driver checked the columns against).
     */
    void read(Row row, float[] dst, int off, TableSchema table) {
        switch (kind) {
            case ARRAY -> {
                if (row.isNullAt(column)) {
                    throw new DataException("column '" + columnName + "': null record");
                }
                List<Object> v = row.getList(column);
                checkSize(v.size());
                for (int j = 0; j < featureSize; j++) {
                    Object o = v.get(j);
                    if (o == null) {
                        throw new DataException("column '" + columnName + "': null value at position " + j);
                    }
                    dst[off + j] = ((Number) o).floatValue();
                }
            }
            case VECTOR -> {
                if (row.isNullAt(column)) {
                    throw new DataException("column '" + columnName + "': null record");
                }
                Vector v = (Vector) row.get(column);
                checkSize(v.size());
                for (int j = 0; j < featureSize; j++) {
                    dst[off + j] = (float) v.apply(j);
                }
            }
            case IMAGE -> readImage(row, dst, off);
            case FILE -> readFile(row, dst, off);
            case TABLE -> {
                if (rows == null) {
                    rows = new TableRows(table);
                    if (rows.width() != featureSize) {
                        throw new DataException("the model's table schema changed after the job was planned");
                    }
                }
                String[] cells = new String[tableColumns.length];
                for (int j = 0; j < cells.length; j++) {
                    cells[j] = cell(row.get(tableColumns[j]), table.columns().get(j));
                }
                rows.encode(cells, dst, off, "row " + abbreviate(row));
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    // Spark's image data source: rows top to bottom, channels interleaved, BGR(A) for colour; OpenCV type CV_8UC(n)
    private void readImage(Row row, float[] dst, int off) {
        if (row.isNullAt(column)) {
            throw new DataException("column '" + columnName + "': null image");
        }
        Row img = row.getStruct(column);
        int o = imageFields[5];
        String origin = o >= 0 && !img.isNullAt(o) ? img.getString(o) : "(no origin)";
        for (int j = 0; j < 5; j++) {
            if (img.isNullAt(imageFields[j])) {
                throw new DataException("column '" + columnName + "': image " + origin + " has no " + IMAGE_FIELDS.get(j));
            }
        }
        int h = img.getInt(imageFields[0]);
        int w = img.getInt(imageFields[1]);
        int n = img.getInt(imageFields[2]);
        int mode = img.getInt(imageFields[3]);
        if (h < 1 || w < 1) { // how the data source marks a file it could not decode (dropInvalid = false)
            throw new DataException("column '" + columnName + "': image " + origin + " could not be decoded by Spark");
        }
        if (mode != (n - 1) << 3) {
            throw new DataException("column '" + columnName + "': image " + origin + " has OpenCV mode " + mode + " with "
                    + n + " channels; expected 8-bit samples (mode " + ((n - 1) << 3) + ")");
        }
        try {
            ImagePixels.toRecord((byte[]) img.get(imageFields[4]), h, w, n, true, imageCrop, imageShape[0], imageShape[1],
                    imageShape[2], dst, off);
        } catch (IllegalArgumentException e) {
            throw new DataException("column '" + columnName + "': image " + origin + ": " + e.getMessage());
        }
    }

    // Spark's binaryFile source (or any binary column): a whole image file, decoded as the images: reader decodes it
    private void readFile(Row row, float[] dst, int off) {
        int p = imageFields[0];
        String file = p >= 0 && !row.isNullAt(p) ? row.getString(p) : "(no path)";
        if (row.isNullAt(column)) {
            throw new DataException("column '" + columnName + "': file " + file + " has no content");
        }
        try {
            ImagePixels.fromFile((byte[]) row.get(column), imageCrop, imageShape[0], imageShape[1], imageShape[2], dst, off);
        } catch (IllegalArgumentException e) {
            throw new DataException("column '" + columnName + "': file " + file + ": " + e.getMessage());
        }
    }

    /** A row's class index. */
    int label(Row row) {
        if (row.isNullAt(labelColumn)) {
            throw new DataException("label column '" + labelName + "': null label");
        }
        return ((Number) row.get(labelColumn)).intValue();
    }

    private void checkSize(int n) {
        if (n != featureSize) {
            throw new DataException("column '" + columnName + "': a record of " + n + " values; the model takes " + featureSize);
        }
    }

    // a typed cell as the text a CSV file would hold: numbers so that parsing them gives the same float; an integral
    // number in a categorical column as the integer (category "3", not "3.0")
    private static String cell(Object o, TableSchema.Column col) {
        if (o == null) {
            return null;
        }
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (o instanceof Double || o instanceof Float || o instanceof java.math.BigDecimal) {
            double v = ((Number) o).doubleValue();
            if (col.categorical() && v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return o instanceof Float f ? Float.toString(f) : Double.toString(v);
        }
        return o.toString();
    }

    private static String abbreviate(Row row) {
        String s = row.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public String toString() {
        return kind.toString().toLowerCase(Locale.ROOT) + (columnName != null ? " column " + columnName : "");
    }
}
