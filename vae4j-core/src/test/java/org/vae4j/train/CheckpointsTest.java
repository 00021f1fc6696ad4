package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.SafeTensors;
import org.vae4j.io.SafeTensors.Tensor;
import org.vae4j.util.Json;

/**
 * Checkpoint integrity, including the bug found by {@link CheckpointPropertiesTest}: the format-1 checksum covered
 * only tensor names, shapes and bytes, so a single flipped bit in the header could turn {@code "epoch":"3"} into
 * {@code "2"} (or change a step count or a metric in the history) and the damaged checkpoint loaded silently.
 */
class CheckpointsTest {
    static final List<Tensor> TENSORS = List.of(
            Tensor.ofFloats("encoder.fc1.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
            Tensor.ofFloats("adam.m.encoder.fc1.weight", new long[] {2, 3}, new float[] {0, 0.5f, 0, 0, 0, -1}));
    static final List<EpochMetrics> HISTORY = List.of(
            new EpochMetrics(1, 200.5, 180, 20.5, 190, 170, 20, 1.5, 0.25, 1000, 1, 0),
            new EpochMetrics(2, 150.25, 130, 20.25, 140, 120, 20, 1.5, 0.25, 1000, 1, 0),
            new EpochMetrics(3, 120.125, 100, 20.125, 110, 90, 20, 1.5, 0.25, 1000, 1, 0));

    static Path write(Path run) {
        return Checkpoints.write(run, 3, 120, HISTORY, TENSORS, false);
    }

    /** Replaces {@code from} by {@code to} (same byte length) in the file's header text. */
    static void patch(Path file, String from, String to) throws Exception {
        assertThat(to.length()).isEqualTo(from.length());
        byte[] b = Files.readAllBytes(file);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        assertThat(s).contains(from);
        Files.write(file, s.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void writesFormat2AndReadsItBack(@TempDir Path tmp) {
        Path f = write(tmp.resolve("run"));
        assertThat(SafeTensors.read(f).metadata()).containsEntry("format", "vae4j-checkpoint/2")
                .containsOnlyKeys("format", "epoch", "adam_steps", "history", "sha256");
        Checkpoints.Loaded c = Checkpoints.read(f);
        assertThat(c.epoch()).isEqualTo(3);
        assertThat(c.adamSteps()).isEqualTo(120);
        assertThat(c.history()).isEqualTo(HISTORY);
        assertThat(c.tensors().values()).containsExactlyElementsOf(TENSORS);
    }

    @Test
    void aChangedEpochStepCountOrHistoryValueIsAChecksumMismatch(@TempDir Path tmp) throws Exception {
        // each edit is a single bit flip: '3' (0x33) -> '2' (0x32), '1' (0x31) -> '0' (0x30), '5' (0x35) -> '4' (0x34)
        for (String[] edit : new String[][] {
                {"\"epoch\":\"3\"", "\"epoch\":\"2\""},
                {"\"adam_steps\":\"120\"", "\"adam_steps\":\"020\""},
                {"150.25", "140.25"}}) {
            Path f = write(tmp.resolve("run-" + edit[1].hashCode()));
            patch(f, edit[0], edit[1]);
            assertThatThrownBy(() -> Checkpoints.read(f)).as(edit[1])
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessage(f + ": checksum mismatch (corrupt or torn checkpoint)");
        }
    }

    @Test
    void aChangedDtypeIsAChecksumMismatch(@TempDir Path tmp) throws Exception {
        Path f = write(tmp.resolve("run"));
        patch(f, "\"dtype\":\"F32\"", "\"dtype\":\"I32\"");
        assertThatThrownBy(() -> Checkpoints.read(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageEndingWith("checksum mismatch (corrupt or torn checkpoint)");
    }

    @Test
    void format1CheckpointsAreStillReadButAFormat2FileRelabelledAsFormat1IsNot(@TempDir Path tmp) throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vae4j-checkpoint/1");
        meta.put("epoch", "3");
        meta.put("adam_steps", "120");
        meta.put("history", Json.text(HISTORY));
        meta.put("sha256", Checkpoints.digest(TENSORS));
        Path old = tmp.resolve("epoch-0003.safetensors");
        SafeTensors.write(old, TENSORS, meta);
        Checkpoints.Loaded c = Checkpoints.read(old);
        assertThat(c.epoch()).isEqualTo(3);
        assertThat(c.history()).isEqualTo(HISTORY);
        assertThat(c.tensors().values()).containsExactlyElementsOf(TENSORS);

        Path f = write(tmp.resolve("run"));
        patch(f, "vae4j-checkpoint/2", "vae4j-checkpoint/1");
        assertThatThrownBy(() -> Checkpoints.read(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageEndingWith("checksum mismatch (corrupt or torn checkpoint)");
    }

    @Test
    void otherFormatsAreRefused(@TempDir Path tmp) {
        Path f = tmp.resolve("x.safetensors");
        SafeTensors.write(f, TENSORS, Map.of("format", "vae4j-weights/1"));
        assertThatThrownBy(() -> Checkpoints.read(f)).isInstanceOf(ModelFormatException.class)
                .hasMessage(f + ": not a vae4j checkpoint (format vae4j-weights/1)");
    }
}
