package org.vae4j.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Entry point for loading data by spec string, dispatching to the {@link DataSourceProvider}s
 * found with {@link ServiceLoader}.
 *
 * <pre>{@code
 * DataSplits d = DataSources.load("shapes:rgb,n=5000", LoadContext.defaults());
 * }</pre>
 */
public final class DataSources {

    private DataSources() {}

    /**
     * Parses {@code spec} and loads it with the provider of its kind.
     *
     * @param spec for example {@code mnist}, {@code idx:DIR} or {@code shapes:size=64}
     * @param context where files live, whether downloads are allowed, progress listener and table schema; or {@code null} for {@link LoadContext#defaults()}
     * @return the training and test splits
     * @throws DataException if the spec is invalid or the data cannot be loaded
     */
    public static DataSplits load(String spec, LoadContext context) {
        return load(DataSpec.parse(spec), context);
    }

    /**
     * Loads an already parsed spec with the provider of its kind.
     *
     * @param spec the spec
     * @param context where files live, whether downloads are allowed, progress listener and table schema; or {@code null} for {@link LoadContext#defaults()}
     * @return the training and test splits
     * @throws DataException if no provider handles the kind or the data cannot be loaded
     */
    public static DataSplits load(DataSpec spec, LoadContext context) {
        DataSourceProvider p = find(spec.kind());
        if (p == null) {
            throw new DataException(spec + ": unknown data kind '" + spec.kind() + "'; valid kinds: " + kinds());
        }
        DataSplits splits = p.load(spec, context == null ? LoadContext.defaults() : context);
        if (splits == null) {
            throw new DataException(spec + ": provider " + p.getClass().getName() + " returned no data");
        }
        return splits;
    }

    /**
     * Returns the installed providers, one per kind, sorted by kind. When two providers claim
     * the same kind, the first found wins.
     *
     * @return an unmodifiable list
     */
    public static List<DataSourceProvider> providers() {
        Map<String, DataSourceProvider> byKind = new LinkedHashMap<>();
        // the context loader sees plug-ins of the application; our own loader guarantees the built-ins
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = DataSources.class.getClassLoader();
        List<ClassLoader> loaders = new ArrayList<>();
        if (context != null) {
            loaders.add(context);
        }
        if (own != context) {
            loaders.add(own);
        }
        for (ClassLoader cl : loaders) {
            for (DataSourceProvider p : ServiceLoader.load(DataSourceProvider.class, cl)) {
                byKind.putIfAbsent(p.kind(), p);
            }
        }
        List<DataSourceProvider> list = new ArrayList<>(byKind.values());
        list.sort(Comparator.comparing(DataSourceProvider::kind));
        return List.copyOf(list);
    }

    static DataSourceProvider find(String kind) {
        for (DataSourceProvider p : providers()) {
            if (p.kind().equals(kind)) {
                return p;
            }
        }
        return null;
    }

    static String kinds() {
        return providers().stream().map(DataSourceProvider::kind).collect(Collectors.joining(", "));
    }
}
