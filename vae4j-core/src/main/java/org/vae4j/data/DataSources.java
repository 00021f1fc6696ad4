package org.vae4j.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
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

    /**
     * Folds option values given by name ({@code --label-column group} as {@code label-column -> group}) into
     * {@code spec}, generically: the provider of the spec's kind checks each value against its declaration
     * ({@link DataSourceOption#normalise}) and writes them into the spec ({@link DataSourceProvider#withOptions}).
     * With no values the provider still gets the spec, so that it can write its canonical form ({@code csv:} does).
     *
     * @param spec the spec as given, or {@code null} when none was given
     * @param given option values by {@link DataSourceOption#name()}, as given; for a
     *     {@link DataSourceOption.Type#FLAG} only the ones switched on
     * @return the spec to load and record; {@code null} when {@code spec} is {@code null} and nothing is given
     * @throws IllegalArgumentException in one line, if the spec's kind does not take an option given ("--size applies
     *     to --data images:DIR only, not to shapes"), options are given without a spec, a value is invalid, or it
     *     contradicts the spec
     * @throws DataException if the spec is malformed or of an unknown kind
     */
    public static String withOptions(String spec, Map<String, String> given) {
        return withOptions(spec, given, providers());
    }

    /** {@link #withOptions(String, Map)} over the given providers (for tests). */
    static String withOptions(String spec, Map<String, String> given, List<DataSourceProvider> providers) {
        if (spec == null) {
            if (given.isEmpty()) {
                return null;
            }
            throw misplaced(given.keySet(), null, providers);
        }
        String kind = DataSpec.parse(spec, providers).kind();
        DataSourceProvider p = find(kind, providers);
        List<String> refused = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        p.options().forEach(o -> declared.add(o.name()));
        for (String name : given.keySet()) {
            if (!declared.contains(name)) {
                refused.add(name);
            }
        }
        if (!refused.isEmpty()) {
            throw misplaced(refused, spec, providers);
        }
        Map<DataSourceOption, String> values = new LinkedHashMap<>();
        for (DataSourceOption o : p.options()) {
            if (given.containsKey(o.name())) {
                values.put(o, o.normalise(given.get(o.name())));
            }
        }
        String folded = p.withOptions(spec, values);
        if (folded == null) {
            throw new DataException(spec + ": provider " + p.getClass().getName() + " folded its options into no spec");
        }
        return folded;
    }

    /**
     * The one-line refusal of options that the spec's kind does not take, naming the kinds that do: "--size, --crop
     * applies to --data images:DIR only, not to shapes". When no kind takes all of them, it names the first alone.
     */
    private static IllegalArgumentException misplaced(Collection<String> names, String spec, List<DataSourceProvider> providers) {
        // every declared name, in the order help texts list them, with the providers declaring it
        Map<String, List<DataSourceProvider>> declarers = new LinkedHashMap<>();
        for (DataSourceProvider p : providers) {
            for (DataSourceOption o : p.options()) {
                declarers.computeIfAbsent(o.name(), n -> new ArrayList<>()).add(p);
            }
        }
        for (String n : names) {
            if (!declarers.containsKey(n)) {
                return new IllegalArgumentException("--" + n + " is not an option of any data source (see 'vae4j list')");
            }
        }
        List<String> flags = new ArrayList<>();
        List<DataSourceProvider> common = null;
        for (String n : declarers.keySet()) {
            if (names.contains(n)) {
                flags.add("--" + n);
                if (common == null) {
                    common = new ArrayList<>(declarers.get(n));
                } else {
                    common.retainAll(declarers.get(n));
                }
            }
        }
        if (common.isEmpty()) {
            flags = flags.subList(0, 1);
            common = declarers.get(flags.get(0).substring(2));
        }
        List<String> syntaxes = common.stream().map(DataSourceProvider::syntax).toList();
        return new IllegalArgumentException(String.join(", ", flags) + " applies to --data " + and(syntaxes) + " only"
                + (spec == null ? " (no --data given)" : ", not to " + spec));
    }

    private static String and(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    static DataSourceProvider find(String kind, List<DataSourceProvider> providers) {
        for (DataSourceProvider p : providers) {
            if (p.kind().equals(kind)) {
                return p;
            }
        }
        return null;
    }

    static DataSourceProvider find(String kind) {
        return find(kind, providers());
    }

    static String kinds() {
        return kinds(providers());
    }

    static String kinds(List<DataSourceProvider> providers) {
        return providers.stream().map(DataSourceProvider::kind).collect(Collectors.joining(", "));
    }
}
