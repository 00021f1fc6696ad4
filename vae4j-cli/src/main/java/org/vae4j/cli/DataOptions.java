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
            description = "Data set: mnist, fashion-mnist, idx:DIR, shapes, shapes:rgb, images:DIR, csv:FILE (see 'vae4j list').")
    String spec;

    // Image-folder options: folded into the images:DIR spec (so train.json records them for resume and evaluate).
    @Option(names = "--size", paramLabel = "S", description = "images:DIR only: resize every image to S×S (area averaging).")
    Integer size;

    @Option(names = "--image-channels", paramLabel = "1|3", description = "images:DIR only: 1 (grey, luminance) or 3 (RGB); default 1.")
    Integer imageChannels;

    @Option(names = "--crop", paramLabel = "center|none", description = "images:DIR only: centre-crop to a square before resizing (default none: squash).")
    String crop;

    @Option(names = "--val-fraction", paramLabel = "F", description = "images:DIR and csv:FILE: held-out (test) fraction, default 0.1 (seeded by the spec's seed=N).")
    Double valFraction;

    @Option(names = "--skip-bad", description = "images:DIR only: skip unreadable images (reported) instead of failing.")
    boolean skipBad;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "images:DIR only: where decoded pixels are cached (default $VAE4J_DATA/cache or ~/.vae4j/cache).")
    Path cacheDir;

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

    /** Loads the data, reporting downloads on {@code err}. */
    DataSplits load(PrintWriter err) {
        if (spec == null) {
            throw new IllegalArgumentException("--data is required (e.g. --data shapes or --data idx:DIR)");
        }
        return load(resolvedSpec(), dataDir, offline, null, err);
    }

    /** Loads {@code --data} (required) for use with the model in {@code runDir}: a table is encoded with the model's schema. */
    DataSplits loadFor(Path runDir, PrintWriter err) {
        if (spec == null) {
            return load(err);
        }
        return loadOrFromRun(runDir, false, err);
    }

    /**
     * {@code --data} with the flags folded in as spec options: the image-folder flags into an {@code images:DIR} spec
     * (e.g. {@code images:DIR,size=64,channels=3}); for {@code csv:} data the canonical spec (absolute file, every
     * option spelled out) that reproduces the data.
     *
     * @throws IllegalArgumentException if a flag is given with a kind of data it does not apply to, or contradicts the spec
     */
    String resolvedSpec() {
        boolean csvFlags = labelColumn != null || idColumn != null || ignoreColumns != null || missing != null;
        String kind = spec == null ? "" : spec.trim().split(":", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (kind.equals("csv")) {
            return csvSpec();
        }
        if (csvFlags) {
            throw new IllegalArgumentException("--label-column, --id-column, --ignore-columns and --missing are for csv:FILE data"
                    + (spec == null ? " (no --data given)" : ", not " + kind));
        }
        StringBuilder extra = new StringBuilder();
        java.util.List<String> flags = new java.util.ArrayList<>();
        if (size != null) {
            extra.append(",size=").append(size);
            flags.add("--size");
        }
        if (imageChannels != null) {
            extra.append(",channels=").append(imageChannels);
            flags.add("--image-channels");
        }
        if (crop != null) {
            extra.append(",crop=").append(crop);
            flags.add("--crop");
        }
        if (valFraction != null) {
            extra.append(",val=").append(valFraction);
            flags.add("--val-fraction");
        }
        if (skipBad) {
            extra.append(",skip-bad");
            flags.add("--skip-bad");
        }
        if (cacheDir != null) {
            extra.append(",cache-dir=").append(cacheDir);
            flags.add("--cache-dir");
        }
        if (flags.isEmpty()) {
            return spec;
        }
        if (!kind.equals("images")) {
            throw new IllegalArgumentException(String.join(", ", flags) + " applies to --data images:DIR"
                    + (flags.equals(List.of("--val-fraction")) ? " and csv:FILE" : "") + " only"
                    + (spec == null ? " (no --data given)" : ", not to " + spec));
        }
        return spec.contains(":") ? spec + extra : spec + ":" + extra.substring(1);
    }

    /** The csv spec with --label-column, --id-column, --ignore-columns, --missing and --val-fraction folded in. */
    private String csvSpec() {
        List<String> imageFlags = new java.util.ArrayList<>();
        if (size != null) {
            imageFlags.add("--size");
        }
        if (imageChannels != null) {
            imageFlags.add("--image-channels");
        }
        if (crop != null) {
            imageFlags.add("--crop");
        }
        if (skipBad) {
            imageFlags.add("--skip-bad");
        }
        if (cacheDir != null) {
            imageFlags.add("--cache-dir");
        }
        if (!imageFlags.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", imageFlags) + " applies to --data images:DIR only, not to " + spec);
        }
        CsvOptions o = CsvOptions.parse(DataSpec.parse(spec));
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

    /** Whether {@code --data} was given or the run directory records the data set it was trained on. */
    boolean available(Path runDir) {
        return spec != null || Files.isRegularFile(runDir.resolve(Training.STATE));
    }

    /**
     * {@code --data}; without it, the data set recorded in {@code runDir/train.json} (with {@code --data-dir} still
     * taking precedence over the recorded directory) and the run's label selection ({@code --only-labels} /
     * {@code --exclude-labels}), so that ids written from it (density weights) match the data the run trained on.
     *
     * @param forceOffline never download, even without {@code --offline}
     */
    DataSplits loadOrFromRun(Path runDir, boolean forceOffline, PrintWriter err) {
        // a table is encoded with the model's stored column statistics, never with the file's own
        TableSchema table = Files.isRegularFile(runDir.resolve(ModelStore.CONFIG)) ? ModelStore.readConfig(runDir).transform().table() : null;
        if (spec != null || !resolvedSpecIsPlain()) {
            return load(resolvedSpec(), dataDir, offline || forceOffline, table, err);
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
        return st.selection().labelFilter().apply(load(st.dataSpec(), dir, offline || forceOffline, table, err));
    }

    private boolean resolvedSpecIsPlain() {
        return size == null && imageChannels == null && crop == null && valFraction == null && !skipBad && cacheDir == null;
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
            public void finished(String file) {
                err.println("  " + file + ": SHA-256 verified");
            }

            @Override
            public void info(String message) {
                err.println(message);
            }

            @Override
            public void warning(String message) {
                err.println("vae4j: warning: " + message);
            }
        };
        return DataSources.load(spec, new org.vae4j.data.LoadContext(dataDir, offline, l, table));
    }
}
