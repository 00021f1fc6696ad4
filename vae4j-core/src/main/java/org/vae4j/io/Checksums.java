package org.vae4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** SHA-256 checksums as lower-case hexadecimal strings, e.g. for a model directory's manifest. */
public final class Checksums {

  private static final int BUFFER_SIZE = 1 << 16;

  private Checksums() {}

  /**
   * Computes the SHA-256 of a file, streaming it so that files larger than memory work.
   *
   * @param file the file to hash
   * @return 64 lower-case hexadecimal characters
   * @throws UncheckedIOException if the file cannot be read, with a message naming it
   */
  public static String sha256(Path file) {
    Objects.requireNonNull(file, "file");
    MessageDigest digest = newDigest();
    byte[] buffer = new byte[BUFFER_SIZE];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + AtomicFiles.describe(e), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Computes the SHA-256 of a byte array.
   *
   * @param bytes the data to hash
   * @return 64 lower-case hexadecimal characters
   */
  public static String sha256(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /**
   * SHA-256 of a set of tensors and the metadata stored beside them: every metadata entry but {@code sha256} (where
   * the digest itself is kept; sorted by key) and every tensor's name, dtype, shape and bytes, in order. Strings and
   * byte runs are length-prefixed, so no two contents collide. Checkpoints and saved weights both store it under
   * {@code sha256} in the safetensors metadata, so one flipped bit anywhere in the data is detected on load.
   *
   * @param metadata the metadata entries ({@code sha256} is ignored)
   * @param tensors the tensors, in file order
   * @return 64 lower-case hexadecimal characters
   */
  public static String tensorDigest(Map<String, String> metadata, Collection<SafeTensors.Tensor> tensors) {
    MessageDigest md = newDigest();
    for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
      if (!e.getKey().equals("sha256")) {
        update(md, e.getKey().getBytes(StandardCharsets.UTF_8));
        update(md, e.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    for (SafeTensors.Tensor t : tensors) {
      update(md, t.name().getBytes(StandardCharsets.UTF_8));
      update(md, t.dtype().name().getBytes(StandardCharsets.UTF_8));
      md.update(ByteBuffer.allocate(8).putLong(t.shape().length).array());
      for (long s : t.shape()) {
        md.update(ByteBuffer.allocate(8).putLong(s).array());
      }
      md.update(ByteBuffer.allocate(8).putLong(t.data().remaining()).array());
      md.update(t.data().duplicate());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void update(MessageDigest md, byte[] bytes) {
    md.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
    md.update(bytes);
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE implementation is required to provide SHA-256.
      throw new IllegalStateException("SHA-256 not available", e);
    }
  }
}
