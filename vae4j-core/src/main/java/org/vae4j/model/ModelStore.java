package org.vae4j.model;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vae4j.io.AtomicFiles;
import org.vae4j.io.Checksums;
import org.vae4j.io.FileKinds;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.SafeTensors;
import org.vae4j.util.Json;

/**
 * The saved-model directory: {@code config.json} (model + data-transform config, versioned),
 * {@code weights.safetensors} (named float32 tensors, readable from Python) and {@code provenance.json}.
 * Every file is written atomically. The weights' metadata carries the SHA-256 of the config they were saved with
 * ({@code config_sha256}), so a save interrupted between config.json and weights.safetensors cannot load as a
 * model made of one model's config and another's weights.
 */
public final class ModelStore {
    /** Config file name. */
    public static final String CONFIG = "config.json";
    /** Weights file name. */
    public static final String WEIGHTS = "weights.safetensors";
    /** Provenance file name. */
    public static final String PROVENANCE = "provenance.json";

    /** Weights metadata key: SHA-256 of the config (as {@link Json#write} writes it) the weights belong to. */
    static final String CONFIG_SHA256 = "config_sha256";

    /**
     * Weights metadata key: {@link Checksums#tensorDigest} of the tensors and the other metadata entries. Files saved
     * before it existed have none and still load (without the check).
     */
    static final String WEIGHTS_SHA256 = "sha256";

    /** Weights beyond those stored in the file that loading may allocate before comparing tensors (4 MB). */
    static final long ALLOCATION_SLACK = 1_000_000;

    private ModelStore() {}

    private static String configHash(ModelConfig config) {
        return Checksums.sha256(Json.write(config).getBytes(StandardCharsets.UTF_8));
    }

    private static String fileHash(Path f) {
        try {
            return Checksums.sha256(Files.readAllBytes(f));
        } catch (IOException e) {
            throw new ModelFormatException(f + ": cannot read: " + e.getMessage());
        }
    }

    /** Writes the three files into {@code dir} (created if needed), each atomically; weights before provenance. */
    public static void save(VaeModel model, Path dir, Provenance provenance) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create directory: " + e.getMessage(), e);
        }
        AtomicFiles.writeString(dir.resolve(CONFIG), Json.write(model.config()));
        // insertion-ordered, so the same model always gives the same bytes (Map.of's order varies between JVM runs)
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vae4j-weights/" + ModelConfig.FORMAT_VERSION);
        meta.put("model", model.config().model());
        meta.put(CONFIG_SHA256, configHash(model.config()));
        List<SafeTensors.Tensor> tensors = tensors(model.parameters());
        // a digest of the tensors and the metadata above, as checkpoints carry: a flipped bit is found on load
        meta.put(WEIGHTS_SHA256, Checksums.tensorDigest(meta, tensors));
        SafeTensors.write(dir.resolve(WEIGHTS), tensors, meta);
        if (provenance != null) {
            AtomicFiles.writeString(dir.resolve(PROVENANCE), Json.write(provenance));
        }
    }

    /** NDArrays as float32 safetensors entries, in order. */
    public static List<SafeTensors.Tensor> tensors(Map<String, NDArray> arrays) {
        List<SafeTensors.Tensor> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            out.add(SafeTensors.Tensor.ofFloats(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
        }
        return out;
    }

    /** Reads and validates {@code config.json}. */
    public static ModelConfig readConfig(Path dir) {
        Path f = dir.resolve(CONFIG);
        if (!Files.isDirectory(dir)) {
            String what = Files.isRegularFile(dir) ? "a file, not a model directory" : FileKinds.notRegular(dir);
            throw new ModelFormatException(dir + ": " + (what == null ? "no such model directory" : what));
        }
        if (!Files.isRegularFile(f)) {
            String what = FileKinds.notRegular(f);
            throw new ModelFormatException(f + ": " + (what == null ? "missing (not a vae4j model directory?)" : what));
        }
        try {
            return Json.readStrict(Files.readString(f, StandardCharsets.UTF_8), ModelConfig.class, f.toString());
        } catch (IOException e) {
            throw new ModelFormatException(f + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ModelFormatException(m.startsWith(f.toString()) ? m : f + ": " + m);
        }
    }

    /** Reads {@code provenance.json}, or null when absent. */
    public static Provenance readProvenance(Path dir) {
        Path f = dir.resolve(PROVENANCE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return Json.read(Files.readString(f, StandardCharsets.UTF_8), Provenance.class, f.toString());
        } catch (IOException e) {
            throw new ModelFormatException(f + ": unreadable provenance: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ModelFormatException(f + ": unreadable provenance: " + (m.startsWith(f + ": ") ? m.substring(f.toString().length() + 2) : m));
        }
    }

    /** Loads a model directory, checking every tensor name and shape against the config. */
    public static VaeModel load(Path dir) {
        ModelConfig config = readConfig(dir);
        Path wf = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(wf)) {
            String what = FileKinds.notRegular(wf);
            throw new ModelFormatException(wf + ": " + (what == null ? "missing" : what));
        }
        SafeTensors.Contents contents = SafeTensors.read(wf);
        verifyDigest(contents, wf);
        // refuse before building: a hostile config could otherwise make the engine allocate without bound
        long expected = VaeModel.parameterCount(config);
        long stored = 0;
        for (Map.Entry<String, SafeTensors.Tensor> e : contents.tensors().entrySet()) {
            if (!e.getKey().startsWith("adam.")) {
                stored += e.getValue().elementCount();
            }
        }
        // a config close to the file's size is built and then compared tensor by tensor (precise messages)
        if (expected > stored + ALLOCATION_SLACK) {
            throw new ModelFormatException(wf + ": holds " + stored + " weights but config.json describes a network of "
                    + (expected == Long.MAX_VALUE ? "an impossible number of" : Long.toString(expected)) + " (the file does not match config.json)");
        }
        VaeModel model = VaeModel.createForLoading(config);
        try {
            Map<String, float[]> values = matching(model.parameters(), contents.tensors(), wf);
            // names and shapes fit, but the config may still differ (activation, likelihood, ...); the key is absent
            // in models saved before it existed
            String savedWith = contents.metadata().get(CONFIG_SHA256);
            // the hash is of config.json as written, in whichever format version it was written
            if (savedWith != null && !savedWith.equals(fileHash(dir.resolve(CONFIG))) && !savedWith.equals(configHash(config))) {
                throw new ModelFormatException(wf + ": written for a different config.json (was a save interrupted?)");
            }
            requireFinite(values, wf);
            model.setParametersFrom(values);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Verifies the weights' digest where the file has one (files saved before digests existed have none): a flipped
     * bit in any tensor or in the metadata is refused in one line.
     */
    static void verifyDigest(SafeTensors.Contents contents, Path file) {
        String want = contents.metadata().get(WEIGHTS_SHA256);
        if (want != null && !want.equals(Checksums.tensorDigest(contents.metadata(), contents.tensors().values()))) {
            throw new ModelFormatException(file + ": checksum mismatch: the weights were damaged or edited after they were"
                    + " saved (the stored SHA-256 does not match the tensors)");
        }
    }

    /** Refuses weights holding NaN or infinite values, naming the first tensor that does and how many values. */
    static void requireFinite(Map<String, float[]> values, Path file) {
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            long bad = 0;
            for (float v : e.getValue()) {
                if (!Float.isFinite(v)) {
                    bad++;
                }
            }
            if (bad > 0) {
                throw new ModelFormatException(file + ": tensor '" + e.getKey() + "' holds " + bad + " NaN or infinite value"
                        + (bad == 1 ? "" : "s") + " of " + e.getValue().length + "; the model is unusable (retrain it or"
                        + " resume from an earlier checkpoint)");
            }
        }
    }

    /**
     * Checks that {@code stored} has exactly the expected names with matching shapes and float32 type.
     *
     * @return the values by name
     */
    public static Map<String, float[]> matching(Map<String, NDArray> expected, Map<String, SafeTensors.Tensor> stored, Path file) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : expected.entrySet()) {
            SafeTensors.Tensor t = stored.get(e.getKey());
            if (t == null) {
                throw new ModelFormatException(file + ": tensor '" + e.getKey() + "' missing (the file does not match config.json)");
            }
            long[] want = e.getValue().getShape().getShape();
            if (!Arrays.equals(want, t.shape())) {
                throw new ModelFormatException(file + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + " but config.json needs " + Arrays.toString(want));
            }
            if (t.dtype() != SafeTensors.DType.F32) {
                throw new ModelFormatException(file + ": tensor '" + e.getKey() + "' is " + t.dtype() + ", expected F32");
            }
            values.put(e.getKey(), t.toFloatArray());
        }
        for (String name : stored.keySet()) {
            if (!expected.containsKey(name) && !name.startsWith("adam.")) {
                throw new ModelFormatException(file + ": unexpected tensor '" + name + "' (the file does not match config.json)");
            }
        }
        return values;
    }
}
