package org.vae4j.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the columns of a table become model values, and back: stored in the model's config (see
 * {@code DataTransform.table}) so that every later use of the model encodes a table exactly like its training data.
 *
 * <p>Each feature column occupies a run of values, in column order:
 *
 * <ul>
 *   <li>{@link #CONTINUOUS}: one value, {@code (x − mean) / std} with the training split's mean and (population)
 *       standard deviation; a constant column has {@code std = 1};
 *   <li>{@link #BINARY}: one value, 0 or 1 as written in the file ({@code mean} is the training split's share of ones,
 *       which the encoder sees in place of a missing cell);
 *   <li>{@link #CATEGORICAL}: a one-hot group of {@code categories.size() + 1} values: one per category of the
 *       training split (sorted) and a last slot, {@link #OTHER}, for any value not seen in training.
 * </ul>
 *
 * <p>A missing cell is NaN in every value of its column; the composite likelihood leaves it out.
 *
 * @param columns the feature columns, in the order of their values
 */
public record TableSchema(List<Column> columns) {

    /** Type of a numeric column with values other than 0 and 1. */
    public static final String CONTINUOUS = "continuous";
    /** Type of a numeric column whose values are all 0 or 1. */
    public static final String BINARY = "binary";
    /** Type of a column with non-numeric values. */
    public static final String CATEGORICAL = "categorical";
    /** Display name of the one-hot slot for categories not seen in training. */
    public static final String OTHER = "(other)";

    /** Upper bound on the values per record a schema may describe. */
    public static final int MAX_WIDTH = 1 << 20;

    /**
     * One feature column.
     *
     * @param name the header name
     * @param type {@link #CONTINUOUS}, {@link #BINARY} or {@link #CATEGORICAL}
     * @param mean training mean (continuous), share of ones (binary), 0 (categorical)
     * @param std training standard deviation, positive (continuous); 1 otherwise
     * @param categories the training split's categories, sorted, for categorical columns; empty otherwise
     */
    public record Column(String name, String type, double mean, double std, List<String> categories) {

        /** Validates. */
        public Column {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("table column name must not be blank");
            }
            type = type == null ? "" : type.toLowerCase(Locale.ROOT);
            if (!type.equals(CONTINUOUS) && !type.equals(BINARY) && !type.equals(CATEGORICAL)) {
                throw new IllegalArgumentException("table column '" + name + "': type must be continuous, binary or categorical, got '" + type + "'");
            }
            if (!Double.isFinite(mean)) {
                throw new IllegalArgumentException("table column '" + name + "': mean must be finite, got " + mean);
            }
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("table column '" + name + "': std must be positive and finite, got " + std);
            }
            categories = categories == null ? List.of() : List.copyOf(categories);
            if (type.equals(CATEGORICAL) == categories.isEmpty()) {
                throw new IllegalArgumentException("table column '" + name + "': "
                        + (categories.isEmpty() ? "a categorical column needs at least one category" : "only categorical columns have categories"));
            }
            if (new HashSet<>(categories).size() != categories.size()) {
                throw new IllegalArgumentException("table column '" + name + "': categories repeat");
            }
        }

        /** A continuous column. */
        public static Column continuous(String name, double mean, double std) {
            return new Column(name, CONTINUOUS, mean, std, List.of());
        }

        /** A binary column whose training share of ones is {@code p}. */
        public static Column binary(String name, double p) {
            return new Column(name, BINARY, p, 1, List.of());
        }

        /** A categorical column with the given (training) categories. */
        public static Column categorical(String name, List<String> categories) {
            return new Column(name, CATEGORICAL, 0, 1, categories);
        }

        /** Values this column occupies: 1, or the categories plus the {@link #OTHER} slot. */
        public int width() {
            return type.equals(CATEGORICAL) ? categories.size() + 1 : 1;
        }

        /** Whether this is a categorical column. */
        public boolean categorical() {
            return type.equals(CATEGORICAL);
        }
    }

    /** Validates. */
    public TableSchema {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("a table schema needs at least one column");
        }
        columns = List.copyOf(columns);
        Set<String> names = new HashSet<>();
        long width = 0;
        for (Column c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("table column '" + c.name() + "' appears twice");
            }
            width += c.width();
        }
        if (width > MAX_WIDTH) {
            throw new IllegalArgumentException("table schema describes " + width + " values per record (limit " + MAX_WIDTH + ")");
        }
    }

    /** Values per record. */
    public int width() {
        int w = 0;
        for (Column c : columns) {
            w += c.width();
        }
        return w;
    }

    /** Index of the first value of column {@code i}. */
    public int offset(int i) {
        int o = 0;
        for (int j = 0; j < i; j++) {
            o += columns.get(j).width();
        }
        return o;
    }

    /** Index of the column named {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What the encoder sees in place of a missing cell, per value: 0 for continuous values (the training mean after
     * standardisation), the share of ones for binary values, and 0 in every slot of a one-hot group.
     *
     * @return a new array of {@link #width()} values
     */
    public float[] missingFill() {
        float[] f = new float[width()];
        int o = 0;
        for (Column c : columns) {
            if (c.type().equals(BINARY)) {
                f[o] = (float) c.mean();
            }
            o += c.width();
        }
        return f;
    }

    /**
     * A name per value, for display: the column name, or {@code column=category} inside one-hot groups.
     *
     * @return {@link #width()} names
     */
    public List<String> valueNames() {
        List<String> out = new ArrayList<>(width());
        for (Column c : columns) {
            if (c.categorical()) {
                for (String cat : c.categories()) {
                    out.add(c.name() + "=" + cat);
                }
                out.add(c.name() + "=" + OTHER);
            } else {
                out.add(c.name());
            }
        }
        return out;
    }

    /**
     * One record in the file's terms, one text per column: continuous values in original units, binary values as
     * 0/1, categories by name, missing cells as {@code NA}. With {@code means}, the values are a decoder's expected
     * values ({@code Likelihood.mean}): binary columns show the probability of 1 and categorical columns the most
     * probable category with its probability.
     *
     * @param values at least {@code offset + width()} values
     * @param offset where the record starts
     * @param means whether the values are decoder means rather than encoded data
     * @return {@code columns().size()} texts
     */
    public List<String> describe(float[] values, int offset, boolean means) {
        List<String> out = new ArrayList<>(columns.size());
        int o = offset;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            float v = values[o];
            if (Float.isNaN(v)) {
                out.add("NA");
            } else if (c.type().equals(CONTINUOUS)) {
                out.add(String.format(Locale.ROOT, "%.4g", toOriginal(i, v)));
            } else if (c.type().equals(BINARY)) {
                out.add(means ? String.format(Locale.ROOT, "p(1)=%.2f", v) : Integer.toString(Math.round(v)));
            } else {
                int best = 0;
                for (int k = 1; k < c.width(); k++) {
                    if (values[o + k] > values[o + best]) {
                        best = k;
                    }
                }
                String name = best < c.categories().size() ? c.categories().get(best) : OTHER;
                out.add(means ? String.format(Locale.ROOT, "%s (%.2f)", name, values[o + best]) : name);
            }
            o += c.width();
        }
        return out;
    }

    /**
     * Undoes the standardisation of one continuous value.
     *
     * @param column column index
     * @param value standardised value
     * @return {@code value · std + mean} for continuous columns, {@code value} otherwise
     */
    public double toOriginal(int column, double value) {
        Column c = columns.get(column);
        return c.type().equals(CONTINUOUS) ? value * c.std() + c.mean() : value;
    }
}
