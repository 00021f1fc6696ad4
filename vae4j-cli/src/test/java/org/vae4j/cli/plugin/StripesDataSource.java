package org.vae4j.cli.plugin;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vae4j.data.ArrayDataset;
import org.vae4j.data.DataException;
import org.vae4j.data.DataSourceOption;
import org.vae4j.data.DataSourceOption.Type;
import org.vae4j.data.DataSourceProvider;
import org.vae4j.data.DataSpec;
import org.vae4j.data.DataSplits;
import org.vae4j.data.LoadContext;

/**
 * A data source the CLI has never heard of, installed only in the CLI's tests (test resources'
 * {@code META-INF/services}): {@code stripes[:width=W][,vertical][,seed=N]}, 48 training and 16 test 1×8×8 images of
 * stripes W pixels wide at a random phase. It declares {@code --stripe-width}, {@code --stripe-vertical} and
 * {@code --seed} (a name some commands use for their own option).
 */
public final class StripesDataSource implements DataSourceProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public StripesDataSource() {}

    @Override
    public String kind() {
        return "stripes";
    }

    @Override
    public String description() {
        return "stripes[:width=W][,vertical][,seed=N] - test images of stripes";
    }

    @Override
    public List<DataSourceOption> options() {
        return List.of(
                DataSourceOption.of("stripe-width", "width", Type.INTEGER, "W", "stripe width in pixels.").withDefault("2"),
                DataSourceOption.of("stripe-vertical", "vertical", Type.FLAG, null, "vertical instead of horizontal stripes."),
                DataSourceOption.of("seed", "seed", Type.INTEGER, "N", "seed of the stripes' phases.").withDefault("0"));
    }

    @Override
    public DataSplits load(DataSpec spec, LoadContext context) {
        int width = 2;
        boolean vertical = false;
        long seed = 0;
        Set<String> seen = new HashSet<>();
        if (!spec.argument().isEmpty()) {
            for (String item : spec.argument().split(",", -1)) {
                String key = item.contains("=") ? item.substring(0, item.indexOf('=')).strip() : item.strip();
                String value = item.contains("=") ? item.substring(item.indexOf('=') + 1).strip() : null;
                if (!seen.add(key)) {
                    throw new DataException(spec + ": option '" + key + "' given twice");
                }
                switch (key) {
                    case "width" -> width = spec.intOption(key, value);
                    case "vertical" -> vertical = true;
                    case "seed" -> seed = spec.longOption(key, value);
                    default -> throw new DataException(spec + ": unknown option '" + key + "'");
                }
            }
        }
        if (width < 1 || width > 8) {
            throw new DataException(spec + ": width must be in [1,8] but is " + width);
        }
        String name = "stripes-w" + width;
        java.util.Random r = new java.util.Random(seed);
        return new DataSplits(images(name, 48, width, vertical, r), images(name, 16, width, vertical, r));
    }

    private static ArrayDataset images(String name, int n, int width, boolean vertical, java.util.Random r) {
        float[] data = new float[n * 64];
        for (int i = 0; i < n; i++) {
            int phase = r.nextInt(2 * width);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int along = vertical ? x : y;
                    data[i * 64 + y * 8 + x] = ((along + phase) / width) % 2 == 0 ? 1f : 0f;
                }
            }
        }
        return new ArrayDataset(name, data, new int[] {1, 8, 8}, null, null, null);
    }
}
