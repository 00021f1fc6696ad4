package org.vae4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.vae4j.io.ModelFormatException;
import org.vae4j.io.SafeTensors;
import org.vae4j.io.SafeTensors.DType;
import org.vae4j.io.SafeTensors.Tensor;

/**
 * Corrupted checkpoints read through {@link Checkpoints#read(Path)}: single bit flips anywhere (and, separately, in
 * the data section and in the header), random byte changes, truncation, inserted, deleted and trailing bytes, and
 * well-framed files whose metadata or tensor headers were edited without recomputing the checksum. Every case is
 * either rejected with a one-line {@link ModelFormatException} naming the file, or loads to exactly the checkpoint
 * that was written (same epoch, step count, history and tensors); a flip in the data section is always rejected as
 * a checksum mismatch. Nothing else may escape.
 */
class CheckpointPropertiesTest {

    static final int EPOCH = 3;
    static final long STEPS = 123;

    private static Path tmp;
    private static byte[] original;
    private static long headerEnd;
    private static Checkpoints.Loaded expected;

    @BeforeContainer
    static void writeCheckpoint() throws IOException {
        tmp = Files.createTempDirectory("vae4j-ckpt-prop");
        SplittableRandom r = new SplittableRandom(11);
        List<Tensor> tensors = new ArrayList<>();
        for (Object[] t : new Object[][] {
                {"encoder.fc1.weight", new long[] {6, 8}}, {"encoder.fc1.bias", new long[] {6}},
                {"encoder.head.weight", new long[] {4, 6}}, {"decoder.fc1.weight", new long[] {8, 2}},
                {"adam.m.encoder.fc1.weight", new long[] {6, 8}}, {"adam.v.encoder.fc1.weight", new long[] {6, 8}}}) {
            long[] shape = (long[]) t[1];
            float[] v = new float[(int) count(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextDouble() * 2 - 1);
            }
            tensors.add(Tensor.ofFloats((String) t[0], shape, v));
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (int e = 1; e <= EPOCH; e++) {
            history.add(new EpochMetrics(e, 200.0 / e + r.nextDouble(), 180.0 / e, 20 + r.nextDouble(), 190.0 / e,
                    170.0 / e, 21.5, 1.25, 0.5, 12345.6, Math.min(1.0, e / 2.0), e == 2 ? 1 : 0));
        }
        Path run = tmp.resolve("run");
        Path file = Checkpoints.write(run, EPOCH, STEPS, history, tensors, false);
        original = Files.readAllBytes(file);
        headerEnd = 8 + ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong();
        expected = Checkpoints.read(file);
        assertThat(expected.epoch()).isEqualTo(EPOCH);
        assertThat(expected.adamSteps()).isEqualTo(STEPS);
        assertThat(expected.history()).isEqualTo(history);
        assertThat(expected.tensors().values()).containsExactlyElementsOf(tensors);
    }

    @AfterContainer
    static void deleteTempDir() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A named corruption of the checkpoint bytes; {@code dataFlip} marks single bit flips in the data section. */
    record Corruption(String name, boolean dataFlip, UnaryOperator<byte[]> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Property(tries = 10000, shrinking = ShrinkingMode.OFF)
    @StatisticsReport(label = "problem", onFailureOnly = true)
    void everyCorruptionIsDetectedOrHarmless(@ForAll("corruptions") Corruption c) throws IOException {
        byte[] bytes = c.op().apply(original);
        Path file = tmp.resolve("epoch-0003.safetensors");
        Files.deleteIfExists(file);
        Files.write(file, bytes);

        Checkpoints.Loaded loaded = null;
        ModelFormatException rejection = null;
        try {
            loaded = Checkpoints.read(file);
        } catch (ModelFormatException e) {
            rejection = e;
        } catch (Throwable t) {
            fail("%s escaped for %s", t, c);
        }

        if (rejection == null) {
            // not detected: then it must be exactly the checkpoint that was written
            assertThat(Arrays.equals(bytes, original) || !c.dataFlip()).as("data flip not detected: %s", c).isTrue();
            assertThat(loaded.epoch()).as("epoch after %s", c).isEqualTo(EPOCH);
            assertThat(loaded.adamSteps()).as("adam steps after %s", c).isEqualTo(STEPS);
            assertThat(loaded.history()).as("history after %s", c).isEqualTo(expected.history());
            assertThat(loaded.tensors()).as("tensors after %s", c).isEqualTo(expected.tensors());
            Statistics.label("outcome").collect(Arrays.equals(bytes, original) ? "unchanged file" : "loaded, identical");
        } else {
            String m = rejection.getMessage();
            assertThat(m).as("%s", c)
                    .startsWith(file + ": ")
                    .doesNotContain("\n", "\r", "\tat ", "Caused by")
                    .doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f]")
                    .hasSizeLessThan(1000);
            if (c.dataFlip()) {
                assertThat(m).as("%s", c).endsWith(": checksum mismatch (corrupt or torn checkpoint)");
            }
            Statistics.label("outcome").collect("rejected");
            Statistics.label("problem").collect(m.substring(file.toString().length() + 2)
                    .replaceAll("'[^']*'", "'_'").replaceAll("\\(.*", "(...").replaceAll("\\d+", "N"));
        }
        Statistics.label("outcome").coverage(cov -> cov.check("rejected").percentage(p -> p > 90));
    }

    // ---------------------------------------------------------------------------------------------
    // Generators

    @Provide
    Arbitrary<Corruption> corruptions() {
        Arbitrary<Integer> bit = Arbitraries.integers().between(0, 7);
        Arbitrary<Double> f = Arbitraries.doubles().between(0, 1).withSpecialValue(0.0).withSpecialValue(0.9999);
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(f, bit).as((x, b) -> {
                    int i = Math.min(original.length - 1, (int) (x * original.length));
                    return new Corruption("bit flip at " + i + " bit " + b, i >= headerEnd, bytes -> flip(bytes, i, b));
                })),
                Tuple.of(3, Combinators.combine(f, bit).as((x, b) -> {
                    int i = (int) Math.min(original.length - 1, headerEnd + (long) (x * (original.length - headerEnd)));
                    return new Corruption("data bit flip at " + i + " bit " + b, true, bytes -> flip(bytes, i, b));
                })),
                Tuple.of(3, Combinators.combine(f, bit).as((x, b) -> {
                    int i = (int) Math.min(headerEnd - 1, (long) (x * headerEnd));
                    return new Corruption("header bit flip at " + i + " bit " + b, false, bytes -> flip(bytes, i, b));
                })),
                Tuple.of(1, f.list().ofMinSize(2).ofMaxSize(4)
                        .flatMap(xs -> Arbitraries.integers().between(1, 255).list().ofSize(xs.size())
                                .map(vs -> new Corruption("xor bytes at " + xs + " with " + vs, false, bytes -> {
                                    byte[] c = bytes.clone();
                                    for (int k = 0; k < xs.size(); k++) {
                                        c[Math.min(c.length - 1, (int) (xs.get(k) * c.length))] ^= vs.get(k).byteValue();
                                    }
                                    return c;
                                })))),
                Tuple.of(1, f.map(x -> new Corruption("truncate at " + (int) (x * original.length), false,
                        bytes -> Arrays.copyOf(bytes, (int) (x * bytes.length))))),
                Tuple.of(1, Combinators.combine(f, Arbitraries.bytes()).as((x, v) -> new Corruption("insert at "
                        + (int) (x * original.length), false, bytes -> insertAt(bytes, x, v)))),
                Tuple.of(1, f.map(x -> new Corruption("delete at " + (int) (x * original.length), false,
                        bytes -> deleteAt(bytes, x)))),
                Tuple.of(1, Arbitraries.integers().between(1, 16).map(n -> new Corruption(n + " trailing bytes", false,
                        bytes -> Arrays.copyOf(bytes, bytes.length + n)))),
                Tuple.of(3, reencoded()));
    }

    /** Well-framed files whose metadata or tensor headers differ from what the checksum was computed over. */
    static Arbitrary<Corruption> reencoded() {
        Arbitrary<String> key = Arbitraries.of("epoch", "adam_steps", "history", "format", "sha256");
        Arbitrary<UnaryOperator<String>> valueEdit = Arbitraries.oneOf(
                Arbitraries.of("0", "1", "2", "4", "-3", "3 ", "03", "", "x", "null", "[]", "2147483648",
                        "vae4j-checkpoint/1", "vae4j-checkpoint/2", "vae4j-checkpoint/9")
                        .map(v -> (UnaryOperator<String>) old -> v),
                Arbitraries.integers().between(0, 2000).map(i -> (UnaryOperator<String>) old ->
                        old.isEmpty() ? old : changeDigit(old, i)),
                Arbitraries.just((UnaryOperator<String>) old -> old.replaceFirst("\\[\\{", "[")));
        Arbitrary<Corruption> metadata = Combinators.combine(key, valueEdit).as((k, edit) ->
                new Corruption("metadata " + k + " edited", false, bytes -> {
                    SafeTensors.Contents c = SafeTensors.read(bytes, "x");
                    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
                    meta.put(k, edit.apply(meta.getOrDefault(k, "")));
                    return SafeTensors.toBytes(c.tensors().values(), meta);
                }));
        Arbitrary<Corruption> dropKey = key.map(k -> new Corruption("metadata " + k + " removed", false, bytes -> {
            SafeTensors.Contents c = SafeTensors.read(bytes, "x");
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            meta.remove(k);
            return SafeTensors.toBytes(c.tensors().values(), meta);
        }));
        Arbitrary<Integer> which = Arbitraries.integers().between(0, 5);
        Arbitrary<Corruption> tensorEdit = Combinators.combine(which, Arbitraries.of("rename", "reshape", "dtype I32",
                "dtype U32", "drop", "swap with next", "reverse order")).as((i, how) ->
                new Corruption("tensor " + i + " " + how, false, bytes -> {
                    SafeTensors.Contents c = SafeTensors.read(bytes, "x");
                    List<Tensor> ts = new ArrayList<>(c.tensors().values());
                    Tensor t = ts.get(i);
                    switch (how) {
                        case "rename" -> ts.set(i, new Tensor(t.name() + "x", t.dtype(), t.shape(), t.data()));
                        case "reshape" -> ts.set(i, new Tensor(t.name(), t.dtype(),
                                new long[] {count(t.shape())}, t.data()));
                        case "dtype I32" -> ts.set(i, new Tensor(t.name(), DType.I32, t.shape(), t.data()));
                        case "dtype U32" -> ts.set(i, new Tensor(t.name(), DType.U32, t.shape(), t.data()));
                        case "drop" -> ts.remove(i);
                        case "swap with next" -> ts.set(i, ts.set((i + 1) % ts.size(), t));
                        default -> java.util.Collections.reverse(ts);
                    }
                    return SafeTensors.toBytes(ts, c.metadata());
                }));
        return Arbitraries.frequencyOf(Tuple.of(5, metadata), Tuple.of(1, dropKey), Tuple.of(3, tensorEdit));
    }

    static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    static String changeDigit(String s, int i) {
        int[] digits = java.util.stream.IntStream.range(0, s.length()).filter(k -> Character.isDigit(s.charAt(k)))
                .toArray();
        if (digits.length == 0) {
            return s + "0";
        }
        int k = digits[i % digits.length];
        char d = s.charAt(k);
        char n = (char) ('0' + (d - '0' + 1 + i % 9) % 10);
        return s.substring(0, k) + n + s.substring(k + 1);
    }

    static byte[] flip(byte[] b, int i, int bit) {
        byte[] c = b.clone();
        c[i] ^= (byte) (1 << bit);
        return c;
    }

    static byte[] insertAt(byte[] b, double x, byte v) {
        int i = Math.min(b.length, (int) (x * b.length));
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, i);
        c[i] = v;
        System.arraycopy(b, i, c, i + 1, b.length - i);
        return c;
    }

    static byte[] deleteAt(byte[] b, double x) {
        int i = Math.min(b.length - 1, (int) (x * b.length));
        byte[] c = new byte[b.length - 1];
        System.arraycopy(b, 0, c, 0, i);
        System.arraycopy(b, i + 1, c, i, b.length - i - 1);
        return c;
    }
}
