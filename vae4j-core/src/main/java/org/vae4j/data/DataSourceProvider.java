package org.vae4j.data;

import java.util.List;
import java.util.Map;

/**
 * A kind of data source, such as {@code mnist} or {@code shapes}, selected by the kind part of a
 * {@link DataSpec}.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}: list the class name in
 * {@code META-INF/services/org.vae4j.data.DataSourceProvider}. An implementation needs a public
 * no-argument constructor and must be stateless and thread-safe.
 *
 * <p>A provider declares the options its specs take ({@link #options()}); front ends offer them as flags
 * ({@code --size 64}) and fold the ones given into the spec ({@link #withOptions}), so that a new kind of data needs no
 * change to the command line or any other front end.
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

    /**
     * Returns the short form of this kind's spec for messages and help texts, such as {@code idx:DIR}.
     *
     * @return {@link #kind()} followed by the argument's placeholder, if it takes one; by default the kind
     */
    default String syntax() {
        return kind();
    }

    /**
     * Returns the options this kind takes beside its spec's argument, in the order help texts list them and
     * {@link #withOptions} folds them. A front end offers each as the flag {@link DataSourceOption#flag()}.
     *
     * @return the declarations, names unique; by default none
     */
    default List<DataSourceOption> options() {
        return List.of();
    }

    /**
     * Returns {@code spec} with option values folded in: the spec to load and to record (a run's {@code train.json}),
     * so that it alone reproduces the data. The default appends {@code ,key=value} for each value ({@code ,key} for
     * a {@link DataSourceOption.Type#FLAG} that is on, items joined by {@code ;} for a
     * {@link DataSourceOption.Type#LIST}) and returns {@code spec} unchanged when there are none; a key that the spec
     * already has is then reported by {@link #load} as given twice. Override to check contradictions or to write a
     * canonical spec.
     *
     * @param spec the spec as given, of this provider's kind
     * @param values the given options' canonical values ({@link DataSourceOption#normalise}), only options of
     *     {@link #options()}, in their declaration order; possibly empty
     * @return the spec with the values folded in
     * @throws IllegalArgumentException if a value contradicts the spec or is invalid for this kind (a usage error)
     * @throws DataException if the spec itself is malformed
     */
    default String withOptions(String spec, Map<DataSourceOption, String> values) {
        StringBuilder extra = new StringBuilder();
        for (Map.Entry<DataSourceOption, String> e : values.entrySet()) {
            DataSourceOption o = e.getKey();
            String v = e.getValue();
            switch (o.type()) {
                case FLAG -> {
                    if (Boolean.parseBoolean(v)) {
                        extra.append(',').append(o.key());
                    }
                }
                case LIST -> extra.append(',').append(o.key()).append('=').append(String.join(";", DataSourceOption.items(v)));
                default -> extra.append(',').append(o.key()).append('=').append(v);
            }
        }
        if (extra.length() == 0) {
            return spec;
        }
        return spec.contains(":") ? spec + extra : spec + ":" + extra.substring(1);
    }
}
