package org.vae4j.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.vae4j.util.Json;

/**
 * Reader and writer for the <a href="https://huggingface.co/docs/safetensors">safetensors</a>
 * format, the interchange format for model weights used by vae4j.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype": ..., "shape": [...], "data_offsets": [begin,
 * end]}} (offsets relative to the first byte after the header), plus an optional {@code
 * "__metadata__"} object of string values; then the data section, in which the tensors' bytes
 * (little-endian, row-major) exactly and contiguously cover the whole section.
 *
 * <p>The writer emits compact JSON with tensors in the caller's order, metadata first, and pads
 * the header with spaces so that the data section starts 8-byte aligned, as the reference
 * implementation does. The reader treats its input as untrusted: the header and every tensor
 * entry are fully validated before any tensor data is read or allocated, so a corrupt or hostile
 * file fails fast with a {@link ModelFormatException} whose one-line message names the source and
 * the problem. Unknown fields inside a tensor entry are ignored, like the reference reader does.
 *
 * <p>Tensor data is read into heap buffers (no memory mapping, so files can be replaced or deleted
 * while their contents are in use); a single tensor is therefore limited to {@value
 * #MAX_TENSOR_BYTES} bytes.
 */
public final class SafeTensors {

  /** Largest header the reader accepts, the same limit as the reference implementation. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Largest single tensor, in bytes, that fits in one heap {@link ByteBuffer}. */
  public static final int MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

  private static final String METADATA_KEY = "__metadata__";
  private static final int MAX_QUOTED_CHARS = 100;
  private static final int COPY_CHUNK = 1 << 16;

  private SafeTensors() {}

  /**
   * Element types, named exactly as in the safetensors header: every byte-sized type of the
   * reference implementation. Its sub-byte types ({@code F4}, {@code F6_E2M3}, {@code F6_E3M2})
   * are not supported and are reported as an unsupported dtype.
   */
  public enum DType {
    /** 32-bit IEEE float. */
    F32(4),
    /** 64-bit IEEE float. */
    F64(8),
    /** Signed 64-bit integer. */
    I64(8),
    /** Signed 32-bit integer. */
    I32(4),
    /** Unsigned 8-bit integer. */
    U8(1),
    /** Signed 8-bit integer. */
    I8(1),
    /** Signed 16-bit integer. */
    I16(2),
    /** Unsigned 16-bit integer. */
    U16(2),
    /** Unsigned 32-bit integer. */
    U32(4),
    /** Unsigned 64-bit integer. */
    U64(8),
    /** 16-bit IEEE half-precision float (raw bits; no conversion helpers). */
    F16(2),
    /** bfloat16 (raw bits; no conversion helpers). */
    BF16(2),
    /** Boolean stored as one byte, 0 or 1. */
    BOOL(1),
    /** 8-bit float with 4 exponent and 3 mantissa bits (raw bits). */
    F8_E4M3(1),
    /** 8-bit float with 5 exponent and 2 mantissa bits (raw bits). */
    F8_E5M2(1),
    /** 8-bit float, E4M3 "finite, unsigned zero, NaN" variant (raw bits). */
    F8_E4M3FNUZ(1),
    /** 8-bit float, E5M2 "finite, unsigned zero, NaN" variant (raw bits). */
    F8_E5M2FNUZ(1),
    /** 8-bit power-of-two scale (exponent only, raw bits). */
    F8_E8M0(1),
    /** Complex number of two 32-bit floats, real part first (raw bits). */
    C64(8);

    private static final Map<String, DType> BY_NAME = new HashMap<>();

    static {
      for (DType t : values()) {
        BY_NAME.put(t.name(), t);
      }
    }

    private final int byteSize;

    DType(int byteSize) {
      this.byteSize = byteSize;
    }

    /**
     * Returns the size of one element in bytes.
     *
     * @return bytes per element
     */
    public int byteSize() {
      return byteSize;
    }

    /** Looks up a header dtype string; {@code null} if unknown (never throws on hostile input). */
    static DType fromHeader(String name) {
      return BY_NAME.get(name);
    }
  }

  /**
   * A named tensor: element type, shape and raw little-endian row-major data.
   *
   * <p>The data buffer is not copied: the tensor keeps a read-only view of the given buffer's
   * remaining bytes, so callers must not modify the buffer afterwards. {@link #data()} returns a
   * fresh read-only little-endian view positioned at 0; {@link #shape()} returns a copy. Equality
   * compares name, dtype, shape and data bytes.
   *
   * @param name the tensor name, non-empty
   * @param dtype the element type
   * @param shape the dimensions, each non-negative; {@code []} is a scalar
   * @param data exactly {@code elementCount() * dtype.byteSize()} bytes (its remaining bytes)
   */
  public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

    /**
     * Validates and defensively copies the components.
     *
     * @param name the tensor name, non-empty
     * @param dtype the element type
     * @param shape the dimensions, each non-negative (copied)
     * @param data the raw data, exactly the bytes the shape needs (viewed, not copied)
     * @throws IllegalArgumentException if the name is empty, a dimension is negative, the element
     *     count overflows or the data size does not match the shape
     */
    public Tensor {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dtype, "dtype");
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(data, "data");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("tensor name must not be empty");
      }
      shape = shape.clone();
      long bytes = sizeInBytes(shape, dtype);
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "tensor " + quote(name) + ": shape " + formatShape(shape) + " is invalid or too large");
      }
      if (data.remaining() != bytes) {
        throw new IllegalArgumentException(
            "tensor " + quote(name) + ": shape " + formatShape(shape) + " of " + dtype + " needs "
                + bytes + " bytes but data has " + data.remaining());
      }
      data = data.slice().asReadOnlyBuffer();
    }

    /**
     * Creates an {@link DType#F32} tensor from values in row-major order.
     *
     * @param name the tensor name
     * @param shape the dimensions
     * @param values exactly as many values as the shape has elements
     * @return the tensor
     * @throws IllegalArgumentException if the value count does not match the shape
     */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
      ByteBuffer b = allocate(name, shape, values.length, DType.F32);
      b.asFloatBuffer().put(values);
      return new Tensor(name, DType.F32, shape, b);
    }

    /**
     * Creates an {@link DType#F64} tensor from values in row-major order.
     *
     * @param name the tensor name
     * @param shape the dimensions
     * @param values exactly as many values as the shape has elements
     * @return the tensor
     * @throws IllegalArgumentException if the value count does not match the shape
     */
    public static Tensor ofDoubles(String name, long[] shape, double[] values) {
      ByteBuffer b = allocate(name, shape, values.length, DType.F64);
      b.asDoubleBuffer().put(values);
      return new Tensor(name, DType.F64, shape, b);
    }

    /**
     * Creates an {@link DType#I64} tensor from values in row-major order.
     *
     * @param name the tensor name
     * @param shape the dimensions
     * @param values exactly as many values as the shape has elements
     * @return the tensor
     * @throws IllegalArgumentException if the value count does not match the shape
     */
    public static Tensor ofLongs(String name, long[] shape, long[] values) {
      ByteBuffer b = allocate(name, shape, values.length, DType.I64);
      b.asLongBuffer().put(values);
      return new Tensor(name, DType.I64, shape, b);
    }

    private static ByteBuffer allocate(String name, long[] shape, int count, DType dtype) {
      Objects.requireNonNull(shape, "shape");
      long expected = countElements(shape);
      if (expected != count) {
        throw new IllegalArgumentException(
            "tensor " + quote(String.valueOf(name)) + ": shape " + formatShape(shape) + " has "
                + (expected < 0 ? "an invalid number of" : String.valueOf(expected))
                + " elements but " + count + " values were given");
      }
      return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize()))
          .order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns a copy of the dimensions.
     *
     * @return the shape
     */
    @Override
    public long[] shape() {
      return shape.clone();
    }

    /**
     * Returns a read-only little-endian view of the data, positioned at 0; each call returns an
     * independent view.
     *
     * @return the raw data
     */
    @Override
    public ByteBuffer data() {
      return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the number of elements, the product of the dimensions (1 for a scalar).
     *
     * @return the element count
     */
    public long elementCount() {
      return countElements(shape);
    }

    /**
     * Returns the size of the data in bytes.
     *
     * @return {@code elementCount() * dtype().byteSize()}
     */
    public long byteSize() {
      return data.remaining();
    }

    /**
     * Returns the values of an {@link DType#F32} tensor in row-major order.
     *
     * @return a new array
     * @throws IllegalStateException if the dtype is not F32
     */
    public float[] toFloatArray() {
      requireDType(DType.F32);
      float[] out = new float[(int) elementCount()];
      data().asFloatBuffer().get(out);
      return out;
    }

    /**
     * Returns the values of an {@link DType#F64} or (widened) {@link DType#F32} tensor.
     *
     * @return a new array
     * @throws IllegalStateException for other dtypes
     */
    public double[] toDoubleArray() {
      double[] out = new double[(int) elementCount()];
      ByteBuffer b = data();
      switch (dtype) {
        case F64 -> b.asDoubleBuffer().get(out);
        case F32 -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat(4 * i);
          }
        }
        default -> throw wrongDType("F64 or F32");
      }
      return out;
    }

    /**
     * Returns the values of an integer tensor as longs: {@link DType#I64} directly, and {@link
     * DType#I32}, {@link DType#I16}, {@link DType#I8}, {@link DType#U32}, {@link DType#U16} and
     * {@link DType#U8} widened losslessly.
     *
     * @return a new array
     * @throws IllegalStateException for other dtypes (including U64, which may not fit)
     */
    public long[] toLongArray() {
      long[] out = new long[(int) elementCount()];
      ByteBuffer b = data();
      switch (dtype) {
        case I64 -> b.asLongBuffer().get(out);
        case I32 -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt(4 * i);
          }
        }
        case U32 -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = Integer.toUnsignedLong(b.getInt(4 * i));
          }
        }
        case I16 -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = b.getShort(2 * i);
          }
        }
        case U16 -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = Short.toUnsignedLong(b.getShort(2 * i));
          }
        }
        case I8 -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
          }
        }
        case U8 -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = Byte.toUnsignedLong(b.get(i));
          }
        }
        default -> throw wrongDType("an integer type other than U64");
      }
      return out;
    }

    private void requireDType(DType expected) {
      if (dtype != expected) {
        throw wrongDType(expected.name());
      }
    }

    private IllegalStateException wrongDType(String expected) {
      return new IllegalStateException(
          "tensor " + quote(name) + " has dtype " + dtype + ", not " + expected);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t
          && name.equals(t.name)
          && dtype == t.dtype
          && Arrays.equals(shape, t.shape)
          && data.equals(t.data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
      return "Tensor[name=" + quote(name) + ", dtype=" + dtype + ", shape=" + formatShape(shape)
          + ", bytes=" + data.remaining() + "]";
    }
  }

  /**
   * The contents of a safetensors file.
   *
   * @param tensors tensors by name, iterating in header order
   * @param metadata the {@code "__metadata__"} entries in header order; empty if absent
   */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

    /**
     * Copies both maps into unmodifiable insertion-ordered maps.
     *
     * @param tensors tensors by name
     * @param metadata metadata entries
     * @throws IllegalArgumentException if a key differs from its tensor's name
     */
    public Contents {
      Map<String, Tensor> t = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        if (!e.getKey().equals(e.getValue().name())) {
          throw new IllegalArgumentException(
              "key " + quote(e.getKey()) + " maps to tensor " + quote(e.getValue().name()));
        }
        t.put(e.getKey(), e.getValue());
      }
      tensors = Collections.unmodifiableMap(t);
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
  }

  /**
   * Writes tensors and metadata to {@code file} atomically (see {@link AtomicFiles#write(Path,
   * IoConsumer)}), tensors in the given order.
   *
   * @param file the file to create or replace
   * @param tensors the tensors; names must be unique, non-empty and not {@code "__metadata__"}
   * @param metadata string metadata, possibly empty or {@code null}; written in iteration order
   * @throws IllegalArgumentException if names are invalid or duplicated, or a string is not valid
   *     Unicode
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) {
    List<Tensor> list = List.copyOf(tensors);
    byte[] header = encodeHeader(list, metadata);
    AtomicFiles.write(
        file,
        out -> {
          out.write(header);
          byte[] chunk = new byte[COPY_CHUNK];
          for (Tensor t : list) {
            ByteBuffer b = t.data();
            while (b.hasRemaining()) {
              int n = Math.min(chunk.length, b.remaining());
              b.get(chunk, 0, n);
              out.write(chunk, 0, n);
            }
          }
        });
  }

  /**
   * Serializes tensors and metadata to a byte array, exactly as {@link #write(Path, Collection,
   * Map)} would write them.
   *
   * @param tensors the tensors; names must be unique, non-empty and not {@code "__metadata__"}
   * @param metadata string metadata, possibly empty or {@code null}
   * @return the file bytes
   * @throws IllegalArgumentException if names are invalid or the result exceeds 2 GB
   */
  public static byte[] toBytes(Collection<Tensor> tensors, Map<String, String> metadata) {
    List<Tensor> list = List.copyOf(tensors);
    byte[] header = encodeHeader(list, metadata);
    long total = header.length;
    for (Tensor t : list) {
      total += t.byteSize();
    }
    if (total > MAX_TENSOR_BYTES) {
      throw new IllegalArgumentException(
          "safetensors content of " + total + " bytes does not fit in a byte array");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total);
    out.put(header);
    for (Tensor t : list) {
      out.put(t.data());
    }
    return out.array();
  }

  /**
   * Reads and validates a safetensors file.
   *
   * @param file the file
   * @return its tensors and metadata
   * @throws ModelFormatException if the content is malformed; the message starts with {@code file}
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Contents read(Path file) {
    String source = file.toString();
    // Opening a FIFO or device would block or read forever; only regular files are model files.
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new UncheckedIOException(
          source + ": cannot read: not a regular file", new IOException("not a regular file"));
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return parse(new ChannelSource(channel, source), source);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read: " + AtomicFiles.describe(e), e);
    }
  }

  /**
   * Reads and validates safetensors content held in memory. The returned tensors do not share
   * memory with {@code bytes}.
   *
   * @param bytes the complete file content
   * @param sourceName a name for error messages, e.g. the original file name
   * @return the tensors and metadata
   * @throws ModelFormatException if the content is malformed; the message starts with {@code
   *     sourceName}
   */
  public static Contents read(byte[] bytes, String sourceName) {
    Objects.requireNonNull(bytes, "bytes");
    String source = sourceName == null ? "<bytes>" : sourceName;
    try {
      return parse(new ArraySource(bytes), source);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory read failed", e); // cannot happen
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  private static byte[] encodeHeader(List<Tensor> tensors, Map<String, String> metadata) {
    StringBuilder json = new StringBuilder(64 + 96 * tensors.size());
    json.append('{');
    boolean first = true;
    if (metadata != null && !metadata.isEmpty()) {
      json.append('"').append(METADATA_KEY).append("\":{");
      boolean firstEntry = true;
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        String key = Objects.requireNonNull(e.getKey(), "metadata key");
        String value = Objects.requireNonNull(e.getValue(), "metadata value for " + quote(key));
        requireWellFormed(key, "metadata key");
        requireWellFormed(value, "metadata value for " + quote(key));
        if (!firstEntry) {
          json.append(',');
        }
        appendJsonString(json, key).append(':');
        appendJsonString(json, value);
        firstEntry = false;
      }
      json.append('}');
      first = false;
    }
    Set<String> seen = new HashSet<>();
    long offset = 0;
    for (Tensor t : tensors) {
      String name = t.name();
      if (name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException("tensor name \"" + METADATA_KEY + "\" is reserved");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("duplicate tensor name " + quote(name));
      }
      requireWellFormed(name, "tensor name");
      if (!first) {
        json.append(',');
      }
      first = false;
      appendJsonString(json, name);
      json.append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
      long[] shape = t.shape;
      for (int i = 0; i < shape.length; i++) {
        if (i > 0) {
          json.append(',');
        }
        json.append(shape[i]);
      }
      long end = offset + t.byteSize();
      json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    json.append('}');
    byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
    // Pad with spaces so the data section starts 8-byte aligned, like the reference writer.
    int padded = (utf8.length + 7) & ~7;
    if (padded > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException(
          "safetensors header of " + padded + " bytes exceeds the " + MAX_HEADER_BYTES
              + "-byte limit");
    }
    ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(utf8);
    while (out.hasRemaining()) {
      out.put((byte) ' ');
    }
    return out.array();
  }

  private static StringBuilder appendJsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }

  // An unpaired surrogate would silently become '?' in UTF-8; refuse instead of corrupting names.
  private static void requireWellFormed(String s, String what) {
    if (!isWellFormed(s)) {
      throw new IllegalArgumentException(
          what + " " + quote(s) + " contains an unpaired surrogate character");
    }
  }

  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Random-access byte source; {@link #read} is only called with validated ranges. */
  private interface Source {
    long size() throws IOException;

    ByteBuffer read(long position, int length) throws IOException;
  }

  private record ArraySource(byte[] bytes) implements Source {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public ByteBuffer read(long position, int length) {
      int from = (int) position;
      return ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, from + length));
    }
  }

  private record ChannelSource(FileChannel channel, String source) implements Source {
    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public ByteBuffer read(long position, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          throw ModelFormatException.of(source, "file was truncated while being read");
        }
      }
      return buffer.flip();
    }
  }

  /** A validated header entry. */
  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  private static Contents parse(Source src, String source) throws IOException {
    long size = src.size();
    if (size < 8) {
      throw ModelFormatException.of(
          source, "file has " + size + " bytes, fewer than the 8-byte header length prefix");
    }
    long headerLength = src.read(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw ModelFormatException.of(
          source,
          "header length " + Long.toUnsignedString(headerLength) + " exceeds the "
              + MAX_HEADER_BYTES + "-byte limit");
    }
    if (headerLength > size - 8) {
      throw ModelFormatException.of(
          source,
          "header length " + headerLength + " exceeds the file's remaining " + (size - 8)
              + " bytes");
    }
    long dataLength = size - 8 - headerLength;
    String header = decodeUtf8(src.read(8, (int) headerLength), source);
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = parseHeader(header, dataLength, metadata, source);
    checkCoverage(entries, dataLength, source);

    // Only now, with every size validated against the real file size, is data read.
    long dataStart = 8 + headerLength;
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      long length = e.end - e.begin;
      if (length > MAX_TENSOR_BYTES) {
        throw ModelFormatException.of(
            source,
            "tensor " + quote(e.name) + " has " + length + " bytes, more than the "
                + MAX_TENSOR_BYTES + " this reader supports per tensor");
      }
      ByteBuffer data = src.read(dataStart + e.begin, (int) length);
      tensors.put(e.name, new Tensor(e.name, e.dtype, e.shape, data));
    }
    return new Contents(tensors, metadata);
  }

  private static String decodeUtf8(ByteBuffer bytes, String source) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new ModelFormatException(source + ": header is not valid UTF-8", e);
    }
  }

  /**
   * Strict RFC 8259 JSON (no comments, quotes other than double, non-finite numbers or leading
   * zeros), so that whatever we accept the reference (serde_json) accepts too. Duplicate names are
   * checked here, with messages naming them. Strings, names and numbers may be as long as the
   * header. Objects and arrays nest at most 127 deep, the reference's limit (serde_json's recursion
   * limit of 128: safetensors 0.8 reads a header nested 127 deep and refuses 128).
   */
  static final int MAX_HEADER_NESTING = 127;

  private static final JsonFactory HEADER_JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength((int) MAX_HEADER_BYTES)
                  .maxNameLength((int) MAX_HEADER_BYTES)
                  .maxNumberLength((int) MAX_HEADER_BYTES)
                  .maxNestingDepth(MAX_HEADER_NESTING)
                  .build())
          .build();

  private static List<Entry> parseHeader(
      String header, long dataLength, Map<String, String> metadata, String source) {
    List<Entry> entries = new ArrayList<>();
    try (JsonParser r = HEADER_JSON.createParser(header)) {
      JsonToken first = r.nextToken();
      if (first == null) {
        throw ModelFormatException.of(source, "header is not valid JSON: the header is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw ModelFormatException.of(source, "header is not a JSON object");
      }
      Set<String> names = new HashSet<>();
      boolean sawMetadata = false;
      while (r.nextToken() == JsonToken.FIELD_NAME) {
        String key = requireText(r.currentName(), "tensor name", source);
        r.nextToken();
        if (key.equals(METADATA_KEY)) {
          if (sawMetadata) {
            throw ModelFormatException.of(source, "header has more than one \"__metadata__\"");
          }
          sawMetadata = true;
          parseMetadata(r, metadata, source);
        } else {
          if (key.isEmpty()) {
            throw ModelFormatException.of(source, "header has a tensor with an empty name");
          }
          if (!names.add(key)) {
            throw ModelFormatException.of(source, "duplicate tensor name " + quote(key));
          }
          entries.add(parseEntry(r, key, dataLength, source));
        }
      }
      // the parser only ends an object at its '}'
      if (r.nextToken() != null) {
        throw ModelFormatException.of(source, "header has content after the JSON object");
      }
    } catch (JacksonException e) {
      throw new ModelFormatException(
          source + ": header is not valid JSON: " + printable(Json.describe(e), 300), e);
    } catch (IOException e) {
      throw new ModelFormatException(
          source + ": header is not valid JSON: " + printable(firstLine(e.getMessage()), 200), e);
    }
    return entries;
  }

  // JSON escapes can encode lone surrogates ("\ud800"); the reference rejects them, and they could
  // not be written back as UTF-8, so reject them here too.
  private static String requireText(String s, String what, String source) {
    if (!isWellFormed(s)) {
      throw ModelFormatException.of(
          source, what + " " + quote(s) + " contains an unpaired surrogate escape");
    }
    return s;
  }

  private static void parseMetadata(JsonParser r, Map<String, String> metadata, String source)
      throws IOException {
    JsonToken token = r.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return;
    }
    if (token != JsonToken.START_OBJECT) {
      throw ModelFormatException.of(source, "\"__metadata__\" is not a JSON object");
    }
    while (r.nextToken() == JsonToken.FIELD_NAME) {
      String key = requireText(r.currentName(), "metadata key", source);
      if (r.nextToken() != JsonToken.VALUE_STRING) {
        throw ModelFormatException.of(
            source, "metadata value for key " + quote(key) + " is not a string");
      }
      String value = requireText(r.getText(), "metadata value for key " + quote(key), source);
      if (metadata.put(key, value) != null) {
        throw ModelFormatException.of(source, "duplicate metadata key " + quote(key));
      }
    }
  }

  private static Entry parseEntry(JsonParser r, String name, long dataLength, String source)
      throws IOException {
    String what = "tensor " + quote(name);
    if (r.currentToken() != JsonToken.START_OBJECT) {
      throw ModelFormatException.of(source, what + " entry is not a JSON object");
    }
    DType dtype = null;
    long[] shape = null;
    long[] offsets = null;
    Set<String> fields = new HashSet<>();
    while (r.nextToken() == JsonToken.FIELD_NAME) {
      String field = r.currentName();
      if (!fields.add(field)) {
        throw ModelFormatException.of(source, what + " has duplicate field " + quote(field));
      }
      JsonToken value = r.nextToken();
      switch (field) {
        case "dtype" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw ModelFormatException.of(source, what + " dtype is not a string");
          }
          String s = r.getText();
          dtype = DType.fromHeader(s);
          if (dtype == null) {
            throw ModelFormatException.of(source, what + " has unsupported dtype " + quote(s));
          }
        }
        case "shape" -> shape = readNonNegativeLongs(r, what + " shape", source);
        case "data_offsets" -> {
          offsets = readNonNegativeLongs(r, what + " data_offsets", source);
          if (offsets.length != 2) {
            throw ModelFormatException.of(
                source, what + " data_offsets has " + offsets.length + " entries instead of 2");
          }
        }
        default -> r.skipChildren(); // the reference reader ignores unknown fields too
      }
    }
    if (dtype == null || shape == null || offsets == null) {
      String missing = dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets";
      throw ModelFormatException.of(source, what + " has no " + missing);
    }
    long bytes = sizeInBytes(shape, dtype);
    if (bytes < 0) {
      throw ModelFormatException.of(
          source, what + " shape " + formatShape(shape) + " of " + dtype
              + " has more bytes than fit in 64 bits");
    }
    long begin = offsets[0];
    long end = offsets[1];
    String range = "[" + begin + ", " + end + "]";
    if (begin > end) {
      throw ModelFormatException.of(source, what + " data offsets " + range + " are reversed");
    }
    if (end > dataLength) {
      throw ModelFormatException.of(
          source, what + " data offsets " + range + " exceed the file's " + dataLength
              + " data bytes");
    }
    if (end - begin != bytes) {
      throw ModelFormatException.of(
          source, what + " shape " + formatShape(shape) + " of " + dtype + " needs " + bytes
              + " bytes but data offsets " + range + " span " + (end - begin));
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static long[] readNonNegativeLongs(JsonParser r, String what, String source)
      throws IOException {
    if (r.currentToken() != JsonToken.START_ARRAY) {
      throw ModelFormatException.of(source, what + " is not a JSON array");
    }
    long[] values = new long[4];
    int n = 0;
    JsonToken t;
    while ((t = r.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw ModelFormatException.of(source, what + " contains a non-number");
      }
      // Take the literal text: a conversion would accept 2.0 or 1e3, which the reference rejects.
      String literal = r.getText();
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
      }
      values[n++] = parseNonNegative(literal, what, source);
    }
    return Arrays.copyOf(values, n);
  }

  private static long parseNonNegative(String literal, String what, String source) {
    String shown = literal.length() > 30 ? literal.substring(0, 30) + "..." : literal;
    if (literal.startsWith("-")) {
      throw ModelFormatException.of(source, what + " contains negative value " + shown);
    }
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c < '0' || c > '9') {
        throw ModelFormatException.of(source, what + " contains non-integer value " + shown);
      }
    }
    try {
      return Long.parseLong(literal);
    } catch (NumberFormatException e) {
      throw ModelFormatException.of(source, what + " contains too large value " + shown);
    }
  }

  private static void checkCoverage(List<Entry> entries, long dataLength, String source) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin < covered) {
        throw ModelFormatException.of(
            source, "tensor " + quote(e.name) + " data offsets [" + e.begin + ", " + e.end
                + "] overlap tensor " + quote(previous.name) + " data offsets [" + previous.begin
                + ", " + previous.end + "]");
      }
      if (e.begin > covered) {
        throw ModelFormatException.of(
            source, "data bytes [" + covered + ", " + e.begin + ") are not covered by any tensor");
      }
      covered = e.end;
      previous = e;
    }
    if (covered != dataLength) {
      throw ModelFormatException.of(
          source, "data bytes [" + covered + ", " + dataLength
              + ") at the end of the file are not covered by any tensor");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Shared helpers

  /** Product of the dimensions, or -1 if a dimension is negative or the product overflows. */
  static long countElements(long[] shape) {
    long count = 1;
    for (long d : shape) {
      if (d < 0) {
        return -1;
      }
      try {
        // Multiply left to right like the reference, so both reject the same overflowing shapes.
        count = Math.multiplyExact(count, d);
      } catch (ArithmeticException e) {
        return -1;
      }
    }
    return count;
  }

  /** Byte size of a tensor, or -1 if the shape is invalid or the size overflows. */
  private static long sizeInBytes(long[] shape, DType dtype) {
    long count = countElements(shape);
    if (count < 0) {
      return -1;
    }
    try {
      return Math.multiplyExact(count, (long) dtype.byteSize());
    } catch (ArithmeticException e) {
      return -1;
    }
  }

  /** Quotes a name for a one-line message: control characters escaped, long names shortened. */
  static String quote(String s) {
    return "'" + printable(s, MAX_QUOTED_CHARS) + "'";
  }

  /**
   * Makes untrusted text safe to embed in a message: control, line-separator and unpaired
   * surrogate characters become {@code \\uXXXX} escapes, and text beyond {@code maxChars} is
   * replaced by "...".
   */
  static String printable(String s, int maxChars) {
    StringBuilder b = new StringBuilder();
    int limit = Math.min(s.length(), maxChars);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c) && i + 1 < limit && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        b.append(c).append(s.charAt(++i));
      } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029'
          || Character.isSurrogate(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > limit) {
      b.append("...");
    }
    return b.toString();
  }

  private static String formatShape(long[] shape) {
    if (shape.length <= 8) {
      return Arrays.toString(shape);
    }
    return Arrays.toString(Arrays.copyOf(shape, 8)).replace("]", ", ... (" + shape.length
        + " dimensions)]");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    // Messages may run over several lines and embed text from the header.
    int nl = message.indexOf('\n');
    return printable(nl >= 0 ? message.substring(0, nl) : message, 200);
  }
}
