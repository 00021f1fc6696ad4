package org.vae4j.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.SafeTensors;

/**
 * Issue 15: {@code weights.safetensors} carried no checksum, so random bit flips loaded silently, and NaN or infinite
 * weights loaded and evaluated to NaN. Saved weights now carry a digest of their tensors and metadata (the one
 * checkpoints carry), verified on load; non-finite weights are refused; files without a digest still load.
 */
class WeightsIntegrityTest {
    static final ModelConfig CONFIG = ModelConfig.vae(List.of(1, 8, 8), 3, ArchConfig.mlp(16), "bernoulli", 1.0);

    static Path saved(Path dir) {
        try (VaeModel m = VaeModel.create(CONFIG, 5)) {
            ModelStore.save(m, dir, null);
        }
        return dir.resolve(ModelStore.WEIGHTS);
    }

    /** Offset of the first data byte (after the 8-byte length and the header). */
    static long dataStart(Path weights) throws Exception {
        byte[] b = Files.readAllBytes(weights);
        return 8 + ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void savedWeightsCarryADigestOfTensorsAndMetadata(@TempDir Path tmp) {
        Path w = saved(tmp.resolve("m"));
        SafeTensors.Contents c = SafeTensors.read(w);
        assertThat(c.metadata()).containsKeys("format", "model", "config_sha256", "sha256");
        assertThat(c.metadata().get("sha256")).hasSize(64)
                .isEqualTo(org.vae4j.io.Checksums.tensorDigest(c.metadata(), c.tensors().values()));
        try (VaeModel back = ModelStore.load(tmp.resolve("m"))) {
            assertThat(back.parameterCount()).isEqualTo(VaeModel.parameterCount(CONFIG));
        }
    }

    @Test
    void everySingleBitFlipInTheDataIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        Path w = saved(dir);
        byte[] original = Files.readAllBytes(w);
        long start = dataStart(w);
        SplittableRandom r = new SplittableRandom(12);
        for (int trial = 0; trial < 12; trial++) {
            byte[] b = original.clone();
            int at = (int) (start + r.nextLong(b.length - start));
            b[at] ^= (byte) (1 << r.nextInt(8));
            Files.write(w, b);
            assertThatThrownBy(() -> ModelStore.load(dir)).as("bit flip at byte %d", at)
                    .isInstanceOf(ModelFormatException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith(w + ": "))
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("checksum mismatch", "NaN or infinite"));
        }
        Files.write(w, original);
        ModelStore.load(dir).close();
    }

    @Test
    void aFlippedBitInTheMetadataIsRefusedToo(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        Path w = saved(dir);
        byte[] b = Files.readAllBytes(w);
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("vae4j-weights/");
        b[at] ^= 0x01; // 'v' -> 'w'
        Files.write(w, b);
        assertThatThrownBy(() -> ModelStore.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(w + ": checksum mismatch");
    }

    @Test
    void nonFiniteWeightsAreRefusedWithOneLineEvenWithAMatchingDigest(@TempDir Path tmp) throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Path dir = tmp.resolve("m" + Float.floatToIntBits(bad));
            try (VaeModel m = VaeModel.create(CONFIG, 5)) {
                Map<String, float[]> values = new LinkedHashMap<>();
                m.parameters().forEach((k, v) -> values.put(k, v.toFloatArray()));
                String name = values.keySet().iterator().next();
                values.get(name)[3] = bad;
                m.setParametersFrom(values);
                ModelStore.save(m, dir, null); // a diverged run saved: the digest is right, the values are not
            }
            Path w = dir.resolve(ModelStore.WEIGHTS);
            assertThatThrownBy(() -> ModelStore.load(dir)).isInstanceOf(ModelFormatException.class)
                    .hasMessageStartingWith(w + ": tensor '")
                    .hasMessageContaining("holds 1 NaN or infinite value of ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void weightsWithoutADigestStillLoadButNonFiniteOnesDoNot(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        Path w = saved(dir);
        SafeTensors.Contents c = SafeTensors.read(w);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.remove("sha256");
        SafeTensors.write(w, new ArrayList<>(c.tensors().values()), meta);
        try (VaeModel m = ModelStore.load(dir)) {
            assertThat(m.parameterCount()).isPositive();
        }
        // an old-style file with a NaN: no digest to check, but the values are
        List<SafeTensors.Tensor> tensors = new ArrayList<>();
        boolean first = true;
        for (SafeTensors.Tensor t : c.tensors().values()) {
            float[] v = t.toFloatArray();
            if (first) {
                v[0] = Float.NaN;
                first = false;
            }
            tensors.add(SafeTensors.Tensor.ofFloats(t.name(), t.shape(), v));
        }
        SafeTensors.write(w, tensors, meta);
        assertThatThrownBy(() -> ModelStore.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("NaN or infinite");
    }

    @Test
    void weightsThatAreADeviceOrALinkLoopAreCalledWhatTheyAre(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("m");
        Path w = saved(dir);
        Files.delete(w);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        Files.createSymbolicLink(w, Path.of("/dev/zero"));
        assertThatThrownBy(() -> ModelStore.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(w + ": a character device, not a regular file (a symbolic link to /dev/zero)");
        Files.delete(w);
        Files.createSymbolicLink(w, w);
        assertThatThrownBy(() -> ModelStore.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(w + ": a symbolic link loop (the link leads back to " + w + ")");
        Files.delete(w);
        assertThatThrownBy(() -> ModelStore.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(w + ": missing");
        Files.createDirectory(w);
        assertThatThrownBy(() -> ModelStore.load(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(w + ": a directory, not a file");
    }
}
