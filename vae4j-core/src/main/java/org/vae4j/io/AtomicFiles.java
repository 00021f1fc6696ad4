package org.vae4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Crash-safe writing of files and publishing of directories.
 *
 * <p>{@link #write(Path, IoConsumer)} writes into a temporary file next to the target (named
 * {@code "." + targetName + ".tmp-" + random}), flushes it to stable storage with {@link
 * FileChannel#force(boolean)}, renames it over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE}, and finally fsyncs the directory so the rename itself is
 * durable. Readers therefore see either the complete old file or the complete new file, never a
 * torn one, even if the process or machine dies midway. On any failure the temporary file is
 * deleted and the old target is left untouched.
 *
 * <p>{@link #replaceDirectory(Path, Path)} publishes a whole directory (for example a model
 * directory with weights, config and checksums) built in a temporary sibling; see its
 * documentation for the crash window and the {@value #COMPLETE_MARKER} marker file.
 *
 * <p>All methods throw {@link UncheckedIOException} for operating-system failures, with a single-line
 * message naming the target and the cause, for example {@code runs/x/weights.safetensors: cannot
 * write: No space left on device}.
 *
 * <p>If the target is a symbolic link, the link itself is replaced, not the file it points to.
 */
public final class AtomicFiles {

  /**
   * Name of the empty marker file that {@link #replaceDirectory(Path, Path)} puts into a directory
   * just before publishing it; a directory without it was not published by this class, or was
   * copied or modified non-atomically afterwards.
   */
  public static final String COMPLETE_MARKER = "COMPLETE";

  private static final int BUFFER_SIZE = 1 << 16;

  private AtomicFiles() {}

  /**
   * Atomically replaces (or creates) {@code target} with the bytes that {@code writer} writes.
   *
   * <p>The stream passed to {@code writer} is buffered; closing it is allowed but not required.
   * If {@code writer} throws, the exception propagates unchanged (an {@link IOException} wrapped in
   * {@link UncheckedIOException}), the temporary file is deleted and the target is untouched.
   *
   * @param target the file to write; its parent directory must exist
   * @param writer writes the complete new content
   * @throws UncheckedIOException if the file cannot be written, synced or renamed
   */
  public static void write(Path target, IoConsumer<OutputStream> writer) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(writer, "writer");
    Path absolute = target.toAbsolutePath().normalize();
    Path name = absolute.getFileName();
    if (name == null) {
      throw new IllegalArgumentException(target + ": not a file path");
    }
    Path dir = absolute.getParent();
    checkParentDirectory(target, dir, "cannot write");
    Path tmp = dir.resolve("." + name + ".tmp-" + randomSuffix());
    try {
      try (FileChannel channel =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream buffered =
            new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
        writer.accept(new UnclosableOutputStream(buffered));
        buffered.flush();
        // Data must be on disk before the rename makes it visible, or a crash could publish an empty file.
        channel.force(true);
      }
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      deleteTemp(tmp, e);
      throw new UncheckedIOException(target + ": cannot write: " + describe(e), e);
    } catch (RuntimeException | Error e) {
      deleteTemp(tmp, e);
      throw e;
    }
    fsyncDirectory(dir);
  }

  /**
   * Atomically replaces (or creates) {@code target} with the UTF-8 encoding of {@code content}.
   *
   * @param target the file to write
   * @param content the text
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeString(Path target, String content) {
    writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Atomically replaces (or creates) {@code target} with {@code content}.
   *
   * @param target the file to write
   * @param content the bytes
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeBytes(Path target, byte[] content) {
    Objects.requireNonNull(content, "content");
    write(target, out -> out.write(content));
  }

  /**
   * Creates an empty directory next to {@code target} (named {@code "." + targetName + ".tmp-" +
   * random}) in which to build content for {@link #replaceDirectory(Path, Path)}; being on the same
   * file system as the target is what makes the final rename atomic.
   *
   * @param target the directory that will eventually be replaced; its parent must exist
   * @return the new, empty temporary directory
   * @throws UncheckedIOException if the directory cannot be created
   */
  public static Path createTempDirectory(Path target) {
    Path absolute = target.toAbsolutePath().normalize();
    if (absolute.getFileName() == null) {
      throw new IllegalArgumentException(target + ": not a directory path");
    }
    Path parent = absolute.getParent();
    checkParentDirectory(target, parent, "cannot create temporary directory");
    Path tmp = parent.resolve("." + absolute.getFileName() + ".tmp-" + randomSuffix());
    try {
      return Files.createDirectory(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException(
          target + ": cannot create temporary directory: " + describe(e), e);
    }
  }

  /**
   * Publishes the directory {@code tmpDir} under the name {@code target}, replacing any existing
   * directory there.
   *
   * <p>Steps: every file in {@code tmpDir} is fsynced, the empty marker file {@value
   * #COMPLETE_MARKER} is written into {@code tmpDir}; if {@code target} exists it is renamed to a
   * backup sibling {@code "." + targetName + ".old-" + random}; {@code tmpDir} is renamed to {@code
   * target}; the parent directory is fsynced; the backup is deleted. {@code tmpDir} should be a
   * sibling of {@code target} (see {@link #createTempDirectory(Path)}), since renames are only
   * atomic within one file system.
   *
   * <p>Crash window: POSIX cannot atomically exchange two non-empty directories, so if the process
   * dies between the two renames, {@code target} is missing and the previous version sits complete
   * in the backup sibling; {@link #restoreBackupIfMissing(Path)} puts it back. A crash after the
   * second rename may leave a stale backup, which can be deleted. Loaders should call {@link
   * #isComplete(Path)} and refuse a directory without the marker.
   *
   * <p>If the second rename fails, the backup is renamed back to {@code target} before the
   * exception is thrown. If deleting the backup fails, it is left in place silently because the new
   * directory is already published.
   *
   * @param tmpDir the fully written directory to publish
   * @param target the name under which to publish it; if it exists it must be a directory
   * @throws IllegalArgumentException if {@code tmpDir} is not a directory or {@code target} exists
   *     and is not a directory
   * @throws UncheckedIOException if syncing or renaming fails
   */
  public static void replaceDirectory(Path tmpDir, Path target) {
    Objects.requireNonNull(tmpDir, "tmpDir");
    Objects.requireNonNull(target, "target");
    if (!Files.isDirectory(tmpDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(tmpDir + ": not a directory");
    }
    Path absolute = target.toAbsolutePath().normalize();
    if (absolute.getFileName() == null) {
      throw new IllegalArgumentException(target + ": not a directory path");
    }
    if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)
        && !Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(target + ": exists and is not a directory");
    }
    Path parent = absolute.getParent();
    Path backup = null;
    try {
      syncTree(tmpDir);
      writeBytes(tmpDir.resolve(COMPLETE_MARKER), new byte[0]);
      if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
        backup = parent.resolve("." + absolute.getFileName() + ".old-" + randomSuffix());
        Files.move(absolute, backup, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(tmpDir, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (backup != null) {
          try {
            Files.move(backup, absolute, StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException restoreFailure) {
            e.addSuppressed(restoreFailure);
          }
        }
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(target + ": cannot publish directory: " + describe(e), e);
    }
    fsyncDirectory(parent);
    if (backup != null) {
      try {
        deleteRecursively(backup);
      } catch (IOException e) {
        // The new directory is published; a leftover backup wastes space but is harmless.
      }
    }
  }

  /**
   * Tells whether {@code dir} is a directory carrying the {@value #COMPLETE_MARKER} marker written
   * by {@link #replaceDirectory(Path, Path)}.
   *
   * @param dir the directory to check
   * @return {@code true} if {@code dir} is a directory containing a regular file named {@value
   *     #COMPLETE_MARKER}
   */
  public static boolean isComplete(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(COMPLETE_MARKER));
  }

  /**
   * Repairs the effect of a crash inside {@link #replaceDirectory(Path, Path)}: if {@code target}
   * does not exist but complete backups ({@code "." + targetName + ".old-*"} siblings carrying the
   * marker) do, the most recently modified one is renamed back to {@code target}.
   *
   * @param target the published directory
   * @return {@code true} if a backup was restored, {@code false} if nothing needed doing
   * @throws UncheckedIOException if listing the parent or renaming fails
   */
  public static boolean restoreBackupIfMissing(Path target) {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (absolute.getFileName() == null
        || Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)
        || !Files.isDirectory(parent)) {
      return false;
    }
    String prefix = "." + absolute.getFileName() + ".old-";
    try {
      Path newest = null;
      FileTime newestTime = null;
      try (Stream<Path> siblings = Files.list(parent)) {
        for (Path p : (Iterable<Path>) siblings::iterator) {
          if (p.getFileName().toString().startsWith(prefix) && isComplete(p)) {
            FileTime t = Files.getLastModifiedTime(p);
            if (newest == null || t.compareTo(newestTime) > 0) {
              newest = p;
              newestTime = t;
            }
          }
        }
      }
      if (newest == null) {
        return false;
      }
      Files.move(newest, absolute, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(parent);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(target + ": cannot restore backup: " + describe(e), e);
    }
  }

  /** Single-line description of an I/O failure, without repeating the path when possible. */
  static String describe(IOException e) {
    String reason;
    if (e instanceof FileSystemException) {
      FileSystemException fse = (FileSystemException) e;
      if (fse.getReason() != null) {
        reason = fse.getReason();
      } else if (e instanceof NoSuchFileException) {
        reason = "no such file or directory";
      } else if (e instanceof AccessDeniedException) {
        reason = "permission denied";
      } else if (e instanceof FileAlreadyExistsException) {
        reason = "file already exists";
      } else if (e instanceof DirectoryNotEmptyException) {
        reason = "directory not empty";
      } else if (e instanceof NotDirectoryException) {
        reason = "not a directory";
      } else {
        reason = e.getClass().getSimpleName();
      }
    } else {
      reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    return ModelFormatException.oneLine(reason);
  }

  private static void checkParentDirectory(Path target, Path dir, String action) {
    if (!Files.isDirectory(dir)) {
      // Checked up front because the OS error for the temp file would name the wrong path.
      IOException cause =
          Files.exists(dir)
              ? new NotDirectoryException(dir.toString())
              : new NoSuchFileException(dir.toString());
      String problem =
          Files.exists(dir)
              ? "parent " + dir + " is not a directory"
              : "directory " + dir + " does not exist";
      throw new UncheckedIOException(target + ": " + action + ": " + problem, cause);
    }
  }

  /** Best effort: fsyncing a directory makes renames durable on Linux; other systems may refuse. */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not supported everywhere (e.g. Windows cannot open directories); the rename still happened.
    }
  }

  private static void syncTree(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
            channel.force(true);
          }
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          dirs.add(p);
        }
      }
    }
    for (Path d : dirs) {
      fsyncDirectory(d);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> all = Files.walk(root)) {
      paths = new ArrayList<>(all.toList());
    }
    paths.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }

  private static void deleteTemp(Path tmp, Throwable primary) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }

  private static String randomSuffix() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }

  /** Lets writers close "their" stream without closing the channel we still need to fsync. */
  private static final class UnclosableOutputStream extends OutputStream {
    private final OutputStream out;

    UnclosableOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
