package org.vae4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.SafeTensors;
import org.vae4j.util.Json;

/**
 * Checkpoint files {@code checkpoints/epoch-NNNN.safetensors} (weights, Adam moments; epoch, step count and metric
 * history in the metadata, plus a SHA-256 of all tensors and all other metadata so a torn or corrupted file is
 * detected) and {@code checkpoints/best.safetensors}. The two newest epoch checkpoints are kept, so a damaged newest
 * one falls back to the previous.
 *
 * <p>Format 1 checkpoints (written before format 2) are still read; their checksum covers only the tensor names,
 * shapes and bytes, so damage to their epoch, step count or history goes unnoticed.
 */
public final class Checkpoints {
    /** Directory inside a run. */
    public static final String DIR = "checkpoints";
    /** Format tag. Format 2's checksum also covers dtypes and the metadata (epoch, steps, history, format). */
    public static final String FORMAT = "vae4j-checkpoint/2";
    /** Format tag of checkpoints whose checksum covers tensor names, shapes and bytes only; still readable. */
    static final String FORMAT_1 = "vae4j-checkpoint/1";

    private Checkpoints() {}

    /**
     * A loaded checkpoint.
     *
     * @param file source file
     * @param epoch epochs completed
     * @param adamSteps optimiser steps taken
     * @param history metrics so far
     * @param tensors weights and optimiser state
     */
    public record Loaded(Path file, int epoch, long adamSteps, List<EpochMetrics> history, Map<String, SafeTensors.Tensor> tensors) {}

    /** Writes an epoch checkpoint atomically, then deletes all but the two newest. */
    public static Path write(Path runDir, int epoch, long adamSteps, List<EpochMetrics> history,
            Collection<SafeTensors.Tensor> tensors, boolean best) {
        Path dir = runDir.resolve(DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create: " + e.getMessage(), e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("epoch", Integer.toString(epoch));
        meta.put("adam_steps", Long.toString(adamSteps));
        meta.put("history", Json.text(history));
        meta.put("sha256", digest(meta, tensors));
        Path file = dir.resolve(String.format("epoch-%04d.safetensors", epoch));
        SafeTensors.write(file, tensors, meta);
        if (best) {
            SafeTensors.write(dir.resolve("best.safetensors"), tensors, meta);
        }
        List<Path> all = epochFiles(dir);
        for (int i = 0; i + 2 < all.size(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                // an old checkpoint left behind costs disk space only
            }
        }
        return file;
    }

    /** Epoch checkpoint files, oldest first. */
    static List<Path> epochFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "epoch-*.safetensors")) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /**
     * The newest checkpoint that reads and verifies; damaged newer ones are reported through {@code warnings}.
     *
     * @return the checkpoint, or null when the run has none
     */
    public static Loaded latest(Path runDir, java.util.function.Consumer<String> warnings) {
        List<Path> files = epochFiles(runDir.resolve(DIR));
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                return read(files.get(i));
            } catch (ModelFormatException e) {
                warnings.accept(e.getMessage() + "; falling back to the previous checkpoint");
            }
        }
        return null;
    }

    /**
     * Whether a run has finished {@code epochs} epochs: its newest good checkpoint has at least that many, and the
     * final files were written after it (the model, its provenance, and metrics.csv up to that epoch). A run that
     * stopped between its last checkpoint and its final files is not complete: resuming it writes them.
     *
     * @return the epochs done when the run is complete, else -1
     */
    public static int completedEpochs(Path runDir, int epochs) {
        Loaded last = latest(runDir, w -> { });
        if (last == null || last.epoch() < epochs) {
            return -1;
        }
        for (String f : List.of("config.json", "weights.safetensors", "provenance.json", "metrics.csv")) {
            if (!Files.isRegularFile(runDir.resolve(f))) {
                return -1;
            }
        }
        try {
            List<EpochMetrics> rows = EpochMetrics.readCsv(runDir.resolve("metrics.csv"));
            return !rows.isEmpty() && rows.get(rows.size() - 1).epoch() == last.epoch() ? last.epoch() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Reads and verifies one checkpoint file. */
    public static Loaded read(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        String format = meta.get("format");
        if (!FORMAT.equals(format) && !FORMAT_1.equals(format)) {
            throw new ModelFormatException(file + ": not a vae4j checkpoint (format " + format + ")");
        }
        String want = meta.get("sha256");
        String got = FORMAT.equals(format) ? digest(meta, c.tensors().values()) : digest(c.tensors().values());
        if (!got.equals(want)) {
            throw new ModelFormatException(file + ": checksum mismatch (corrupt or torn checkpoint)");
        }
        try {
            int epoch = Integer.parseInt(meta.get("epoch"));
            long steps = Long.parseLong(meta.get("adam_steps"));
            List<EpochMetrics> history = Json.readList(meta.get("history"), EpochMetrics.class, "history");
            return new Loaded(file, epoch, steps, history, c.tensors());
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": bad checkpoint metadata: " + e.getMessage());
        }
    }

    /**
     * Format 2 checksum: SHA-256 over every metadata entry but {@code sha256} (sorted by key) and every tensor's name,
     * dtype, shape and bytes, in order; strings and byte runs are length-prefixed so no two contents collide.
     */
    static String digest(Map<String, String> metadata, Collection<SafeTensors.Tensor> tensors) {
        return org.vae4j.io.Checksums.tensorDigest(metadata, tensors);
    }

    /** Format 1 checksum: SHA-256 over every tensor's name, shape and bytes, in order. */
    static String digest(Collection<SafeTensors.Tensor> tensors) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (SafeTensors.Tensor t : tensors) {
                md.update(t.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (long s : t.shape()) {
                    md.update(ByteBuffer.allocate(8).putLong(s).array());
                }
                md.update(t.data().duplicate());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
