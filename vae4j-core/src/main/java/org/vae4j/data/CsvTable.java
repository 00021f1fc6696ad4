package org.vae4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vae4j.util.Permutations;

/**
 * Loads a CSV table into training and test splits in two streaming passes over the file (the text is never held in
 * memory): the first checks the structure, counts rows and types the columns; the second parses the values into one
 * float array of raw values per row; the splits are then encoded with the training split's statistics (see
 * {@link TableSchema}).
 *
 * <p>Column typing (over the whole file, missing cells aside), unless a model's schema is given:
 *
 * <ul>
 *   <li>every cell a number (decimal, optional sign and exponent, finite as a 32-bit float): {@code binary} if all are
 *       0 or 1, else {@code continuous};
 *   <li>otherwise {@code categorical}: every distinct text is a category, at most {@value #MAX_CATEGORIES} per column;
 *   <li>except that a column in which at least 99% of the cells are numbers and a few are not is reported as an
 *       error naming the first non-number (most likely a typo in a numeric column).
 * </ul>
 *
 * <p>Missing cells are empty fields and {@code NA}, {@code N/A}, {@code NaN}, {@code null} (any case). With a model's
 * schema, a table is encoded with the model's types and statistics; a category that the model's training split did
 * not have goes to the {@link TableSchema#OTHER} slot. Labels are the label column's texts, named in sorted order.
 */
public final class CsvTable {
    /** Most distinct values of a categorical column. */
    public static final int MAX_CATEGORIES = 1000;
    /** Share of number cells above which a few text cells are reported as errors rather than making the column categorical. */
    static final double MOSTLY_NUMERIC = 0.99;

    private CsvTable() {}

    /**
     * Loads a table.
     *
     * @param o the file and options
     * @param stored a trained model's schema to encode with, or {@code null} to derive one from the training split
     * @return the splits: rows chosen at random (seeded) for the test split, both in file order
     * @throws DataException with a one-line message {@code FILE: line N, column 'C': problem}
     */
    public static DataSplits load(CsvOptions o, TableSchema stored) {
        Path path = o.file();
        String file = path.toString();
        Layout layout;
        long rows;
        ColumnStats[] stats;
        try (CsvReader r = new CsvReader(path, file)) {
            String[] header = r.next();
            if (header == null) {
                throw new DataException(file + ": line 1: empty file, expected a header row");
            }
            layout = Layout.of(r, header, o, stored);
            stats = new ColumnStats[layout.features.length];
            for (int j = 0; j < stats.length; j++) {
                stats[j] = new ColumnStats();
            }
            rows = 0;
            String[] rec;
            while ((rec = r.next()) != null) {
                checkWidth(r, rec, header.length);
                for (int j = 0; j < layout.features.length; j++) {
                    String v = rec[layout.features[j]];
                    if (isMissing(v)) {
                        if (!o.maskMissing()) {
                            throw cellError(r, layout.names[j], "missing value (use missing=mask, or --missing mask, to leave missing cells out)");
                        }
                    } else if (stored == null) {
                        stats[j].add(v, r.recordLine());
                    }
                }
                if (layout.label >= 0 && isMissing(rec[layout.label])) {
                    throw cellError(r, header[layout.label], "missing label");
                }
                rows++;
            }
            if (rows == 0) {
                throw new DataException(file + ": line 2: no data rows after the header");
            }
        }
        String[] types = new String[layout.features.length];
        for (int j = 0; j < types.length; j++) {
            types[j] = stored != null ? stored.columns().get(j).type() : stats[j].type(file, layout.names[j]);
        }
        int c = layout.features.length;
        if (rows * c > Integer.MAX_VALUE - 8) {
            throw new DataException(file + ": " + rows + " rows of " + c + " columns are more than one array can hold");
        }
        int n = (int) rows;
        float[] raw = new float[n * c];
        int[] labelIds = layout.label >= 0 ? new int[n] : null;
        Map<String, Integer> labelIndex = new LinkedHashMap<>();
        List<String> ids = layout.id >= 0 ? new ArrayList<>(n) : null;
        List<Map<String, Integer>> categoryIndex = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            categoryIndex.add(stored != null ? indexOf(stored.columns().get(j).categories()) : stats[j].distinct);
        }
        try (CsvReader r = new CsvReader(path, file)) {
            r.next();
            for (int i = 0; i < n; i++) {
                String[] rec = r.next();
                if (rec == null) {
                    throw new DataException(file + ": the file changed while it was read (fewer rows in the second pass)");
                }
                checkWidth(r, rec, layout.width);
                for (int j = 0; j < c; j++) {
                    raw[i * c + j] = parse(r, rec[layout.features[j]], types[j], categoryIndex.get(j), layout.names[j], stored != null);
                }
                if (labelIds != null) {
                    labelIds[i] = labelIndex.computeIfAbsent(rec[layout.label], k -> labelIndex.size());
                }
                if (ids != null) {
                    ids.add(rec[layout.id]);
                }
            }
            if (r.next() != null) {
                throw new DataException(file + ": the file changed while it was read (more rows in the second pass)");
            }
        }
        boolean[] isTest = split(n, o.valFraction(), o.seed());
        int testCount = 0;
        for (boolean t : isTest) {
            testCount += t ? 1 : 0;
        }
        if (stored == null && testCount == n) {
            throw new DataException(file + ": val=" + o.valFraction() + " leaves no training rows to compute column statistics from");
        }
        int[] slotOf = null;
        TableSchema schema;
        int[][] slots = new int[c][];
        if (stored != null) {
            schema = stored;
            for (int j = 0; j < c; j++) {
                slots[j] = identitySlots(stored.columns().get(j));
            }
        } else {
            List<TableSchema.Column> cols = new ArrayList<>(c);
            for (int j = 0; j < c; j++) {
                cols.add(statistics(raw, n, c, j, isTest, types[j], layout.names[j], stats[j], slots));
            }
            try {
                schema = new TableSchema(cols);
            } catch (IllegalArgumentException e) {
                throw new DataException(file + ": " + e.getMessage(), e);
            }
        }
        int d = schema.width();
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new DataException(file + ": " + n + " rows of " + d + " values are more than one array can hold");
        }
        float[] train = new float[(n - testCount) * d];
        float[] test = new float[testCount * d];
        int[] trainRows = new int[n - testCount];
        int[] testRows = new int[testCount];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (isTest[i]) {
                encode(file, raw, i, c, schema, slots, test, b * d);
                testRows[b++] = i;
            } else {
                encode(file, raw, i, c, schema, slots, train, a * d);
                trainRows[a++] = i;
            }
        }
        List<String> labelNames = null;
        int[] labels = null;
        if (labelIds != null) {
            labelNames = new ArrayList<>(labelIndex.keySet());
            labelNames.sort(null);
            int[] remap = new int[labelNames.size()];
            for (Map.Entry<String, Integer> e : labelIndex.entrySet()) {
                remap[e.getValue()] = java.util.Collections.binarySearch(labelNames, e.getKey());
            }
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = remap[labelIds[i]];
            }
        }
        Path fn = path.getFileName();
        String name = "csv:" + (fn == null ? file : fn.toString());
        return new DataSplits(part(name, train, schema, labels, labelNames, ids, trainRows),
                part(name, test, schema, labels, labelNames, ids, testRows));
    }

    private static ArrayDataset part(String name, float[] values, TableSchema schema, int[] labels, List<String> labelNames,
            List<String> ids, int[] rows) {
        int[] l = null;
        if (labels != null) {
            l = new int[rows.length];
            for (int k = 0; k < rows.length; k++) {
                l[k] = labels[rows[k]];
            }
        }
        List<String> id = null;
        if (ids != null) {
            id = new ArrayList<>(rows.length);
            for (int row : rows) {
                id.add(ids.get(row));
            }
        }
        return ArrayDataset.ofTable(name, values, schema, l, labelNames, id);
    }

    /** Which rows are held out: exactly round(val·n) of them, chosen by a seeded shuffle. */
    static boolean[] split(int n, double val, long seed) {
        int k = (int) Math.round(val * n);
        int[] p = Permutations.shuffled(n, seed);
        boolean[] test = new boolean[n];
        for (int i = 0; i < k; i++) {
            test[p[i]] = true;
        }
        return test;
    }

    /** The training statistics of column {@code j}; fills {@code slots[j]} (raw category index → one-hot slot). */
    private static TableSchema.Column statistics(float[] raw, int n, int c, int j, boolean[] isTest, String type, String name,
            ColumnStats st, int[][] slots) {
        if (type.equals(TableSchema.CATEGORICAL)) {
            List<String> all = new ArrayList<>(st.distinct.keySet());
            boolean[] inTrain = new boolean[all.size()];
            for (int i = 0; i < n; i++) {
                float v = raw[i * c + j];
                if (!isTest[i] && !Float.isNaN(v)) {
                    inTrain[(int) v] = true;
                }
            }
            List<String> cats = new ArrayList<>();
            for (int k = 0; k < all.size(); k++) {
                if (inTrain[k]) {
                    cats.add(all.get(k));
                }
            }
            if (cats.isEmpty()) {
                // every value of the column is missing in the training rows: one placeholder category keeps the layout valid
                cats.add(TableSchema.OTHER + "?");
            }
            cats.sort(null);
            int[] slot = new int[all.size()];
            for (int k = 0; k < all.size(); k++) {
                int s = java.util.Collections.binarySearch(cats, all.get(k));
                slot[k] = s >= 0 ? s : cats.size();
            }
            slots[j] = slot;
            return TableSchema.Column.categorical(name, cats);
        }
        double sum = 0;
        long count = 0;
        for (int i = 0; i < n; i++) {
            float v = raw[i * c + j];
            if (!isTest[i] && !Float.isNaN(v)) {
                sum += v;
                count++;
            }
        }
        double mean = count == 0 ? 0 : sum / count;
        if (type.equals(TableSchema.BINARY)) {
            return TableSchema.Column.binary(name, mean);
        }
        double sq = 0;
        for (int i = 0; i < n; i++) {
            float v = raw[i * c + j];
            if (!isTest[i] && !Float.isNaN(v)) {
                sq += (v - mean) * (v - mean);
            }
        }
        double std = count == 0 ? 0 : Math.sqrt(sq / count);
        // a constant column keeps std 1: its values standardise to 0 instead of dividing by zero
        return TableSchema.Column.continuous(name, mean, std > 0 && Double.isFinite(std) ? std : 1);
    }

    static int[] identitySlots(TableSchema.Column col) {
        if (!col.categorical()) {
            return null;
        }
        int[] s = new int[col.categories().size() + 1];
        for (int k = 0; k < s.length; k++) {
            s[k] = k;
        }
        return s;
    }

    /** Writes row {@code i} of the raw values, encoded, at {@code dst[off..off+width)}. */
    static void encode(String file, float[] raw, int i, int c, TableSchema schema, int[][] slots, float[] dst, int off) {
        int o = off;
        for (int j = 0; j < c; j++) {
            TableSchema.Column col = schema.columns().get(j);
            float v = raw[i * c + j];
            int w = col.width();
            if (Float.isNaN(v)) {
                Arrays.fill(dst, o, o + w, Float.NaN);
            } else if (col.categorical()) {
                dst[o + slots[j][(int) v]] = 1f;
            } else if (col.type().equals(TableSchema.CONTINUOUS)) {
                double z = (v - col.mean()) / col.std();
                if (!(Math.abs(z) <= Float.MAX_VALUE)) {
                    throw new DataException(file + ": data row " + (i + 1) + ", column '" + abbreviate(col.name()) + "': " + v
                            + " is too far from the training values (" + z + " standard deviations)");
                }
                dst[o] = (float) z;
            } else {
                dst[o] = v;
            }
            o += w;
        }
    }

    /** A cell as a raw value: the number, or the category's index; NaN when missing. */
    private static float parse(CsvReader r, String v, String type, Map<String, Integer> categories, String column,
            boolean storedSchema) {
        if (isMissing(v)) {
            return Float.NaN;
        }
        if (type.equals(TableSchema.CATEGORICAL)) {
            Integer k = categories.get(v);
            // with a model's schema, an unseen category takes the "other" slot (index = number of categories)
            return k != null ? k : categories.size();
        }
        double x = number(v);
        if (Double.isNaN(x)) {
            throw cellError(r, column, "'" + abbreviate(v) + "' is not a number"
                    + (storedSchema ? " (the model has this column as " + type + ")" : ""));
        }
        if (type.equals(TableSchema.BINARY) && x != 0 && x != 1) {
            throw cellError(r, column, abbreviate(v) + " is not 0 or 1 (the model has this column as binary)");
        }
        return (float) x;
    }

    static Map<String, Integer> indexOf(List<String> categories) {
        Map<String, Integer> m = new HashMap<>();
        for (int k = 0; k < categories.size(); k++) {
            m.put(categories.get(k), k);
        }
        return m;
    }

    private static void checkWidth(CsvReader r, String[] rec, int width) {
        if (rec.length != width) {
            throw r.error(rec.length + " field" + (rec.length == 1 ? "" : "s") + " but the header has " + width + " columns");
        }
    }

    private static DataException cellError(CsvReader r, String column, String problem) {
        return new DataException(r.file() + ": line " + r.recordLine() + ", column '" + abbreviate(column) + "': " + problem);
    }

    /** Whether a cell counts as missing: empty, NA, N/A, NaN or null (any case). */
    public static boolean isMissing(String v) {
        return v.isEmpty() || v.equalsIgnoreCase("NA") || v.equalsIgnoreCase("N/A") || v.equalsIgnoreCase("NaN")
                || v.equalsIgnoreCase("null");
    }

    /**
     * Parses a decimal number: optional sign, digits with an optional point, optional exponent; nothing else (no
     * hexadecimal, no {@code Infinity}, no type suffix).
     *
     * @return the value, or NaN if {@code s} is not such a number or is not finite as a 32-bit float
     */
    static double number(String s) {
        int n = s.length();
        int i = 0;
        if (n == 0 || n > 400) {
            return Double.NaN;
        }
        char ch = s.charAt(0);
        if (ch == '+' || ch == '-') {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return Double.NaN;
            }
        }
        if (i != n) {
            return Double.NaN;
        }
        double v = Double.parseDouble(s);
        return Math.abs(v) <= Float.MAX_VALUE ? v : Double.NaN;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("[\\r\\n\\t]", " ");
        return one.length() <= 40 ? one : one.substring(0, 37) + "...";
    }

    /** The header: where the label, id and feature columns are. */
    private static final class Layout {
        int width;
        int label = -1;
        int id = -1;
        int[] features;
        String[] names;

        static Layout of(CsvReader r, String[] header, CsvOptions o, TableSchema stored) {
            Layout l = new Layout();
            l.width = header.length;
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < header.length; k++) {
                if (header[k].isEmpty()) {
                    throw r.error("column " + (k + 1) + " of the header has no name");
                }
                if (index.put(header[k], k) != null) {
                    throw r.error("column name '" + abbreviate(header[k]) + "' appears twice in the header");
                }
            }
            Set<Integer> taken = new HashSet<>();
            if (o.label() != null) {
                l.label = find(r, index, o.label(), "label", header);
                taken.add(l.label);
            }
            if (o.id() != null) {
                l.id = find(r, index, o.id(), "id", header);
                taken.add(l.id);
            }
            for (String ig : o.ignore()) {
                taken.add(find(r, index, ig, "ignored", header));
            }
            List<Integer> feats = new ArrayList<>();
            if (stored != null) {
                for (TableSchema.Column col : stored.columns()) {
                    Integer k = index.get(col.name());
                    if (k == null || taken.contains(k)) {
                        throw r.error("column '" + abbreviate(col.name()) + "' of the model's table schema is "
                                + (k == null ? "not in the header" : "given another role (label, id or ignore)"));
                    }
                    feats.add(k);
                }
                Set<Integer> used = new HashSet<>(feats);
                for (int k = 0; k < header.length; k++) {
                    if (!taken.contains(k) && !used.contains(k)) {
                        throw r.error("column '" + abbreviate(header[k]) + "' is not in the model's table schema; leave it out with ignore="
                                + abbreviate(header[k]));
                    }
                }
            } else {
                for (int k = 0; k < header.length; k++) {
                    if (!taken.contains(k)) {
                        feats.add(k);
                    }
                }
            }
            if (feats.isEmpty()) {
                throw r.error("no feature columns left after the label, id and ignored columns");
            }
            l.features = feats.stream().mapToInt(Integer::intValue).toArray();
            l.names = new String[l.features.length];
            for (int j = 0; j < l.features.length; j++) {
                l.names[j] = header[l.features[j]];
            }
            return l;
        }

        private static int find(CsvReader r, Map<String, Integer> index, String name, String role, String[] header) {
            Integer k = index.get(name);
            if (k == null) {
                String cols = String.join(", ", Arrays.copyOf(header, Math.min(header.length, 12)))
                        + (header.length > 12 ? ", ..." : "");
                throw r.error(role + " column '" + abbreviate(name) + "' is not in the header (columns: " + abbreviate(cols) + ")");
            }
            return k;
        }
    }

    /** What the first pass learns about one feature column. */
    private static final class ColumnStats {
        long nonMissing;
        long numbers;
        boolean allBinary = true;
        long firstTextLine = -1;
        String firstText;
        long overflowLine;
        /** Distinct cell texts in order of appearance, until there are more than {@link #MAX_CATEGORIES}; then null. */
        LinkedHashMap<String, Integer> distinct = new LinkedHashMap<>();

        void add(String v, long line) {
            nonMissing++;
            double x = number(v);
            if (!Double.isNaN(x)) {
                numbers++;
                if (x != 0 && x != 1) {
                    allBinary = false;
                }
            } else if (firstTextLine < 0) {
                firstTextLine = line;
                firstText = v;
            }
            if (distinct != null && !distinct.containsKey(v)) {
                if (distinct.size() >= MAX_CATEGORIES) {
                    distinct = null;
                    overflowLine = line;
                } else {
                    distinct.put(v, distinct.size());
                }
            }
        }

        String type(String file, String name) {
            if (nonMissing == 0) {
                throw new DataException(file + ": line 1, column '" + abbreviate(name) + "' has no values (every cell is missing); leave it out with ignore=" + abbreviate(name));
            }
            if (numbers == nonMissing) {
                return allBinary ? TableSchema.BINARY : TableSchema.CONTINUOUS;
            }
            if (numbers >= MOSTLY_NUMERIC * nonMissing) {
                throw new DataException(String.format(Locale.ROOT,
                        "%s: line %d, column '%s': '%s' is not a number, but %.1f%% of the column's %d values are "
                                + "(fix the cell, mark it missing with NA, or leave the column out with ignore=%s)",
                        file, firstTextLine, abbreviate(name), abbreviate(firstText), 100.0 * numbers / nonMissing, nonMissing,
                        abbreviate(name)));
            }
            if (distinct == null) {
                throw new DataException(file + ": line " + overflowLine + ", column '" + abbreviate(name) + "': more than " + MAX_CATEGORIES
                        + " distinct texts: an id or free-text column? name it with id= or leave it out with ignore=");
            }
            return TableSchema.CATEGORICAL;
        }
    }
}
