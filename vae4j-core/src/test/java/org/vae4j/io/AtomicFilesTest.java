package org.vae4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesNewFileAndReplacesExistingOne() throws IOException {
    Path target = dir.resolve("a.txt");
    AtomicFiles.writeString(target, "first");
    assertThat(Files.readString(target)).isEqualTo("first");
    AtomicFiles.writeString(target, "second, longer ü");
    assertThat(Files.readString(target)).isEqualTo("second, longer ü");
    assertThat(names()).containsExactly("a.txt");
  }

  @Test
  void writesLargeContentThroughBufferedStream() throws IOException {
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(1).nextBytes(data);
    Path target = dir.resolve("big.bin");
    AtomicFiles.write(
        target,
        out -> {
          out.write(data, 0, 10);
          for (int i = 10; i < 100; i++) {
            out.write(data[i]);
          }
          out.write(data, 100, data.length - 100);
        });
    assertThat(Files.readAllBytes(target)).isEqualTo(data);
  }

  @Test
  void writerMayCloseTheStream() throws IOException {
    Path target = dir.resolve("closed.bin");
    AtomicFiles.write(
        target,
        out -> {
          out.write(new byte[] {1, 2, 3});
          out.close();
        });
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
  }

  @Test
  void ioFailureMidwayKeepsOldFileAndRemovesTemp() throws IOException {
    Path target = dir.resolve("weights.bin");
    AtomicFiles.writeString(target, "old");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write(new byte[200_000]);
                      throw new IOException("No space left on device");
                    }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage(target + ": cannot write: No space left on device");
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(names()).containsExactly("weights.bin");
  }

  @Test
  void runtimeFailureMidwayPropagatesUnchangedAndRemovesTemp() throws IOException {
    Path target = dir.resolve("w.bin");
    AtomicFiles.writeString(target, "old");
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write(1);
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(Files.readString(target)).isEqualTo("old");
    assertThat(names()).containsExactly("w.bin");
  }

  @Test
  void tempFileIsHiddenSiblingWhileWriting() throws IOException {
    Path target = dir.resolve("t.bin");
    String[] seen = new String[1];
    AtomicFiles.write(
        target,
        out -> {
          seen[0] = String.join(",", names());
          out.write(7);
        });
    assertThat(seen[0]).startsWith(".t.bin.tmp-");
    assertThat(names()).containsExactly("t.bin");
  }

  @Test
  void parentThatIsARegularFileGivesClearError() throws IOException {
    // Tests run as root, where permissions do not stop writes; a file as parent always fails.
    Path file = dir.resolve("plain");
    Files.writeString(file, "x");
    Path target = file.resolve("weights.safetensors");
    assertThatThrownBy(() -> AtomicFiles.writeString(target, "data"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith(target + ": cannot write: ")
        .hasMessageContaining("not a directory")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void missingParentGivesClearError() {
    Path target = dir.resolve("nope").resolve("x.bin");
    assertThatThrownBy(() -> AtomicFiles.writeString(target, "data"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith(target + ": cannot write: ")
        .hasMessageContaining("does not exist");
  }

  @Test
  void targetThatIsADirectoryFailsAndRemovesTemp() throws IOException {
    Path target = dir.resolve("sub");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep"), "k");
    assertThatThrownBy(() -> AtomicFiles.writeString(target, "data"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith(target + ": cannot write: ");
    assertThat(names()).containsExactly("sub");
    assertThat(Files.readString(target.resolve("keep"))).isEqualTo("k");
  }

  @Test
  void replaceDirectoryPublishesNewDirectory() throws IOException {
    Path target = dir.resolve("model");
    Path tmp = AtomicFiles.createTempDirectory(target);
    assertThat(tmp.getFileName().toString()).startsWith(".model.tmp-");
    assertThat(tmp.getParent()).isEqualTo(dir);
    Files.writeString(tmp.resolve("config.json"), "{}");
    Files.createDirectory(tmp.resolve("nested"));
    Files.writeString(tmp.resolve("nested").resolve("f"), "n");
    AtomicFiles.replaceDirectory(tmp, target);
    assertThat(Files.readString(target.resolve("config.json"))).isEqualTo("{}");
    assertThat(Files.readString(target.resolve("nested").resolve("f"))).isEqualTo("n");
    assertThat(AtomicFiles.isComplete(target)).isTrue();
    assertThat(names()).containsExactly("model");
  }

  @Test
  void replaceDirectoryReplacesExistingDirectoryAndDeletesBackup() throws IOException {
    Path target = dir.resolve("model");
    Path first = AtomicFiles.createTempDirectory(target);
    Files.writeString(first.resolve("old-only"), "1");
    Files.writeString(first.resolve("weights"), "old");
    AtomicFiles.replaceDirectory(first, target);

    Path second = AtomicFiles.createTempDirectory(target);
    Files.writeString(second.resolve("weights"), "new");
    AtomicFiles.replaceDirectory(second, target);

    assertThat(Files.readString(target.resolve("weights"))).isEqualTo("new");
    assertThat(target.resolve("old-only")).doesNotExist();
    assertThat(AtomicFiles.isComplete(target)).isTrue();
    assertThat(names()).containsExactly("model");
  }

  @Test
  void replaceDirectoryRejectsBadArguments() throws IOException {
    Path file = dir.resolve("file");
    Files.writeString(file, "x");
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    assertThatThrownBy(() -> AtomicFiles.replaceDirectory(file, dir.resolve("m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> AtomicFiles.replaceDirectory(tmp, file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exists and is not a directory");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void directoryWithoutMarkerIsIncomplete() throws IOException {
    Path d = Files.createDirectory(dir.resolve("d"));
    assertThat(AtomicFiles.isComplete(d)).isFalse();
    assertThat(AtomicFiles.isComplete(dir.resolve("missing"))).isFalse();
  }

  @Test
  void restoresBackupAfterCrashBetweenRenames() throws IOException {
    Path target = dir.resolve("model");
    Path tmp = AtomicFiles.createTempDirectory(target);
    Files.writeString(tmp.resolve("weights"), "v1");
    AtomicFiles.replaceDirectory(tmp, target);
    // Simulate a crash right after the first rename of a second publish.
    Files.move(target, dir.resolve(".model.old-1234"));
    Files.createDirectory(dir.resolve(".model.tmp-5678")); // the half-built new version

    assertThat(AtomicFiles.restoreBackupIfMissing(target)).isTrue();
    assertThat(Files.readString(target.resolve("weights"))).isEqualTo("v1");
    assertThat(AtomicFiles.restoreBackupIfMissing(target)).isFalse();
  }

  @Test
  void restoreDoesNothingWithoutCompleteBackup() throws IOException {
    Path target = dir.resolve("model");
    Files.createDirectory(dir.resolve(".model.old-1")); // no marker: not trusted
    assertThat(AtomicFiles.restoreBackupIfMissing(target)).isFalse();
    assertThat(target).doesNotExist();
  }

  @Test
  void writeBytesRoundTrip() throws IOException {
    Path target = dir.resolve("b");
    AtomicFiles.writeBytes(target, "héllo".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(target)).isEqualTo("héllo");
  }
}
