package org.vae4j.data;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.vae4j.data.DataSourceOption.Type;

/**
 * Data source {@code images:DIR[,OPTIONS]}: the PNG, JPEG, BMP and GIF files under folder
 * {@code DIR} (recursively, sorted by relative path; names starting with a dot are ignored).
 * Labels are the names of the first-level sub-folders (sorted), or none when the images lie
 * directly in {@code DIR}; record ids are the relative paths. Options, comma-separated after the
 * folder:
 *
 * <ul>
 *   <li>{@code size=S}: resize to S×S with area averaging (without it, every image must have the
 *       same size);
 *   <li>{@code crop=center}: centre-crop to a square before resizing (otherwise the image is
 *       squashed); {@code crop=none} is the default;
 *   <li>{@code channels=1|3}: grey (Rec. 601 luminance) or RGB, default 1;
 *   <li>{@code val=F}: held-out (test) fraction, default 0.1, drawn with {@code seed=N} (default 0);
 *   <li>{@code skip-bad}: leave unreadable files out (reported through
 *       {@link DatasetDownloader.Listener#warning(String)}) instead of failing;
 *   <li>{@code cache-dir=DIR}: where the decoded-pixel cache goes (default {@code $VAE4J_DATA/cache}
 *       or {@code ~/.vae4j/cache}).
 * </ul>
 *
 * <p>Decoded pixels are cached once as uint8 in a memory-mapped file keyed by the file list
 * (paths, sizes, modification times) and the options, so later loads decode nothing and data
 * sets larger than the heap can be trained on ({@link MappedImageDataset}). Example:
 * {@code images:photos,size=64,channels=3,crop=center,val=0.2}.
 */
public final class ImagesDataSource implements DataSourceProvider {

    static final String OPTIONS = "size=S, crop=center|none, channels=1|3, val=F, seed=N, skip-bad, cache-dir=DIR";

    private static final List<DataSourceOption> FLAGS = List.of(
            DataSourceOption.of("size", "size", Type.INTEGER, "S", "resize every image to S×S (area averaging)."),
            DataSourceOption.of("image-channels", "channels", Type.INTEGER, "1|3", "1 (grey, luminance) or 3 (RGB); default 1.")
                    .withDefault("1"),
            DataSourceOption.of("crop", "crop", Type.TEXT, "center|none",
                    "centre-crop to a square before resizing (default none: squash).").withDefault("none"),
            DataSourceOption.of("val-fraction", "val", Type.NUMBER, "F",
                    "held-out (test) fraction, default 0.1 (seeded by the spec's seed=N).").withDefault("0.1"),
            DataSourceOption.of("skip-bad", "skip-bad", Type.FLAG, null, "skip unreadable images (reported) instead of failing."),
            DataSourceOption.of("cache-dir", "cache-dir", Type.PATH, "DIR",
                    "where decoded pixels are cached (default $VAE4J_DATA/cache or ~/.vae4j/cache)."));

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ImagesDataSource() {}

    /**
     * Returns {@code images}.
     *
     * @return the kind
     */
    @Override
    public String kind() {
        return "images";
    }

    /**
     * Describes the data source and its options.
     *
     * @return a one-line description
     */
    @Override
    public String description() {
        return "images:DIR[,OPTIONS] - PNG/JPEG/BMP/GIF files under DIR, labels from first-level folders; options: "
                + OPTIONS;
    }

    /**
     * Returns {@code images:DIR}.
     *
     * @return the short form of the spec
     */
    @Override
    public String syntax() {
        return "images:DIR";
    }

    /**
     * Returns the options {@code --size}, {@code --image-channels}, {@code --crop}, {@code --val-fraction},
     * {@code --skip-bad} and {@code --cache-dir}, appended to the spec as {@code size}, {@code channels}, {@code crop},
     * {@code val}, {@code skip-bad} and {@code cache-dir} (so a run records them for resume and evaluation).
     *
     * @return the declarations
     */
    @Override
    public List<DataSourceOption> options() {
        return FLAGS;
    }

    /**
     * Lists, decodes (or reuses the cache of) and splits the folder.
     *
     * @param spec {@code images:DIR[,OPTIONS]}
     * @param context its listener receives cache and skipped-file notes
     * @return the splits, named {@code images:<folder name>}, streamed from the cache
     * @throws DataException for a bad option, a missing or empty folder, or an unreadable image
     */
    @Override
    public DataSplits load(DataSpec spec, LoadContext context) {
        ImageFolder.Options o = parse(spec);
        Path fileName = o.dir().toAbsolutePath().normalize().getFileName();
        String name = "images:" + (fileName == null ? o.dir().toString() : fileName.toString());
        return ImageFolder.load(o, name, context);
    }

    /** Parses {@code DIR[,key=value...]}. */
    static ImageFolder.Options parse(DataSpec spec) {
        String arg = spec.argument();
        if (arg.isEmpty()) {
            throw new DataException(spec + ": missing folder, use images:DIR[," + OPTIONS + "]");
        }
        String[] items = arg.split(",", -1);
        Path dir;
        try {
            dir = Path.of(items[0].trim());
        } catch (InvalidPathException e) {
            throw new DataException(spec + ": invalid folder: " + e.getMessage(), e);
        }
        if (items[0].isBlank()) {
            throw new DataException(spec + ": missing folder, use images:DIR[," + OPTIONS + "]");
        }
        int size = 0;
        boolean crop = false;
        int channels = 1;
        double val = 0.1;
        long seed = 0;
        boolean skipBad = false;
        Path cacheDir = null;
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < items.length; i++) {
            String item = items[i].trim();
            if (item.isEmpty()) {
                throw bad(spec, "empty option");
            }
            int eq = item.indexOf('=');
            String key = (eq < 0 ? item : item.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : item.substring(eq + 1).trim();
            if (!seen.add(key)) {
                throw bad(spec, "option '" + key + "' given twice");
            }
            if (value == null && !key.equals("skip-bad")) {
                throw bad(spec, "option '" + key + "' needs a value");
            }
            switch (key) {
                case "size" -> size = spec.intOption(key, value);
                case "channels" -> channels = spec.intOption(key, value);
                case "seed" -> seed = spec.longOption(key, value);
                case "val" -> val = spec.doubleOption(key, value);
                case "crop" -> {
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "center", "centre" -> crop = true;
                        case "none" -> crop = false;
                        default -> throw bad(spec, "crop must be center or none but is '" + value + "'");
                    }
                }
                case "skip-bad" -> {
                    if (value == null || value.equalsIgnoreCase("true")) {
                        skipBad = true;
                    } else if (value.equalsIgnoreCase("false")) {
                        skipBad = false;
                    } else {
                        throw bad(spec, "skip-bad must be true or false but is '" + value + "'");
                    }
                }
                case "cache-dir" -> {
                    try {
                        cacheDir = Path.of(value);
                    } catch (InvalidPathException e) {
                        throw new DataException(spec + ": invalid cache-dir: " + e.getMessage(), e);
                    }
                }
                default -> throw bad(spec, "unknown option '" + key + "'");
            }
        }
        if (size == 0 && seen.contains("size")) {
            throw new DataException(spec + ": size must be in [1,4096] but is 0");
        }
        try {
            return new ImageFolder.Options(dir, size, crop, channels, val, seed, skipBad, cacheDir);
        } catch (IllegalArgumentException e) {
            throw new DataException(spec + ": " + e.getMessage(), e);
        }
    }

    private static DataException bad(DataSpec spec, String problem) {
        return new DataException(spec + ": " + problem + "; valid options: " + OPTIONS);
    }
}
