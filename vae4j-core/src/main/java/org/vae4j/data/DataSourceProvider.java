package org.vae4j.data;

/**
 * A kind of data source, such as {@code mnist} or {@code shapes}, selected by the kind part of a
 * {@link DataSpec}.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}: list the class name in
 * {@code META-INF/services/org.vae4j.data.DataSourceProvider}. An implementation needs a public
 * no-argument constructor and must be stateless and thread-safe.
 */
public interface DataSourceProvider {

    /**
     * Returns the kind this provider handles, the part of a spec before the first colon.
     *
     * @return a lower-case name made of letters, digits and dashes, for example {@code mnist}
     */
    String kind();

    /**
     * Returns a one-line description for help texts, including the accepted argument syntax.
     *
     * @return a human-readable description
     */
    String description();

    /**
     * Loads (downloading or generating as needed) the data set described by {@code spec}.
     *
     * @param spec the parsed spec; {@code spec.kind()} equals {@link #kind()}
     * @param context where to find or put files, whether the network may be used, and where to
     *     report progress; never {@code null}
     * @return the training and test splits
     * @throws DataException if the argument is invalid or the data cannot be loaded
     */
    DataSplits load(DataSpec spec, LoadContext context);
}
