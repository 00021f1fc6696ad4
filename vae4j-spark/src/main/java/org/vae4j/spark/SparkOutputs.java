package org.vae4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a DataFrame so that a failed job leaves nothing at the destination: Spark writes to a temporary directory
 * beside it, which is renamed to the destination only when every task has succeeded (and removed otherwise). For
 * paths on a file system the driver and the executors share (local, NFS); object stores have their own committers.
 */
public final class SparkOutputs {
    private SparkOutputs() {}

    /**
     * Writes {@code df} in {@code format} ({@code parquet}, {@code csv}, ...) to the directory {@code out}.
     *
     * @param force replace an existing {@code out}
     * @throws IllegalArgumentException when {@code out} exists and {@code force} is false
     */
    public static void save(Dataset<Row> df, String format, Path out, boolean force) {
        Path target = out.toAbsolutePath();
        if (Files.exists(target) && !force) {
            throw new IllegalArgumentException(target + ": already exists; use --force to replace it");
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            df.write().format(format).option("header", "true").save(tmp.toUri().toString());
            if (Files.exists(target)) {
                delete(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot commit the output: " + e.getMessage(), e);
        } finally {
            delete(tmp);
        }
    }

    private static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot remove: " + e.getMessage(), e);
        }
    }
}
