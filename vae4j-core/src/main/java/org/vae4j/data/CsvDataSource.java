package org.vae4j.data;

/**
 * Data source {@code csv:FILE[,OPTIONS]}: a table with a header row (see {@link CsvOptions} for the options,
 * {@link CsvTable} for the parsing and typing rules and {@link TableSchema} for the encoding). With
 * {@link LoadContext#table()} set (a trained model's schema), the file is encoded with that schema.
 */
public final class CsvDataSource implements DataSourceProvider {

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
