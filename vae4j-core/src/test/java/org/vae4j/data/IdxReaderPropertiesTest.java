package org.vae4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
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

/**
 * Hostile IDX files: valid image and label files, plain or gzip, mutated (bad magic, truncation, lying or absurd
 * dimensions, trailing bytes, flipped/inserted/deleted bytes, random bytes, corrupt gzip streams). Every case must
 * either parse to exactly what an independent decoder says the file holds, or be rejected with a one-line
 * {@link DataException} naming the file; nothing else may escape, and a lying header must not make the reader
 * allocate memory it has not seen data for.
 */
class IdxReaderPropertiesTest {

    /** Allocation allowed per read beyond what the content itself needs (gzip buffers, the 1 Mi-value first chunk). */
    private static final long ALLOCATION_SLACK = 32L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static Path tmp;

    @BeforeContainer
    static void createTempDir() throws IOException {
        tmp = Files.createTempDirectory("vae4j-idx-prop");
    }

    @AfterContainer
    static void deleteTempDir() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A named byte-level edit, so that a failing case can be described. */
    record Mutation(String name, UnaryOperator<byte[]> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * One generated case.
     *
     * @param images whether the file starts as an image file (else labels)
     * @param readImages which reader is called (usually the matching one)
     * @param gzip whether the (mutated) content is gzip-compressed before the stream mutations
     * @param rawMutations edits of the uncompressed bytes
     * @param streamMutations edits of the compressed bytes (gzip only)
     * @param bytes the final file bytes
     */
    record Case(boolean images, boolean readImages, boolean gzip, List<Mutation> rawMutations,
            List<Mutation> streamMutations, byte[] bytes) {
        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 48));
            return (images ? "images" : "labels") + " file read as " + (readImages ? "images" : "labels")
                    + (gzip ? ", gzip" : ", plain") + ", raw mutations " + rawMutations
                    + (gzip ? ", stream mutations " + streamMutations : "") + ", " + bytes.length + " bytes: " + hex
                    + (bytes.length > 48 ? "..." : "");
        }
    }

    @Property(tries = 10000, shrinking = ShrinkingMode.OFF)
    @StatisticsReport(label = "problem", onFailureOnly = true)
    void everyFileIsReadExactlyOrRejectedWithAOneLineMessage(@ForAll("cases") Case c) throws IOException {
        Path file = tmp.resolve("case-" + (c.readImages() ? "images" : "labels") + "-idx-ubyte");
        // a new file each time: rewriting a truncated file makes ext4 flush it on close (auto_da_alloc)
        Files.deleteIfExists(file);
        Files.write(file, c.bytes());
        Expected expected = oracle(c.bytes(), c.readImages());

        Object result = null;
        DataException rejection = null;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        int[] shape = new int[3];
        try {
            result = c.readImages() ? IdxReader.readImages(file, shape) : IdxReader.readLabels(file);
        } catch (DataException e) {
            rejection = e;
        } catch (Throwable t) {
            fail("%s escaped for %s", t, c);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long contentBytes = expected.content == null ? c.bytes().length : expected.content.length;
        assertThat(allocated)
                .as("bytes allocated reading %s", c)
                .isLessThan(ALLOCATION_SLACK + 8L * Math.max(contentBytes, c.bytes().length));

        if (expected.valid()) {
            assertThat(rejection).as("valid file rejected: %s", c).isNull();
            if (c.readImages()) {
                assertThat(shape).as("%s", c).containsExactly(expected.dims);
                assertThat((float[]) result).as("%s", c).containsExactly(expected.pixels());
            } else {
                assertThat((int[]) result).as("%s", c).containsExactly(expected.labels());
            }
            Statistics.label("outcome").collect("parsed");
        } else {
            assertThat(rejection).as("invalid file (%s) accepted: %s", expected.problem, c).isNotNull();
            String m = rejection.getMessage();
            assertThat(m).as("%s", c)
                    .startsWith(file + ": ")
                    .doesNotContain("\n", "\r", "\tat ", "Exception:", "Error:")
                    .hasSizeLessThan(400);
            Statistics.label("problem").collect(m.substring(file.toString().length() + 2)
                    .replaceAll("0x[0-9A-F]+", "0xH").replaceAll("\\d+", "N")
                    .replaceAll("\\(.*", ""));
            Statistics.label("outcome").collect("rejected");
        }
        Statistics.label("outcome").coverage(cov -> {
            cov.check("parsed").percentage(p -> p > 5);
            cov.check("rejected").percentage(p -> p > 50);
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Independent decoder

    /**
     * What the file holds: the dims and content when it is a well-formed IDX file of the kind asked for, else the
     * reason it is not.
     */
    record Expected(int[] dims, byte[] content, String problem) {
        boolean valid() {
            return problem == null;
        }

        float[] pixels() {
            float[] f = new float[content.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (content[i] & 0xff) / 255f;
            }
            return f;
        }

        int[] labels() {
            int[] l = new int[content.length];
            for (int i = 0; i < l.length; i++) {
                l[i] = content[i] & 0xff;
            }
            return l;
        }
    }

    static Expected oracle(byte[] file, boolean images) {
        byte[] raw = file;
        if (file.length >= 2 && (file[0] & 0xff) == 0x1f && (file[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
                raw = in.readAllBytes();
            } catch (IOException e) {
                return new Expected(null, null, "bad gzip: " + e.getMessage());
            }
        }
        int ndims = images ? 3 : 1;
        int magic = images ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC;
        if (raw.length < 4 + 4 * ndims) {
            return new Expected(null, raw, "short header");
        }
        ByteBuffer b = ByteBuffer.wrap(raw);
        if (b.getInt() != magic) {
            return new Expected(null, raw, "magic");
        }
        int[] dims = new int[ndims];
        long total = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = b.getInt();
            int max = i == 0 ? IdxReader.MAX_COUNT : IdxReader.MAX_SIDE;
            if (dims[i] < 1 || dims[i] > max) {
                return new Expected(null, raw, "dimension out of range");
            }
            total *= dims[i];
        }
        if (b.remaining() != total) {
            return new Expected(null, raw, "length " + b.remaining() + " != " + total);
        }
        return new Expected(dims, Arrays.copyOfRange(raw, 4 + 4 * ndims, raw.length), null);
    }

    // ---------------------------------------------------------------------------------------------
    // Generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Boolean> images = Arbitraries.of(true, true, false);
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 12);
        Arbitrary<Integer> side = Arbitraries.integers().between(1, 6);
        Arbitrary<List<Mutation>> rawMutations = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(List.<Mutation>of())),
                Tuple.of(8, rawMutation().list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<List<Mutation>> streamMutations = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(List.<Mutation>of())),
                Tuple.of(5, streamMutation().list().ofMinSize(1).ofMaxSize(2)));
        Arbitrary<Boolean> gzip = Arbitraries.of(false, false, false, true, true);
        Arbitrary<Boolean> swapReader = Arbitraries.of(false, false, false, false, false, false, false, false, false,
                true);
        Arbitrary<Long> seed = Arbitraries.longs();
        return Combinators.combine(images, count, side, side, rawMutations, gzip, streamMutations, swapReader)
                .flatAs((img, n, rows, cols, raw, gz, stream, swap) -> seed.map(s -> {
                    byte[] payload = new byte[img ? n * rows * cols : n];
                    new java.util.SplittableRandom(s).nextBytes(payload);
                    byte[] bytes = img ? IdxWriter.images(n, rows, cols, payload) : IdxWriter.labels(payload);
                    for (Mutation m : raw) {
                        bytes = m.op().apply(bytes);
                    }
                    List<Mutation> applied = List.of();
                    if (gz) {
                        bytes = IdxWriter.gzip(bytes);
                        for (Mutation m : stream) {
                            bytes = m.op().apply(bytes);
                        }
                        applied = stream;
                    }
                    return new Case(img, img != swap, gz, raw, applied, bytes);
                }));
    }

    static Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1).withSpecialValue(0.0).withSpecialValue(0.9999);
    }

    static Arbitrary<Integer> dimensionValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(0, -1, 1, 2, IdxReader.MAX_COUNT, IdxReader.MAX_COUNT + 1,
                        IdxReader.MAX_SIDE, IdxReader.MAX_SIDE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65_536,
                        1 << 24, 60_000, 28, 13)),
                Tuple.of(3, Arbitraries.integers().between(0, 64)),
                Tuple.of(1, Arbitraries.integers()));
    }

    static Arbitrary<Mutation> rawMutation() {
        Arbitrary<Integer> magic = Arbitraries.oneOf(
                Arbitraries.of(0, -1, IdxReader.IMAGES_MAGIC, IdxReader.LABELS_MAGIC, 0x00000802, 0x00000C03,
                        0x00000D01, 0x00000903, 0x00080003, 0x03080000, 0x1f8b0803, 0x00000800, 0x000008FF),
                Arbitraries.integers());
        return Arbitraries.frequencyOf(
                Tuple.of(2, magic.map(m -> new Mutation(String.format("magic=0x%08X", m), b -> putInt(b, 0, m)))),
                Tuple.of(4, Combinators.combine(Arbitraries.integers().between(0, 2), dimensionValues())
                        .as((i, v) -> new Mutation("dim" + i + "=" + v, b -> putInt(b, 4 + 4 * i, v)))),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers()
                        .between(-3, 3)).as((i, d) -> new Mutation("dim" + i + (d >= 0 ? "+" : "") + d,
                                b -> addInt(b, 4 + 4 * i, d)))),
                Tuple.of(3, fraction().map(f -> new Mutation("truncate@" + fmt(f), b -> Arrays.copyOf(b,
                        (int) (f * b.length))))),
                Tuple.of(2, Arbitraries.integers().between(1, 9).map(k -> new Mutation("trailing+" + k,
                        b -> Arrays.copyOf(b, b.length + k)))),
                Tuple.of(2, Combinators.combine(fraction(), Arbitraries.integers().between(1, 255))
                        .as((f, x) -> new Mutation("xor@" + fmt(f) + "^" + x, b -> xorAt(b, f, x)))),
                Tuple.of(1, Combinators.combine(fraction(), Arbitraries.bytes())
                        .as((f, x) -> new Mutation("insert@" + fmt(f), b -> insertAt(b, f, x)))),
                Tuple.of(1, fraction().map(f -> new Mutation("delete@" + fmt(f), b -> deleteAt(b, f)))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)
                        .map(r -> new Mutation("random " + r.length + " bytes", b -> r.clone()))),
                Tuple.of(1, Arbitraries.just(new Mutation("empty", b -> new byte[0]))));
    }

    static Arbitrary<Mutation> streamMutation() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, fraction().map(f -> new Mutation("gz-truncate@" + fmt(f), b -> Arrays.copyOf(b,
                        (int) (f * b.length))))),
                Tuple.of(3, Combinators.combine(fraction(), Arbitraries.integers().between(0, 7))
                        .as((f, bit) -> new Mutation("gz-bitflip@" + fmt(f) + "#" + bit,
                                b -> xorAt(b, f, 1 << bit)))),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(2, 9), Arbitraries.integers()
                        .between(0, 7)).as((i, bit) -> new Mutation("gz-header-bitflip@" + i + "#" + bit,
                                b -> xorAt(b, (double) i / b.length, 1 << bit)))),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12)
                        .map(t -> new Mutation("gz-trailing " + HexFormat.of().formatHex(t), b -> concat(b, t)))),
                Tuple.of(1, Arbitraries.just(new Mutation("gz-twice", b -> IdxWriter.gzip(b)))),
                Tuple.of(1, Arbitraries.just(new Mutation("gz-concatenated-member", b -> concat(b, b)))));
    }

    static String fmt(double f) {
        return String.format(java.util.Locale.ROOT, "%.3f", f);
    }

    static byte[] putInt(byte[] b, int off, int v) {
        if (b.length < off + 4) {
            return b;
        }
        byte[] c = b.clone();
        ByteBuffer.wrap(c).putInt(off, v);
        return c;
    }

    static byte[] addInt(byte[] b, int off, int d) {
        if (b.length < off + 4) {
            return b;
        }
        return putInt(b, off, ByteBuffer.wrap(b).getInt(off) + d);
    }

    static byte[] xorAt(byte[] b, double f, int x) {
        if (b.length == 0) {
            return b;
        }
        byte[] c = b.clone();
        c[Math.min(b.length - 1, (int) (f * b.length))] ^= (byte) x;
        return c;
    }

    static byte[] insertAt(byte[] b, double f, byte x) {
        int i = Math.min(b.length, (int) (f * b.length));
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, i);
        c[i] = x;
        System.arraycopy(b, i, c, i + 1, b.length - i);
        return c;
    }

    static byte[] deleteAt(byte[] b, double f) {
        if (b.length == 0) {
            return b;
        }
        int i = Math.min(b.length - 1, (int) (f * b.length));
        byte[] c = new byte[b.length - 1];
        System.arraycopy(b, 0, c, 0, i);
        System.arraycopy(b, i + 1, c, i, b.length - i - 1);
        return c;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
