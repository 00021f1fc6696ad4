package org.vae4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.vae4j.data.CsvOptions;
import org.vae4j.data.DataSources;
import org.vae4j.data.DataSpec;
import org.vae4j.data.DataSplits;
import org.vae4j.data.DatasetDownloader;
import org.vae4j.data.TableSchema;
import org.vae4j.model.ModelStore;
import org.vae4j.train.RunState;
import org.vae4j.train.Training;
import picocli.CommandLine.Option;

/** Shared data options. */
final class DataOptions {
    @Option(names = "--data", paramLabel = "SPEC",
            description = "Data set: mnist, fashion-mnist, idx:DIR, shapes, shapes:rgb (see 'vae4j list').")
    String spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where mnist/fashion-mnist files live or are downloaded to (default $VAE4J_DATA/<name> or ~/.vae4j/data/<name>).")
    Path dataDir;

    @Option(names = "--offline", description = "Never download; fail with a message saying where to put the files.")
    boolean offline;

    @Option(names = "--label-column", paramLabel = "COL", description = "csv: the column holding class labels (label=COL).")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "COL", description = "csv: the column holding record ids (id=COL).")
    String idColumn;

    @Option(names = "--ignore-columns", paramLabel = "A,B", split = ",", description = "csv: columns to leave out (ignore=A;B).")
    List<String> ignoreColumns;

    @Option(names = "--missing", paramLabel = "reject|mask",
            description = "csv: missing cells (empty, NA, N/A, NaN, null) are an error (reject, the default) or left out of the likelihood (mask).")
    String missing;

    @Option(names = "--val-fraction", paramLabel = "F", description = "Share of records held out as the test split, seeded (csv default 0.1).")
    Double valFraction;

    /**
     * The data spec with the csv flags folded in: for {@code csv:} data the canonical spec (absolute file, every option
     * spelled out) that reproduces the data; other specs unchanged.
     *
     * @throws IllegalArgumentException if a csv flag is used with another kind of data, or contradicts the spec
     */
    String effectiveSpec() {
        if (spec == null) {
            throw new IllegalArgumentException("--data is required (e.g. --data shapes or --data idx:DIR)");
        }
        boolean csvFlags = labelColumn != null || idColumn != null || ignoreColumns != null || missing != null;
        DataSpec parsed = DataSpec.parse(spec);
        if (!parsed.kind().equals("csv")) {
            if (csvFlags || valFraction != null) {
                throw new IllegalArgumentException((csvFlags ? "--label-column, --id-column, --ignore-columns and --missing are"
                        : "--val-fraction is") + " for csv:FILE data, not " + parsed.kind());
            }
            return spec;
        }
        CsvOptions o = CsvOptions.parse(parsed);
        try {
            if (labelColumn != null) {
                o = o.withLabel(fold("--label-column", labelColumn, o.label(), "label"));
            }
            if (idColumn != null) {
                o = o.withId(fold("--id-column", idColumn, o.id(), "id"));
            }
            if (ignoreColumns != null) {
                if (!o.ignore().isEmpty() && !o.ignore().equals(ignoreColumns)) {
                    throw new IllegalArgumentException("--ignore-columns contradicts ignore= in --data " + spec);
                }
                o = o.withIgnore(ignoreColumns);
            }
            if (missing != null) {
                String m = missing.toLowerCase(Locale.ROOT);
                if (!m.equals("mask") && !m.equals("reject")) {
                    throw new IllegalArgumentException("--missing must be reject or mask, got '" + missing + "'");
                }
                o = o.withMaskMissing(m.equals("mask"));
            }
            if (valFraction != null) {
                o = o.withValFraction(valFraction);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^csv: ", ""), e);
        }
        return o.toSpec();
    }

    private String fold(String flag, String value, String inSpec, String key) {
        if (inSpec != null && !inSpec.equals(value)) {
            throw new IllegalArgumentException(flag + " " + value + " contradicts " + key + "=" + inSpec + " in --data " + spec);
        }
        return value;
    }

    /** Loads the data, reporting downloads on {@code err}. */
    DataSplits load(PrintWriter err) {
        return load(effectiveSpec(), dataDir, offline, null, err);
    }

    /** Loads {@code --data} (required) for use with the model in {@code runDir}: a table is encoded with the model's schema. */
    DataSplits loadFor(Path runDir, PrintWriter err) {
        if (spec == null) {
            return load(err);
        }
        return loadOrFromRun(runDir, false, err);
    }

    /** Whether {@code --data} was given or the run directory records the data set it was trained on. */
    boolean available(Path runDir) {
        return spec != null || Files.isRegularFile(runDir.resolve(Training.STATE));
    }

    /**
     * {@code --data}; without it, the data set recorded in {@code runDir/train.json} (with {@code --data-dir} still
     * taking precedence over the recorded directory).
     *
     * @param forceOffline never download, even without {@code --offline}
     */
    DataSplits loadOrFromRun(Path runDir, boolean forceOffline, PrintWriter err) {
        // a table is encoded with the model's stored column statistics, never with the file's own
        TableSchema table = Files.isRegularFile(runDir.resolve(ModelStore.CONFIG)) ? ModelStore.readConfig(runDir).transform().table() : null;
        if (spec != null) {
            return load(effectiveSpec(), dataDir, offline || forceOffline, table, err);
        }
        if (!Files.isRegularFile(runDir.resolve(Training.STATE))) {
            throw new IllegalArgumentException("--data is required (the model directory records no data set)");
        }
        if (labelColumn != null || idColumn != null || ignoreColumns != null || missing != null || valFraction != null) {
            throw new IllegalArgumentException("--label-column, --id-column, --ignore-columns, --missing and --val-fraction "
                    + "need --data (without it the run's recorded data spec is used as is)");
        }
        RunState st = Training.readState(runDir);
        Path dir = dataDir != null ? dataDir : (st.dataDir().isEmpty() ? null : Path.of(st.dataDir()));
        return load(st.dataSpec(), dir, offline || forceOffline, table, err);
    }

    static DataSplits load(String spec, Path dataDir, boolean offline, PrintWriter err) {
        return load(spec, dataDir, offline, null, err);
    }

    static DataSplits load(String spec, Path dataDir, boolean offline, TableSchema table, PrintWriter err) {
        DatasetDownloader.Listener l = new DatasetDownloader.Listener() {
            @Override
            public void started(String file, long totalBytes) {
                err.println("downloading " + file + (totalBytes > 0 ? " (" + totalBytes / 1024 + " KiB)" : ""));
            }

            @Override
            public void progress(String file, long bytesSoFar) {}

            @Override
            public void finished(String file) {
                err.println("  " + file + ": SHA-256 verified");
            }
        };
        return DataSources.load(spec, new org.vae4j.data.DataOptions(dataDir, offline, l, table));
    }
}
