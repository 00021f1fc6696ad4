package org.vae4j.judge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.vae4j.data.Dataset;
import org.vae4j.data.LoadContext;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Checksums;
import org.vae4j.io.ModelFormatException;
import org.vae4j.util.Json;

/**
 * Keeps trained {@link DigitClassifier}s so that the yardstick trains one only once per data set and settings.
 *
 * <p>Each classifier lives in its own directory under a cache root, named by the data set's name and a key: the
 * SHA-256 of the save format, the training data's content hash, a hash of its labels and label names, the settings
 * and the seed ({@link #key}). Another data set, other labels or other settings therefore never find a classifier
 * trained for something else. A directory is published atomically ({@link AtomicFiles#replaceDirectory}: built in a
 * temporary sibling, then renamed, with a completeness marker); one that is incomplete, does not load, or describes
 * another classifier is reported in one line to the caller's notices and trained again in its place.
 */
public final class ClassifierCache {
    private ClassifierCache() {}

    /**
     * A classifier from the cache.
     *
     * @param classifier the classifier (the caller closes it)
     * @param trained whether it was trained now (false: loaded)
     * @param dir the directory it is kept in
     */
    public record Obtained(DigitClassifier classifier, boolean trained, Path dir) {}

    /**
     * The default cache root: {@code $VAE4J_DATA/cache/judge}, or {@code ~/.vae4j/cache/judge} when
     * {@code VAE4J_DATA} is not set (beside the data sets vae4j downloads, and where the image cache lives).
     */
    public static Path defaultRoot() {
        String root = System.getenv(LoadContext.DATA_ENV);
        if (root != null && !root.isBlank()) {
            return Path.of(root, "cache", "judge");
        }
        return Path.of(System.getProperty("user.home"), ".vae4j", "cache", "judge");
    }

    /**
     * The cache key of a classifier: hex SHA-256 of the save format version, the data's content hash, its labels and
     * label names, the settings and the seed.
     */
    public static String key(Dataset train, DigitClassifier.Settings settings, long seed) {
        StringBuilder sb = new StringBuilder("vae4j-classifier/").append(DigitClassifier.FORMAT_VERSION).append('\n');
        sb.append(train.contentHash()).append('\n');
        sb.append(labelsHash(train)).append('\n');
        sb.append(train.labelNames()).append('\n');
        sb.append(Json.write(settings)).append('\n');
        sb.append(seed);
        return Checksums.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The directory under {@code root} for a classifier of {@code train} with these settings and seed. */
    public static Path directory(Path root, Dataset train, DigitClassifier.Settings settings, long seed) {
        String name = train.name().replaceAll("[^A-Za-z0-9._-]+", "_");
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        return root.resolve(name + "-" + key(train, settings, seed).substring(0, 16));
    }

    /**
     * Loads the cached classifier of {@code train} with these settings and seed, or trains and caches it.
     *
     * @param root the cache root (created if needed)
     * @param progress receives training steps done (may be null)
     * @param notices receives one line per notable event: a damaged cache entry trained again (may be null)
     * @throws UncheckedIOException (one line) if the cache cannot be written
     */
    public static Obtained obtain(Path root, Dataset train, DigitClassifier.Settings settings, long seed, IntConsumer progress,
            Consumer<String> notices) {
        Path dir = directory(root, train, settings, seed);
        AtomicFiles.restoreBackupIfMissing(dir);
        if (Files.exists(dir)) {
            String problem;
            try {
                problem = check(dir, train, settings, seed);
            } catch (ModelFormatException | UncheckedIOException | IllegalArgumentException e) {
                problem = String.valueOf(e.getMessage()).replace('\n', ' ');
            }
            if (problem == null) {
                return new Obtained(DigitClassifier.load(dir), false, dir);
            }
            if (notices != null) {
                notices.accept(dir + ": damaged classifier cache (" + problem + "); training it again");
            }
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": cannot create the classifier cache: " + e.getMessage(), e);
        }
        DigitClassifier c = DigitClassifier.train(train, settings, seed, progress);
        try {
            Path tmp = AtomicFiles.createTempDirectory(dir);
            c.save(tmp);
            AtomicFiles.replaceDirectory(tmp, dir);
            return new Obtained(c, true, dir);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Null if {@code dir} holds the classifier asked for, else what is wrong with it. */
    private static String check(Path dir, Dataset train, DigitClassifier.Settings settings, long seed) {
        if (!AtomicFiles.isComplete(dir)) {
            return "no " + AtomicFiles.COMPLETE_MARKER + " marker: an interrupted write";
        }
        try (DigitClassifier c = DigitClassifier.load(dir)) {
            DigitClassifier.Meta m = c.meta();
            if (!m.dataHash().equals(train.contentHash()) || !m.settings().equals(settings) || m.seed() != seed
                    || m.trainRecords() != train.size()) {
                return "it holds a classifier of other data or settings";
            }
        }
        return null;
    }

    private static String labelsHash(Dataset train) {
        if (!train.hasLabels()) {
            return "unlabelled";
        }
        int[] labels = train.labels();
        ByteBuffer b = ByteBuffer.allocate(labels.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(labels);
        return Checksums.sha256(b.array());
    }
}
