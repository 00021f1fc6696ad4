package org.vae4j.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * The environment a data source is loaded in, the same for every kind of data: where downloaded files live, whether
 * the network may be used, where progress goes and, for tables, the model's schema. What to load (the kind and its
 * own options, such as {@code size=64}) is the {@link DataSpec}'s business, not this record's; the options a kind
 * takes are declared by its provider ({@link DataSourceProvider#options()}).
 *
 * @param dataDir the directory holding the data set's files, used as is; {@code null} for the
 *     default {@code $VAE4J_DATA/<name>}, or {@code ~/.vae4j/data/<name>} if {@code VAE4J_DATA}
 *     is not set
 * @param offline if {@code true}, never download; missing files are an error that says where to
 *     put them
 * @param listener receives download progress; {@code null} is replaced by
 *     {@link DatasetDownloader.Listener#NONE}
 * @param table for tables ({@code csv:}): a trained model's schema, so the file is encoded with the model's column types
 *     and training statistics instead of its own; {@code null} to derive them from the file
 */
public record LoadContext(Path dataDir, boolean offline, DatasetDownloader.Listener listener, TableSchema table) {

    /** Environment variable naming the root directory of downloaded data sets. */
    public static final String DATA_ENV = "VAE4J_DATA";

    /**
     * Normalises a {@code null} listener to one that ignores events.
     *
     * @param dataDir the data directory, or {@code null} for the default
     * @param offline whether downloads are forbidden
     * @param listener the progress listener, or {@code null}
     * @param table a model's table schema, or {@code null}
     */
    public LoadContext {
        listener = listener == null ? DatasetDownloader.Listener.NONE : listener;
    }

    /**
     * Options without a table schema.
     *
     * @param dataDir the data directory, or {@code null} for the default
     * @param offline whether downloads are forbidden
     * @param listener the progress listener, or {@code null}
     */
    public LoadContext(Path dataDir, boolean offline, DatasetDownloader.Listener listener) {
        this(dataDir, offline, listener, null);
    }

    /**
     * Copy with a model's table schema (used by {@code csv:} sources only).
     *
     * @param t the schema, or {@code null}
     * @return the new options
     */
    public LoadContext withTable(TableSchema t) {
        return new LoadContext(dataDir, offline, listener, t);
    }

    /**
     * Returns the defaults: default directory, downloads allowed, no progress reporting.
     *
     * @return the default options
     */
    public static LoadContext defaults() {
        return new LoadContext(null, false, null);
    }

    /**
     * Returns the directory that holds (or will hold) the files of the named data set.
     *
     * @param name the data set's name, for example {@code mnist}
     * @return {@link #dataDir()} if set, else {@code $VAE4J_DATA/<name>}, else
     *     {@code ~/.vae4j/data/<name>}
     */
    public Path resolveDirectory(String name) {
        return resolveDirectory(name, System.getenv(), System.getProperty("user.home"));
    }

    Path resolveDirectory(String name, Map<String, String> env, String userHome) {
        if (dataDir != null) {
            return dataDir;
        }
        String root = env.get(DATA_ENV);
        if (root != null && !root.isBlank()) {
            return Path.of(root, name);
        }
        return Path.of(userHome, ".vae4j", "data", name);
    }
}
