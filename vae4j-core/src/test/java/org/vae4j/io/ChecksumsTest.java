package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumsTest {

  @TempDir Path dir;

  @Test
  void knownVectors() {
    assertThat(Checksums.sha256(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Checksums.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void fileHashEqualsByteHashAcrossBufferBoundaries() throws IOException {
    byte[] data = new byte[(1 << 16) * 3 + 5];
    new Random(7).nextBytes(data);
    Path f = dir.resolve("f.bin");
    Files.write(f, data);
    assertThat(Checksums.sha256(f)).isEqualTo(Checksums.sha256(data)).hasSize(64).isLowerCase();
  }

  @Test
  void missingFileNamesTheFile() {
    Path f = dir.resolve("missing.bin");
    assertThatThrownBy(() -> Checksums.sha256(f))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith(f + ": cannot read: ");
  }
}
