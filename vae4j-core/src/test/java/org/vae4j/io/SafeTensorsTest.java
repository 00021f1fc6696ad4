package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vae4j.io.SafeTensors.Contents;
import org.vae4j.io.SafeTensors.DType;
import org.vae4j.io.SafeTensors.Tensor;

class SafeTensorsTest {

  @TempDir Path dir;

  /** Builds a file from a header string (padded to 8 bytes) and data bytes. */
  static byte[] file(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + dataBytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length)
        .put(h)
        .array();
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes) {
    return assertThatThrownBy(() -> SafeTensors.read(bytes, "weights.safetensors"))
        .isInstanceOf(ModelFormatException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"))
        .hasMessageStartingWith("weights.safetensors: ");
  }

  static String entry(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
        + ",\"data_offsets\":[" + begin + "," + end + "]}";
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  @Test
  void smallExampleIsByteExact() {
    // Hand-computed (and checked with Python's safetensors 0.8.0): 138-byte JSON padded to 144.
    byte[] bytes =
        SafeTensors.toBytes(
            List.of(
                Tensor.ofFloats("a", new long[] {2}, new float[] {1.0f, -2.0f}),
                Tensor.ofLongs("b", new long[] {}, new long[] {7})),
            Map.of("format", "pt"));
    String json =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
    assertThat(json).hasSize(138);
    String expectedHex =
        "9000000000000000"
            + HexFormat.of().formatHex(json.getBytes(StandardCharsets.US_ASCII))
            + "202020202020" // 6 spaces of padding: 8 + 144 is a multiple of 8
            + "0000803f" + "000000c0" // 1.0f, -2.0f little-endian
            + "0700000000000000"; // 7L little-endian
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expectedHex);
    assertThat(bytes).hasSize(168);
  }

  @Test
  void emptyFileHasPaddedEmptyObject() {
    byte[] bytes = SafeTensors.toBytes(List.of(), null);
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0800000000000000" + "7b7d202020202020");
    Contents c = SafeTensors.read(bytes, "empty");
    assertThat(c.tensors()).isEmpty();
    assertThat(c.metadata()).isEmpty();
  }

  @Test
  void fileRoundTripKeepsOrderMetadataAndAllDtypes() throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("z-first", "1");
    meta.put("a \"quoted\"\n", "ünïcödé ✓ \u0001");
    List<Tensor> tensors =
        Stream.of(DType.values())
            .map(
                t -> {
                  byte[] data = new byte[6 * t.byteSize()];
                  for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i * 37 + t.ordinal());
                  }
                  return new Tensor("t." + t, t, new long[] {2, 3}, ByteBuffer.wrap(data));
                })
            .toList();
    Path f = dir.resolve("all.safetensors");
    SafeTensors.write(f, tensors, meta);

    Contents c = SafeTensors.read(f);
    assertThat(c.tensors().values()).containsExactlyElementsOf(tensors);
    assertThat(c.tensors().keySet()).containsExactlyElementsOf(tensors.stream().map(Tensor::name).toList());
    assertThat(c.metadata()).containsExactlyEntriesOf(meta);
    assertThat(Files.readAllBytes(f)).isEqualTo(SafeTensors.toBytes(tensors, meta));
    long headerLength =
        ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
  }

  @Test
  void zeroSizedAndScalarTensors() {
    List<Tensor> tensors =
        List.of(
            Tensor.ofFloats("empty", new long[] {0, 5}, new float[0]),
            Tensor.ofDoubles("scalar", new long[] {}, new double[] {Math.PI}),
            Tensor.ofFloats("also-empty", new long[] {3, 0}, new float[0]));
    Contents c = SafeTensors.read(SafeTensors.toBytes(tensors, Map.of()), "x");
    assertThat(c.tensors().values()).containsExactlyElementsOf(tensors);
    assertThat(c.tensors().get("scalar").toDoubleArray()).containsExactly(Math.PI);
    assertThat(c.tensors().get("empty").elementCount()).isZero();
    assertThat(c.tensors().get("scalar").elementCount()).isEqualTo(1);
  }

  @Test
  void writerRejectsBadNames() {
    Tensor a = Tensor.ofFloats("a", new long[] {1}, new float[] {1});
    assertThatThrownBy(() -> SafeTensors.toBytes(List.of(a, a), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate tensor name 'a'");
    assertThatThrownBy(
            () ->
                SafeTensors.toBytes(
                    List.of(Tensor.ofFloats("__metadata__", new long[] {1}, new float[] {1})),
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> Tensor.ofFloats("", new long[] {1}, new float[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(
            () ->
                SafeTensors.toBytes(
                    List.of(Tensor.ofFloats("bad\uD800", new long[] {1}, new float[] {1})), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> SafeTensors.toBytes(List.of(), Map.of("k", "\uDC00")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> SafeTensors.write(dir.resolve("f"), List.of(a, a), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dir.resolve("f")).doesNotExist();
  }

  @Test
  void tensorValidatesShapeAgainstData() {
    assertThatThrownBy(() -> Tensor.ofFloats("w", new long[] {2, 2}, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'w'")
        .hasMessageContaining("4 elements but 3 values");
    assertThatThrownBy(
            () -> new Tensor("w", DType.F32, new long[] {-1}, ByteBuffer.allocate(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Tensor(
                    "w", DType.F64, new long[] {1L << 40, 1L << 40}, ByteBuffer.allocate(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Tensor("w", DType.I32, new long[] {2}, ByteBuffer.allocate(7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 8 bytes but data has 7");
  }

  @Test
  void tensorIsImmutableAndComparesByContent() {
    long[] shape = {2};
    float[] values = {1, 2};
    Tensor t = Tensor.ofFloats("t", shape, values);
    shape[0] = 99;
    t.shape()[0] = 98;
    assertThat(t.shape()).containsExactly(2);
    assertThat(t.data().isReadOnly()).isTrue();
    assertThat(t.data().order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    t.data().getFloat(); // moving a view's position must not affect the tensor
    assertThat(t.toFloatArray()).containsExactly(1, 2);
    assertThat(t).isEqualTo(Tensor.ofFloats("t", new long[] {2}, new float[] {1, 2}));
    assertThat(t.hashCode())
        .isEqualTo(Tensor.ofFloats("t", new long[] {2}, new float[] {1, 2}).hashCode());
    assertThat(t).isNotEqualTo(Tensor.ofFloats("t", new long[] {1, 2}, new float[] {1, 2}));
    assertThat(t.toString()).isEqualTo("Tensor[name='t', dtype=F32, shape=[2], bytes=8]");
  }

  @Test
  void conversionsCheckDtype() {
    Tensor longs = Tensor.ofLongs("l", new long[] {3}, new long[] {-1, 0, Long.MAX_VALUE});
    assertThat(longs.toLongArray()).containsExactly(-1, 0, Long.MAX_VALUE);
    assertThatThrownBy(longs::toFloatArray)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tensor 'l' has dtype I64, not F32");
    Tensor f = Tensor.ofFloats("f", new long[] {2}, new float[] {0.5f, Float.NaN});
    assertThat(f.toDoubleArray()).containsExactly(0.5, Double.NaN);
    assertThatThrownBy(f::toLongArray).isInstanceOf(IllegalStateException.class);
    Tensor u8 =
        new Tensor("u", DType.U8, new long[] {2}, ByteBuffer.wrap(new byte[] {(byte) 255, 1}));
    assertThat(u8.toLongArray()).containsExactly(255, 1);
    Tensor i8 =
        new Tensor("i", DType.I8, new long[] {2}, ByteBuffer.wrap(new byte[] {(byte) 255, 1}));
    assertThat(i8.toLongArray()).containsExactly(-1, 1);
    ByteBuffer u32 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).flip();
    assertThat(new Tensor("u32", DType.U32, new long[] {1}, u32).toLongArray())
        .containsExactly(4294967295L);
    ByteBuffer i16 = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -3).flip();
    assertThat(new Tensor("i16", DType.I16, new long[] {1}, i16).toLongArray()).containsExactly(-3);
    assertThatThrownBy(
            () -> new Tensor("u64", DType.U64, new long[] {1}, ByteBuffer.allocate(8)).toLongArray())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readTensorsDoNotShareMemoryWithInput() {
    byte[] bytes =
        SafeTensors.toBytes(List.of(Tensor.ofFloats("a", new long[] {1}, new float[] {3})), null);
    Contents c = SafeTensors.read(bytes, "x");
    Arrays.fill(bytes, (byte) 0);
    assertThat(c.tensors().get("a").toFloatArray()).containsExactly(3);
  }

  @Test
  void contentsMapsAreUnmodifiable() {
    Contents c =
        SafeTensors.read(SafeTensors.toBytes(List.of(), Map.of("k", "v")), "x");
    assertThatThrownBy(() -> c.metadata().put("a", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // Reading hostile input

  @Test
  void offsetsBeyondDataAreRejectedWithPreciseMessage() {
    String header = "{" + entry("encoder.fc1.weight", "F32", "[249999999,1]", 0, 999999996L) + "}";
    // header is 86 bytes; make the data section 1234 bytes
    assertRejected(file(header, 1234))
        .hasMessage(
            "weights.safetensors: tensor 'encoder.fc1.weight' data offsets [0, 999999996] exceed"
                + " the file's 1234 data bytes");
  }

  @Test
  void tooShortFile() {
    assertRejected(new byte[0]).hasMessageContaining("fewer than the 8-byte header");
    assertRejected(new byte[7]).hasMessageContaining("file has 7 bytes");
  }

  @Test
  void headerLengthLimits() {
    byte[] huge = new byte[16];
    Arrays.fill(huge, 0, 8, (byte) 0xff);
    assertRejected(huge)
        .hasMessage(
            "weights.safetensors: header length 18446744073709551615 exceeds the 100000000-byte"
                + " limit");
    byte[] big = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001).array();
    assertRejected(big).hasMessageContaining("exceeds the 100000000-byte limit");
    byte[] beyond = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(9).array();
    assertRejected(beyond)
        .hasMessage("weights.safetensors: header length 9 exceeds the file's remaining 8 bytes");
  }

  @Test
  void headerSyntax() {
    assertRejected(file("", 0)).hasMessageContaining("header is not valid JSON");
    assertRejected(file("[]", 0)).hasMessageContaining("header is not a JSON object");
    assertRejected(file("{\"a\":", 0)).hasMessageContaining("header is not valid JSON");
    assertRejected(file("{} {}", 0)).hasMessageContaining("header");
    assertRejected(file("{a:1}", 0)).hasMessageContaining("header is not valid JSON");
    assertRejected(file("{}//", 0)).hasMessageContaining("header is not valid JSON");
    byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
    badUtf8[10] = (byte) 0xff;
    assertRejected(badUtf8).hasMessage("weights.safetensors: header is not valid UTF-8");
    String deep = "{\"a\":{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}}";
    assertRejected(file(deep, 0)).hasMessageContaining("header");
  }

  @Test
  void headerSyntaxErrorsAreSaidInWordsWithLineAndColumn() {
    assertRejected(file("{'a':1}", 0))
        .hasMessage("weights.safetensors: header is not valid JSON: single quotes are not JSON; use double"
            + " quotes at line 1, column 2");
    assertRejected(file("{a:1}", 0))
        .hasMessage("weights.safetensors: header is not valid JSON: a name not in double quotes (starting"
            + " 'a'); names must be in double quotes at line 1, column 2");
    assertRejected(file("{\"a\":", 0))
        .hasMessage("weights.safetensors: header is not valid JSON: the text ends early (an object, array"
            + " or value is not finished) at line 1, column 6");
    assertRejected(file("", 0)).hasMessage("weights.safetensors: header is not valid JSON: the header is empty");
    assertRejected(file("{\"a\":NaN}", 0))
        .hasMessage("weights.safetensors: header is not valid JSON: 'NaN' is not a JSON number at line 1,"
            + " column 9");
    assertRejected(file("{} {}", 0)).hasMessage("weights.safetensors: header has content after the JSON object");
  }

  /** As deep as the reference reads (safetensors 0.8: 127 nested objects and arrays), and no deeper. */
  @Test
  void headersNestAsDeepAsTheReferenceAllows() {
    String deepest = nested(SafeTensors.MAX_HEADER_NESTING - 2);
    Contents c = SafeTensors.read(file(deepest, 1), "x");
    assertThat(c.tensors()).containsOnlyKeys("a");
    assertRejected(file(nested(SafeTensors.MAX_HEADER_NESTING - 1), 1))
        .hasMessageStartingWith("weights.safetensors: header is not valid JSON: objects and arrays nested too deeply");
    assertThat(SafeTensors.MAX_HEADER_NESTING).isEqualTo(127);
  }

  /** A header whose tensor entry has an unknown field of {@code depth} nested arrays (depth + 2 in all). */
  private static String nested(int depth) {
    return "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":" + "[".repeat(depth)
        + "]".repeat(depth) + "}}";
  }

  @Test
  void paddedHeaderWithSpacesIsAccepted() {
    String header = "{" + entry("a", "U8", "[3]", 0, 3) + "}      ";
    Contents c = SafeTensors.read(file(header, 3), "x");
    assertThat(c.tensors().get("a").toLongArray()).containsExactly(0, 0, 0);
  }

  @Test
  void entryValidation() {
    assertRejected(file("{" + entry("a", "Q8", "[1]", 0, 1) + "}", 1))
        .hasMessage("weights.safetensors: tensor 'a' has unsupported dtype 'Q8'");
    assertRejected(file("{" + entry("a", "U8", "[-1]", 0, 1) + "}", 1))
        .hasMessage("weights.safetensors: tensor 'a' shape contains negative value -1");
    assertRejected(file("{" + entry("a", "U8", "[1.0]", 0, 1) + "}", 1))
        .hasMessage("weights.safetensors: tensor 'a' shape contains non-integer value 1.0");
    assertRejected(file("{" + entry("a", "U8", "[1e0]", 0, 1) + "}", 1))
        .hasMessageContaining("non-integer value 1e0");
    assertRejected(file("{" + entry("a", "U8", "[\"1\"]", 0, 1) + "}", 1))
        .hasMessageContaining("shape contains a non-number");
    assertRejected(file("{" + entry("a", "U8", "1", 0, 1) + "}", 1))
        .hasMessageContaining("shape is not a JSON array");
    assertRejected(file("{" + entry("a", "U8", "[99999999999999999999]", 0, 1) + "}", 1))
        .hasMessageContaining("too large value 99999999999999999999");
    assertRejected(
            file("{" + entry("a", "F64", "[4294967296,4294967296]", 0, 1) + "}", 1))
        .hasMessageContaining("more bytes than fit in 64 bits");
    assertRejected(
            file("{" + entry("a", "F64", "[1152921504606846976,8]", 0, 1) + "}", 1))
        .hasMessageContaining("more bytes than fit in 64 bits");
    assertRejected(file("{" + entry("a", "F32", "[2]", 0, 4) + "}", 4))
        .hasMessage(
            "weights.safetensors: tensor 'a' shape [2] of F32 needs 8 bytes but data offsets"
                + " [0, 4] span 4");
    assertRejected(file("{" + entry("a", "U8", "[0]", 4, 0) + "}", 4))
        .hasMessageContaining("data offsets [4, 0] are reversed");
    assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1))
        .hasMessage("weights.safetensors: tensor 'a' has no data_offsets");
    assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0]}}", 1))
        .hasMessageContaining("data_offsets has 1 entries instead of 2");
    assertRejected(
            file("{\"a\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1))
        .hasMessageContaining("duplicate field 'dtype'");
    assertRejected(file("{\"a\":[]}", 0)).hasMessageContaining("tensor 'a' entry is not a JSON object");
    assertRejected(file("{\"a\":{\"dtype\":8}}", 0)).hasMessageContaining("dtype is not a string");
    assertRejected(file("{" + entry("", "U8", "[0]", 0, 0) + "}", 0))
        .hasMessageContaining("empty name");
  }

  @Test
  void unknownEntryFieldsAreIgnoredLikeTheReference() {
    String header =
        "{\"a\":{\"extra\":[1,{\"x\":null}],\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    assertThat(SafeTensors.read(file(header, 1), "x").tensors()).containsKey("a");
  }

  @Test
  void coverageMustBeExactAndContiguous() {
    assertRejected(file("{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[2]", 1, 3) + "}", 3))
        .hasMessage(
            "weights.safetensors: tensor 'b' data offsets [1, 3] overlap tensor 'a' data offsets"
                + " [0, 2]");
    assertRejected(file("{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[2]", 3, 5) + "}", 5))
        .hasMessage("weights.safetensors: data bytes [2, 3) are not covered by any tensor");
    assertRejected(file("{" + entry("a", "U8", "[2]", 0, 2) + "}", 5))
        .hasMessage(
            "weights.safetensors: data bytes [2, 5) at the end of the file are not covered by any"
                + " tensor");
    assertRejected(file("{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[2]", 0, 2) + "}", 2))
        .hasMessageContaining("overlap");
    assertRejected(file("{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("z", "U8", "[0]", 1, 1) + "}", 2))
        .hasMessageContaining("tensor 'z' data offsets [1, 1] overlap tensor 'a'");
    // tensors stored out of header order are fine as long as they tile the data section
    Contents c =
        SafeTensors.read(
            file("{" + entry("b", "U8", "[1]", 2, 3) + "," + entry("a", "U8", "[2]", 0, 2) + "}", 3),
            "x");
    assertThat(c.tensors().keySet()).containsExactly("b", "a");
  }

  @Test
  void namesAndMetadataValidation() {
    assertRejected(file("{" + entry("a", "U8", "[0]", 0, 0) + "," + entry("a", "U8", "[0]", 0, 0) + "}", 0))
        .hasMessage("weights.safetensors: duplicate tensor name 'a'");
    assertRejected(file("{\"__metadata__\":{\"k\":1}}", 0))
        .hasMessage("weights.safetensors: metadata value for key 'k' is not a string");
    assertRejected(file("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0))
        .hasMessageContaining("duplicate metadata key 'k'");
    assertRejected(file("{\"__metadata__\":[]}", 0))
        .hasMessageContaining("\"__metadata__\" is not a JSON object");
    assertRejected(file("{\"__metadata__\":{},\"__metadata__\":{}}", 0))
        .hasMessageContaining("more than one");
    assertThat(SafeTensors.read(file("{\"__metadata__\":null}", 0), "x").metadata()).isEmpty();
  }

  @Test
  void namesWithLineBreaksStayOnOneLine() {
    assertRejected(file("{" + entry("evil\\nname\\r\\u2028", "Q8", "[0]", 0, 0) + "}", 0))
        .hasMessage("weights.safetensors: tensor 'evil\\u000aname\\u000d\\u2028' has unsupported dtype 'Q8'");
    assertThatThrownBy(() -> SafeTensors.read(new byte[3], "two\nlines"))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith("two lines: ");
  }

  @Test
  void readingFilesReportsIoProblems() throws IOException {
    Path missing = dir.resolve("missing.safetensors");
    assertThatThrownBy(() -> SafeTensors.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith(missing + ": cannot read: ");
    assertThatThrownBy(() -> SafeTensors.read(dir))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith(dir + ": cannot read: ");
    Path truncated = dir.resolve("t.safetensors");
    byte[] ok = SafeTensors.toBytes(List.of(Tensor.ofFloats("a", new long[] {4}, new float[4])), null);
    Files.write(truncated, Arrays.copyOf(ok, ok.length - 1));
    assertThatThrownBy(() -> SafeTensors.read(truncated))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith(truncated + ": tensor 'a' data offsets [0, 16] exceed");
  }
}
