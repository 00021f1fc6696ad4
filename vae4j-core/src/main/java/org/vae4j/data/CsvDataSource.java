package org.vae4j.data;

import java.util.List;
import java.util.Map;
import org.vae4j.data.DataSourceOption.Type;

/**
 * Data source {@code csv:FILE[,OPTIONS]}: a table with a header row (see {@link CsvOptions} for the options,
 * {@link CsvTable} for the parsing and typing rules and {@link TableSchema} for the encoding). With
 * {@link LoadContext#table()} set (a trained model's schema), the file is encoded with that schema.
 */
public final class CsvDataSource implements DataSourceProvider {

    private static final DataSourceOption LABEL = DataSourceOption.of("label-column", "label", Type.TEXT, "COL",
            "the column holding class labels (label=COL).");
    private static final DataSourceOption ID = DataSourceOption.of("id-column", "id", Type.TEXT, "COL",
            "the column holding record ids (id=COL).");
    private static final DataSourceOption IGNORE = DataSourceOption.of("ignore-columns", "ignore", Type.LIST, "A,B",
            "columns to leave out (ignore=A;B).");
    private static final DataSourceOption MISSING = DataSourceOption.of("missing", "missing", Type.TEXT, "reject|mask",
            "missing cells (empty, NA, N/A, NaN, null) are an error (reject, the default) or left out of the likelihood (mask).")
            .withChoices("reject", "mask").withDefault("reject");
    private static final DataSourceOption VAL = DataSourceOption.of("val-fraction", "val", Type.NUMBER, "F",
            "held-out (test) fraction, default 0.1 (seeded by the spec's seed=N).").withDefault(Double.toString(CsvOptions.DEFAULT_VAL));
    private static final List<DataSourceOption> OPTIONS = List.of(LABEL, ID, IGNORE, MISSING, VAL);

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public CsvDataSource() {}

    /**
     * Returns {@code csv}.
     *
     * @return the kind
     */
    @Override
    public String kind() {
        return "csv";
    }

    /**
     * Describes the data source and its options.
     *
     * @return a one-line description
     */
    @Override
    public String description() {
        return "csv:FILE[,label=COL][,id=COL][,ignore=A;B][,missing=reject|mask][,val=0.1][,seed=1] - a table with a header row;"
                + " numeric columns standardised, 0/1 columns binary, text columns one-hot";
    }

    /**
     * Returns {@code csv:FILE}.
     *
     * @return the short form of the spec
     */
    @Override
    public String syntax() {
        return "csv:FILE";
    }

    /**
     * Returns the options {@code --label-column}, {@code --id-column}, {@code --ignore-columns}, {@code --missing}
     * and {@code --val-fraction} (spec keys {@code label}, {@code id}, {@code ignore}, {@code missing}, {@code val}).
     *
     * @return the declarations
     */
    @Override
    public List<DataSourceOption> options() {
        return OPTIONS;
    }

    /**
     * Returns the canonical spec ({@link CsvOptions#toSpec()}: absolute file, every option spelled out) with the
     * values folded in, so that a run's recorded spec reproduces the data. A label, id or ignore value that differs
     * from the one in the spec is a contradiction; missing and val replace the spec's.
     *
     * @param spec {@code csv:FILE[,OPTIONS]}
     * @param values values of {@link #options()}
     * @return the canonical spec
     * @throws DataException if the spec is malformed
     * @throws IllegalArgumentException if a value contradicts the spec or gives a column two roles
     */
    @Override
    public String withOptions(String spec, Map<DataSourceOption, String> values) {
        CsvOptions o = CsvOptions.parse(DataSpec.parse(spec));
        try {
            for (Map.Entry<DataSourceOption, String> e : values.entrySet()) {
                DataSourceOption opt = e.getKey();
                String v = e.getValue();
                if (opt.equals(LABEL)) {
                    o = o.withLabel(fold(spec, opt, v, o.label()));
                } else if (opt.equals(ID)) {
                    o = o.withId(fold(spec, opt, v, o.id()));
                } else if (opt.equals(IGNORE)) {
                    List<String> cols = DataSourceOption.items(v);
                    if (!o.ignore().isEmpty() && !o.ignore().equals(cols)) {
                        throw new IllegalArgumentException(opt.flag() + " contradicts ignore= in --data " + spec);
                    }
                    o = o.withIgnore(cols);
                } else if (opt.equals(MISSING)) {
                    o = o.withMaskMissing(v.equals("mask"));
                } else if (opt.equals(VAL)) {
                    o = o.withValFraction(Double.parseDouble(v));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^csv: ", ""), e);
        }
        return o.toSpec();
    }

    private static String fold(String spec, DataSourceOption opt, String value, String inSpec) {
        if (inSpec != null && !inSpec.equals(value)) {
            throw new IllegalArgumentException(opt.flag() + " " + value + " contradicts " + opt.key() + "=" + inSpec + " in --data " + spec);
        }
        return value;
    }

    /**
     * Loads the table.
     *
     * @param spec {@code csv:FILE[,OPTIONS]}
     * @param context {@link LoadContext#table()}: the model's schema to encode with, or {@code null}
     * @return the splits
     * @throws DataException if the spec or the file is bad
     */
    @Override
    public DataSplits load(DataSpec spec, LoadContext context) {
        return CsvTable.load(CsvOptions.parse(spec), context.table());
    }
}
