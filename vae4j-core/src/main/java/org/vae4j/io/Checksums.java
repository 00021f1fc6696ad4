package org.vae4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

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

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE implementation is required to provide SHA-256.
      throw new IllegalStateException("SHA-256 not available", e);
    }
  }
}
