package org.vae4j.data;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Data source {@code shapes}: the generated {@link ShapesDataset}. The optional argument is a
 * comma-separated list of options:
 *
 * <ul>
 *   <li>{@code rgb} or {@code grey} (also {@code gray}): colour or grey images ({@code channels=3}
 *       or {@code 1});
 *   <li>{@code size=N}: image side in pixels (default 32);
 *   <li>{@code channels=1|3};
 *   <li>{@code n=N}: number of training images (default 20000);
 *   <li>{@code test=N}: number of test images (default 2000);
 *   <li>{@code seed=N}: random seed (default 0);
 *   <li>{@code weights.FACTOR=W0/W1/...}: relative sampling weights of one factor's values, for
 *       skewed data, for example {@code weights.shape=1/1/4}.
 * </ul>
 *
 * <p>Examples: {@code shapes}, {@code shapes:rgb}, {@code shapes:size=64,n=5000,seed=3}.
 */
public final class ShapesDataSource implements DataSourceProvider {

    private static final String OPTIONS = "rgb, grey, size=N, channels=1|3, n=N, test=N, seed=N, weights.FACTOR=W0/W1/...";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ShapesDataSource() {}

    /**
     * Returns {@code shapes}.
     *
     * @return the kind
     */
    @Override
    public String kind() {
        return "shapes";
    }

    /**
     * Describes the data source and its options.
     *
     * @return a one-line description
     */
    @Override
    public String description() {
        return "shapes[:OPTIONS] - generated dSprites-like shapes with known factors; options: " + OPTIONS;
    }

    /**
     * Generates the shapes data set configured by the argument; the {@link LoadContext} is not used.
     *
     * @param spec {@code shapes} or {@code shapes:OPTIONS}
     * @param context ignored
     * @return the generated splits, named {@code shapes} or {@code shapes-rgb}
     * @throws DataException if an option is unknown, repeated or out of range
     */
    @Override
    public DataSplits load(DataSpec spec, LoadContext context) {
        return ShapesDataset.generate(parseConfig(spec));
    }

    /** Parses the options of a shapes spec into a generator configuration. */
    static ShapesDataset.Config parseConfig(DataSpec spec) {
        ShapesDataset.Config d = ShapesDataset.Config.defaults();
        int size = d.size();
        int channels = d.channels();
        int train = d.trainCount();
        int test = d.testCount();
        long seed = d.seed();
        Map<String, double[]> weights = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        if (!spec.argument().isEmpty()) {
            for (String raw : spec.argument().split(",", -1)) {
                String item = raw.trim();
                int eq = item.indexOf('=');
                String key = (eq < 0 ? item : item.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? null : item.substring(eq + 1).trim();
                String canonical = key.equals("rgb") || key.equals("grey") || key.equals("gray") ? "channels" : key;
                if (item.isEmpty()) {
                    throw bad(spec, "empty option");
                }
                if (!seen.add(canonical)) {
                    throw bad(spec, "option '" + canonical + "' given twice");
                }
                if (eq < 0) {
                    switch (key) {
                        case "rgb" -> channels = 3;
                        case "grey", "gray" -> channels = 1;
                        default -> throw bad(spec, "unknown option '" + item + "'");
                    }
                    continue;
                }
                switch (key) {
                    case "size" -> size = spec.intOption(key, value);
                    case "channels" -> channels = spec.intOption(key, value);
                    case "n" -> train = spec.intOption(key, value);
                    case "test" -> test = spec.intOption(key, value);
                    case "seed" -> seed = spec.longOption(key, value);
                    default -> {
                        if (key.startsWith("weights.") && key.length() > "weights.".length()) {
                            weights.put(key.substring("weights.".length()), parseWeights(spec, key, value));
                        } else {
                            throw bad(spec, "unknown option '" + key + "'");
                        }
                    }
                }
            }
        }
        try {
            return new ShapesDataset.Config(size, channels, train, test, seed, weights);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            // Config's messages start with "shapes: ", which the spec already says
            throw new DataException(spec + ": " + (m.startsWith("shapes: ") ? m.substring(8) : m), e);
        }
    }

    private static DataException bad(DataSpec spec, String problem) {
        return new DataException(spec + ": " + problem + "; valid options: " + OPTIONS);
    }

    private static double[] parseWeights(DataSpec spec, String key, String value) {
        String[] parts = value.split("/", -1);
        double[] w = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new DataException(spec + ": " + key + " must be numbers separated by '/' but is '" + value + "'", e);
            }
        }
        return w;
    }
}
