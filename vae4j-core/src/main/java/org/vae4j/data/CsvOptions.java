package org.vae4j.data;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of a {@code csv:} data spec:
 * {@code csv:FILE[,label=COL][,id=COL][,ignore=A;B;...][,missing=reject|mask][,val=F][,seed=N]}.
 *
 * <p>The file name is everything up to the first {@code ,KEY=} with a known key, so it may itself contain commas.
 * Column names given in a spec cannot contain {@code ,} or {@code ;}. {@link #toSpec()} writes the canonical form
 * (absolute file, every option spelled out) that a run records so that it can load the same data again.
 *
 * @param file the CSV file
 * @param label the label column, or {@code null}
 * @param id the id column, or {@code null}
 * @param ignore columns to leave out
 * @param maskMissing {@code missing=mask}: leave missing cells out of the likelihood; else they are an error
 * @param valFraction share of rows held out as the test split, in [0,1] (default {@value #DEFAULT_VAL})
 * @param seed seed of the held-out selection (default 1)
 */
public record CsvOptions(Path file, String label, String id, List<String> ignore, boolean maskMissing, double valFraction,
        long seed) {

    /** Default held-out fraction. */
    public static final double DEFAULT_VAL = 0.1;
    /** Default seed of the split. */
    public static final long DEFAULT_SEED = 1;

    private static final Pattern OPTION = Pattern.compile("\\s*(label|id|ignore|missing|val|seed)\\s*=.*", Pattern.DOTALL);
    private static final String SYNTAX = "csv:FILE[,label=COL][,id=COL][,ignore=A;B][,missing=reject|mask][,val=F][,seed=N]";

    /** Validates. */
    public CsvOptions {
        if (file == null) {
            throw new IllegalArgumentException("csv: missing file, use " + SYNTAX);
        }
        label = blankToNull(label, "label");
        id = blankToNull(id, "id");
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        for (String c : ignore) {
            checkName(c, "ignore");
        }
        if (!(valFraction >= 0 && valFraction <= 1)) {
            throw new IllegalArgumentException("csv: val must be in [0,1], got " + valFraction);
        }
        Set<String> roles = new HashSet<>();
        for (String c : concat(label, id, ignore)) {
            if (!roles.add(c)) {
                throw new IllegalArgumentException("csv: column '" + c + "' is given more than one role (label, id, ignore)");
            }
        }
    }

    private static List<String> concat(String label, String id, List<String> ignore) {
        List<String> all = new ArrayList<>();
        if (label != null) {
            all.add(label);
        }
        if (id != null) {
            all.add(id);
        }
        all.addAll(ignore);
        return all;
    }

    private static String blankToNull(String s, String what) {
        if (s == null || s.isBlank()) {
            return null;
        }
        checkName(s, what);
        return s.strip();
    }

    private static void checkName(String c, String what) {
        if (c == null || c.isBlank() || c.contains(",") || c.contains(";")) {
            throw new IllegalArgumentException("csv: " + what + " column name '" + c + "' must be non-blank without ',' or ';'");
        }
    }

    /** Defaults for a file. */
    public static CsvOptions of(Path file) {
        return new CsvOptions(file, null, null, List.of(), false, DEFAULT_VAL, DEFAULT_SEED);
    }

    /**
     * Parses the argument of a {@code csv:} spec.
     *
     * @throws DataException naming the spec if it is malformed
     */
    public static CsvOptions parse(DataSpec spec) {
        String arg = spec.argument();
        String[] parts = arg.split(",", -1);
        int first = parts.length;
        for (int i = 1; i < parts.length; i++) {
            if (OPTION.matcher(parts[i]).matches()) {
                first = i;
                break;
            }
        }
        String fileName = String.join(",", java.util.Arrays.copyOfRange(parts, 0, first)).strip();
        if (fileName.isEmpty()) {
            throw new DataException(spec + ": missing file, use " + SYNTAX);
        }
        Path file;
        try {
            file = Path.of(fileName);
        } catch (InvalidPathException e) {
            throw new DataException(spec + ": invalid file name: " + e.getMessage(), e);
        }
        String label = null;
        String id = null;
        List<String> ignore = List.of();
        boolean mask = false;
        double val = DEFAULT_VAL;
        long seed = DEFAULT_SEED;
        Set<String> seen = new HashSet<>();
        for (int i = first; i < parts.length; i++) {
            Matcher m = OPTION.matcher(parts[i]);
            if (!m.matches()) {
                throw new DataException(spec + ": unknown option '" + parts[i].strip() + "'; use " + SYNTAX);
            }
            String key = m.group(1);
            String value = parts[i].substring(parts[i].indexOf('=') + 1).strip();
            if (!seen.add(key)) {
                throw new DataException(spec + ": option '" + key + "' given twice");
            }
            switch (key) {
                case "label" -> label = value;
                case "id" -> id = value;
                case "ignore" -> {
                    List<String> cols = new ArrayList<>();
                    for (String c : value.split(";", -1)) {
                        cols.add(c.strip());
                    }
                    ignore = cols;
                }
                case "missing" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!v.equals("reject") && !v.equals("mask")) {
                        throw new DataException(spec + ": missing must be reject or mask, got '" + value + "'");
                    }
                    mask = v.equals("mask");
                }
                case "val" -> val = spec.doubleOption(key, value);
                case "seed" -> seed = spec.longOption(key, value);
                default -> throw new IllegalStateException(key);
            }
        }
        try {
            return new CsvOptions(file, label, id, ignore, mask, val, seed);
        } catch (IllegalArgumentException e) {
            throw new DataException(spec + ": " + e.getMessage().replaceFirst("^csv: ", ""), e);
        }
    }

    /** The canonical spec: {@code csv:} + absolute file + every option. */
    public String toSpec() {
        StringBuilder sb = new StringBuilder("csv:").append(file.toAbsolutePath().normalize());
        if (label != null) {
            sb.append(",label=").append(label);
        }
        if (id != null) {
            sb.append(",id=").append(id);
        }
        if (!ignore.isEmpty()) {
            sb.append(",ignore=").append(String.join(";", ignore));
        }
        sb.append(",missing=").append(maskMissing ? "mask" : "reject");
        sb.append(",val=").append(valFraction);
        sb.append(",seed=").append(seed);
        return sb.toString();
    }

    /** Copy with another label column. */
    public CsvOptions withLabel(String c) {
        return new CsvOptions(file, c, id, ignore, maskMissing, valFraction, seed);
    }

    /** Copy with another id column. */
    public CsvOptions withId(String c) {
        return new CsvOptions(file, label, c, ignore, maskMissing, valFraction, seed);
    }

    /** Copy with other ignored columns. */
    public CsvOptions withIgnore(List<String> cols) {
        return new CsvOptions(file, label, id, cols, maskMissing, valFraction, seed);
    }

    /** Copy with another missing-value policy. */
    public CsvOptions withMaskMissing(boolean mask) {
        return new CsvOptions(file, label, id, ignore, mask, valFraction, seed);
    }

    /** Copy with another held-out fraction. */
    public CsvOptions withValFraction(double v) {
        return new CsvOptions(file, label, id, ignore, maskMissing, v, seed);
    }
}
