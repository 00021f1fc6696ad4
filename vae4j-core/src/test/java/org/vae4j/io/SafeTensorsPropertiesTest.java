package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.vae4j.io.SafeTensors.Contents;
import org.vae4j.io.SafeTensors.DType;
import org.vae4j.io.SafeTensors.Tensor;

class SafeTensorsPropertiesTest {

  private static Path tmp;

  @BeforeContainer
  static void createTempDir() throws IOException {
    tmp = Files.createTempDirectory("vae4j-safetensors-prop");
  }

  @AfterContainer
  static void deleteTempDir() throws IOException {
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Generators

  static Arbitrary<String> names() {
    Arbitrary<String> plain =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars("._-0123456789")
            .ofMinLength(1)
            .ofMaxLength(12);
    Arbitrary<String> weird =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars("\n\t\u0000\u007f\u00e9\u2028\u4e2d")
            .ofMinLength(1)
            .ofMaxLength(8);
    Arbitrary<String> emoji = plain.map(s -> s + "\uD83D\uDE00");
    return Arbitraries.frequencyOf(Tuple.of(6, plain), Tuple.of(3, weird), Tuple.of(1, emoji))
        .filter(s -> !s.equals("__metadata__"));
  }

  @Provide
  static Arbitrary<Tensor> tensor() {
    Arbitrary<long[]> shapes = Arbitraries.longs().between(0, 4).array(long[].class).ofMaxSize(3);
    return Combinators.combine(names(), Arbitraries.of(DType.class), shapes)
        .flatAs(
            (name, dtype, shape) -> {
              int size = (int) (SafeTensors.countElements(shape) * dtype.byteSize());
              return Arbitraries.bytes()
                  .array(byte[].class)
                  .ofSize(size)
                  .map(bytes -> new Tensor(name, dtype, shape, ByteBuffer.wrap(bytes)));
            });
  }

  @Provide
  static Arbitrary<List<Tensor>> tensorLists() {
    return tensor().list().ofMaxSize(6).uniqueElements(Tensor::name);
  }

  @Provide
  static Arbitrary<Map<String, String>> metadata() {
    return Arbitraries.maps(names(), Arbitraries.strings().ofMaxLength(10).filter(s -> isText(s)))
        .ofMaxSize(3);
  }

  static boolean isText(String s) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(s);
  }

  @Provide
  static Arbitrary<byte[]> validFiles() {
    return Combinators.combine(tensorLists(), metadata()).as(SafeTensors::toBytes);
  }

  // ---------------------------------------------------------------------------------------------
  // Round trips

  @Property(tries = 1000)
  void bytesRoundTrip(
      @ForAll("tensorLists") List<Tensor> tensors, @ForAll("metadata") Map<String, String> meta) {
    byte[] bytes = SafeTensors.toBytes(tensors, meta);
    Contents c = SafeTensors.read(bytes, "rt");
    assertThat(c.tensors().values()).containsExactlyElementsOf(tensors);
    assertThat(c.metadata()).containsExactlyInAnyOrderEntriesOf(meta);
    assertThat(SafeTensors.toBytes(c.tensors().values(), c.metadata())).isEqualTo(bytes);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat((8 + headerLength) % 8).isZero();
  }

  @Property(tries = 100)
  void fileRoundTrip(
      @ForAll("tensorLists") List<Tensor> tensors, @ForAll("metadata") Map<String, String> meta)
      throws IOException {
    Path f = tmp.resolve("rt.safetensors");
    SafeTensors.write(f, tensors, meta);
    Contents c = SafeTensors.read(f);
    assertThat(c.tensors().values()).containsExactlyElementsOf(tensors);
    assertThat(c.metadata()).containsExactlyInAnyOrderEntriesOf(meta);
    assertThat(Files.readAllBytes(f)).isEqualTo(SafeTensors.toBytes(tensors, meta));
  }

  @Property(tries = 300)
  void floatValuesSurviveBitExactly(@ForAll @Size(max = 50) float[] values) {
    Tensor t = Tensor.ofFloats("f", new long[] {values.length}, values);
    Tensor back = SafeTensors.read(SafeTensors.toBytes(List.of(t), null), "f").tensors().get("f");
    float[] read = back.toFloatArray();
    for (int i = 0; i < values.length; i++) {
      assertThat(Float.floatToRawIntBits(read[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
    }
  }

  @Property(tries = 300)
  void longValuesSurvive(@ForAll @Size(max = 50) long[] values) {
    Tensor t = Tensor.ofLongs("l", new long[] {1, values.length}, values);
    Tensor back = SafeTensors.read(SafeTensors.toBytes(List.of(t), null), "l").tensors().get("l");
    assertThat(back.toLongArray()).containsExactly(values);
    assertThat(back.shape()).containsExactly(1, values.length);
  }

  // ---------------------------------------------------------------------------------------------
  // Hostile input

  /**
   * Every input either parses into contents that serialize and parse back identically, or is
   * rejected with a one-line ModelFormatException naming the source; anything else (another
   * exception type, OutOfMemoryError, a hang) fails the property.
   */
  @Property(tries = 10000, shrinking = ShrinkingMode.BOUNDED)
  @StatisticsReport(label = "problem", onFailureOnly = true)
  void hostileInputIsParsedOrRejectedCleanly(
      @ForAll("hostileInputs") Tuple.Tuple2<String, byte[]> generated) {
    byte[] input = generated.get2();
    Statistics.label("generator").collect(generated.get1());
    String outcome;
    try {
      Contents c = SafeTensors.read(input, "hostile.safetensors");
      byte[] again = SafeTensors.toBytes(c.tensors().values(), c.metadata());
      Contents c2 = SafeTensors.read(again, "again");
      assertThat(c2.tensors()).isEqualTo(c.tensors());
      assertThat(c2.metadata()).isEqualTo(c.metadata());
      outcome = "valid";
    } catch (ModelFormatException e) {
      assertThat(e.getMessage())
          .startsWith("hostile.safetensors: ")
          .doesNotContain("\n", "\r")
          .hasSizeLessThan(600)
          .doesNotContainPattern("[\\x00-\\x1f\\x7f\\u2028\\u2029]");
      assertThat(isText(e.getMessage())).as("well-formed UTF-16: %s", e.getMessage()).isTrue();
      outcome = "rejected";
      Statistics.label("problem").collect(problemKind(e.getMessage()));
    }
    Statistics.label("outcome").collect(outcome);
    Statistics.label("outcome")
        .coverage(
            coverage -> {
              coverage.check("valid").percentage(p -> p > 3.0);
              coverage.check("rejected").percentage(p -> p > 50.0);
            });
  }

  /** The kind of problem, for statistics: the message without source, names and numbers. */
  static String problemKind(String message) {
    String problem = message.substring(message.indexOf(": ") + 2);
    if (problem.startsWith("header is not valid JSON")) {
      return "header is not valid JSON";
    }
    return problem
        .replaceAll("'(?:[^'\\\\]|\\\\.)*'(\\.\\.\\.)?", "'_'")
        .replaceAll("\\[[^\\]]*[\\])]", "[_]")
        .replaceAll("(?<![A-Za-z0-9_-])-?\\d+", "N");
  }

  @Provide
  static Arbitrary<Tuple.Tuple2<String, byte[]>> hostileInputs() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, tagged("byte-mutated file", byteMutatedFiles())),
        Tuple.of(3, tagged("header-mutated file", headerMutatedFiles())),
        Tuple.of(3, tagged("random header", randomHeaderFiles())),
        Tuple.of(1, tagged("random bytes", Arbitraries.bytes().array(byte[].class).ofMaxSize(40))),
        Tuple.of(1, tagged("valid file", validFiles())));
  }

  static Arbitrary<Tuple.Tuple2<String, byte[]>> tagged(String kind, Arbitrary<byte[]> bytes) {
    return bytes.map(b -> Tuple.of(kind, b));
  }

  /** Valid files with bytes flipped, inserted, deleted, truncated or the length prefix replaced. */
  static Arbitrary<byte[]> byteMutatedFiles() {
    Arbitrary<UnaryOperator<byte[]>> mutation =
        Arbitraries.oneOf(
            Combinators.combine(fraction(), Arbitraries.integers().between(1, 255))
                .as((f, x) -> b -> xorAt(b, f, x)),
            fraction().map(f -> b -> Arrays.copyOf(b, (int) (f * b.length))),
            Combinators.combine(fraction(), Arbitraries.bytes())
                .as((f, x) -> b -> insertAt(b, f, x)),
            fraction().map(f -> b -> deleteAt(b, f)),
            lengthPrefixes().map(n -> b -> withLengthPrefix(b, n)),
            Arbitraries.integers().between(1, 16).map(n -> b -> Arrays.copyOf(b, b.length + n)));
    return Combinators.combine(validFiles(), mutation.list().ofMinSize(1).ofMaxSize(3))
        .as(
            (file, mutations) -> {
              byte[] b = file;
              for (UnaryOperator<byte[]> m : mutations) {
                b = m.apply(b);
              }
              return b;
            });
  }

  /**
   * Valid files whose header text is edited and re-prefixed with the right length, so that most
   * cases get past the length checks into JSON and semantic validation.
   */
  static Arbitrary<byte[]> headerMutatedFiles() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "{", "}", "[", "]", ",", ":", "\"", "-", ".", "e", "0", "1", "8", "9", "null", "true",
            "1.5", "-1", "99999999999999999999", "9223372036854775807", "\"F64\"", "\"X\"",
            "\"__metadata__\"", "\\u0000", "\\ud800", " ", "[]", "{}");
    Arbitrary<UnaryOperator<String>> edit =
        Arbitraries.oneOf(
            Combinators.combine(fraction(), tokens).as((f, t) -> s -> replaceAt(s, f, t)),
            Combinators.combine(fraction(), tokens).as((f, t) -> s -> insertAt(s, f, t)),
            fraction().map(f -> s -> replaceAt(s, f, "")),
            Combinators.combine(fraction(), Arbitraries.integers().between(0, 20))
                .as((f, d) -> s -> bumpNumber(s, f, d)));
    Arbitrary<Integer> dataDelta = Arbitraries.integers().between(-4, 4);
    return Combinators.combine(validFiles(), edit.list().ofMinSize(1).ofMaxSize(3), dataDelta)
        .as(
            (file, edits, delta) -> {
              ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
              int n = (int) b.getLong();
              String header = new String(file, 8, n, StandardCharsets.UTF_8);
              for (UnaryOperator<String> e : edits) {
                header = e.apply(header);
              }
              byte[] data = Arrays.copyOfRange(file, 8 + n, Math.max(8 + n, file.length + delta));
              return assemble(header, data);
            });
  }

  /** Structured but random headers: plausible and implausible dtypes, shapes, offsets, metadata. */
  static Arbitrary<byte[]> randomHeaderFiles() {
    Arbitrary<String> number =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.integers().between(0, 24).map(String::valueOf)),
            Tuple.of(
                2,
                Arbitraries.of(
                    "-1", "-0", "0.0", "1.5", "1e3", "1E400", "00", "9223372036854775807",
                    "9223372036854775808", "18446744073709551615", "4294967296",
                    "4611686018427387904", "2305843009213693952")));
    Arbitrary<String> junk =
        Arbitraries.of("null", "true", "{}", "[]", "\"x\"", "[[1]]", "{\"a\":1}", "1", "\"F32\"");
    Arbitrary<String> numberList =
        number.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
    Arbitrary<String> offsets =
        Arbitraries.frequencyOf(
            Tuple.of(
                6,
                Arbitraries.integers()
                    .between(0, 40)
                    .list()
                    .ofSize(2)
                    .map(l -> "[" + Math.min(l.get(0), l.get(1)) + "," + Math.max(l.get(0), l.get(1)) + "]")),
            Tuple.of(2, numberList),
            Tuple.of(1, junk));
    Arbitrary<String> dtype =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of(DType.class).map(d -> "\"" + d + "\"")),
            Tuple.of(2, Arbitraries.of("\"F4\"", "\"f32\"", "\"\"", "1", "null", "\"F6_E2M3\"")));
    Arbitrary<String> shape =
        Arbitraries.frequencyOf(Tuple.of(9, numberList), Tuple.of(1, junk));
    Arbitrary<String> field =
        Arbitraries.frequencyOf(
            Tuple.of(3, dtype.map(v -> "\"dtype\":" + v)),
            Tuple.of(3, shape.map(v -> "\"shape\":" + v)),
            Tuple.of(3, offsets.map(v -> "\"data_offsets\":" + v)),
            Tuple.of(1, junk.map(v -> "\"extra\":" + v)));
    Arbitrary<String> entryBody =
        Arbitraries.frequencyOf(
            Tuple.of(
                8,
                Combinators.combine(dtype, shape, offsets)
                    .as((d, s, o) -> "{\"dtype\":" + d + ",\"shape\":" + s + ",\"data_offsets\":" + o + "}")),
            Tuple.of(2, field.list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}")),
            Tuple.of(1, junk));
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.of("a", "b", "c", "w", "enc.fc1.weight", "", "\\n", "\\ud83d")),
            Tuple.of(1, Arbitraries.just("__metadata__")));
    Arbitrary<String> entry =
        Combinators.combine(name, entryBody).as((n, b) -> "\"" + n + "\":" + b);
    Arbitrary<String> metadataEntry =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.of("\"__metadata__\":{\"k\":\"v\"}", "\"__metadata__\":{}")),
            Tuple.of(
                1,
                Arbitraries.of(
                    "\"__metadata__\":{\"k\":1}", "\"__metadata__\":null", "\"__metadata__\":[]",
                    "\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}", "\"__metadata__\":\"x\"")));
    Arbitrary<String> header =
        Combinators.combine(
                metadataEntry.list().ofMaxSize(1),
                entry.list().ofMaxSize(4),
                Arbitraries.strings().withChars(' ').ofMaxLength(7))
            .as(
                (meta, entries, pad) ->
                    "{" + Stream.concat(meta.stream(), entries.stream()).collect(Collectors.joining(","))
                        + "}" + pad);
    return Combinators.combine(header, Arbitraries.integers().between(0, 48))
        .as((h, dataLength) -> assemble(h, new byte[dataLength]));
  }

  // ---------------------------------------------------------------------------------------------
  // Mutation helpers

  static Arbitrary<Double> fraction() {
    return Arbitraries.doubles().between(0, 1).withSpecialValue(0.0).withSpecialValue(0.9999);
  }

  static Arbitrary<Long> lengthPrefixes() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            0L, 1L, 7L, 8L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 100_000_000L, 100_000_001L,
            1L << 32),
        Arbitraries.longs().between(0, 200));
  }

  static byte[] assemble(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length)
        .put(h)
        .put(data)
        .array();
  }

  static int index(double fraction, int length) {
    return Math.min(length, (int) (fraction * length));
  }

  static byte[] xorAt(byte[] b, double f, int x) {
    if (b.length == 0) {
      return b;
    }
    byte[] c = b.clone();
    int i = Math.min(b.length - 1, index(f, b.length));
    c[i] ^= (byte) x;
    return c;
  }

  static byte[] insertAt(byte[] b, double f, byte x) {
    int i = index(f, b.length);
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
    int i = Math.min(b.length - 1, index(f, b.length));
    byte[] c = new byte[b.length - 1];
    System.arraycopy(b, 0, c, 0, i);
    System.arraycopy(b, i + 1, c, i, b.length - i - 1);
    return c;
  }

  static byte[] withLengthPrefix(byte[] b, long n) {
    byte[] c = b.length >= 8 ? b.clone() : Arrays.copyOf(b, 8);
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
    return c;
  }

  static String replaceAt(String s, double f, String t) {
    int i = Math.min(index(f, s.length()), Math.max(0, s.length() - 1));
    return s.substring(0, i) + t + s.substring(Math.min(s.length(), i + 1));
  }

  static String insertAt(String s, double f, String t) {
    int i = index(f, s.length());
    return s.substring(0, i) + t + s.substring(i);
  }

  /** Adds {@code delta} to the first number at or after the chosen position. */
  static String bumpNumber(String s, double f, int delta) {
    int i = index(f, s.length());
    while (i < s.length() && !Character.isDigit(s.charAt(i))) {
      i++;
    }
    int j = i;
    while (j < s.length() && Character.isDigit(s.charAt(j))) {
      j++;
    }
    if (i == j || j - i > 15) {
      return s;
    }
    long v = Long.parseLong(s.substring(i, j)) + delta;
    return s.substring(0, i) + v + s.substring(j);
  }
}
