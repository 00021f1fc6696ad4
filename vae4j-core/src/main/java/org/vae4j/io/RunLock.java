package org.vae4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive lock on a run directory, so that two vae4j processes (or two runs in one process)
 * never train into or publish the same directory at the same time.
 *
 * <p>The lock is an operating-system file lock ({@link FileChannel#tryLock()}) on {@code
 * runDir/.lock}, which also records the holder's process id for error messages. The operating
 * system releases the lock when the holding process dies, so a {@code .lock} file left behind by
 * a crash does not block later runs. {@link #close()} deletes the file and releases the lock.
 *
 * <p>Caveat (POSIX record locks): while a process holds the lock, nothing in that process may open
 * and close {@code runDir/.lock} by other means (for example while copying or hashing the
 * directory), because closing any descriptor of the file silently drops the process's lock on
 * it. This class itself never does so.
 *
 * <pre>{@code
 * try (RunLock lock = RunLock.acquire(runDir)) {
 *   train(runDir);
 * }
 * }</pre>
 */
public final class RunLock implements AutoCloseable {

  /** Name of the lock file inside the run directory. */
  public static final String LOCK_FILE = ".lock";

  private static final int MAX_ATTEMPTS = 20;
  private static final Object MISSING = new Object();
  private static final Object UNKNOWN = new Object();
  private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

  // Real paths of run directories locked by this JVM: a second channel on the same file would be
  // refused by Java anyway, and closing it would drop our OS-level lock (see class comment).
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path runDir;
  private final Path key;
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed;

  private RunLock(Path runDir, Path key, Path lockFile, FileChannel channel, FileLock lock) {
    this.runDir = runDir;
    this.key = key;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates {@code runDir} if needed and locks it.
   *
   * @param runDir the run directory
   * @return the held lock; close it to release
   * @throws IllegalStateException if another process, or another holder in this process, has the
   *     directory locked: {@code "<runDir>: another vae4j process (pid N) is using this run
   *     directory"}
   * @throws UncheckedIOException if the directory or lock file cannot be created or locked
   */
  public static RunLock acquire(Path runDir) {
    Objects.requireNonNull(runDir, "runDir");
    Path key;
    try {
      Files.createDirectories(runDir);
      key = runDir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          runDir + ": cannot create run directory: " + AtomicFiles.describe(e), e);
    }
    long self = ProcessHandle.current().pid();
    if (!HELD.add(key)) {
      throw new IllegalStateException(
          runDir + ": this run directory is already locked by this process (pid " + self + ")");
    }
    boolean locked = false;
    try {
      RunLock result = lock(runDir, key, self);
      locked = true;
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(runDir + ": cannot lock: " + AtomicFiles.describe(e), e);
    } finally {
      if (!locked) {
        HELD.remove(key);
      }
    }
  }

  private static RunLock lock(Path runDir, Path key, long self) throws IOException {
    Path lockFile = key.resolve(LOCK_FILE);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Object before = identity(lockFile);
      FileChannel channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      boolean keep = false;
      try {
        Object opened = identity(lockFile);
        FileLock lock;
        boolean sameProcess = false;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          // Some other code in this JVM holds a lock on the file: locked all the same.
          lock = null;
          sameProcess = true;
        }
        if (lock == null) {
          String pid = readPid(channel);
          if (sameProcess) {
            throw new IllegalStateException(
                runDir + ": this run directory is already locked by this process (pid " + self
                    + ")");
          }
          throw new IllegalStateException(
              runDir + ": another vae4j process (pid " + pid + ") is using this run directory");
        }
        // A previous holder deletes the file on close; if it did so between our open and our
        // lock, we hold a lock on an orphaned file and must retry on the file now at the path.
        if (!stillCurrent(before, opened, identity(lockFile)) || lockedFileWasDeleted(lockFile)) {
          lock.release();
          continue;
        }
        byte[] content = (self + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(content), 0);
        keep = true;
        return new RunLock(runDir, key, lockFile, channel, lock);
      } finally {
        if (!keep) {
          channel.close();
        }
      }
    }
    throw new IllegalStateException(
        runDir + ": cannot lock: " + LOCK_FILE + " keeps being replaced by other processes");
  }

  /**
   * File identity (device and inode on Unix) read without opening the file; {@link #MISSING} if
   * there is no file, {@link #UNKNOWN} if the file system has no identities.
   */
  private static Object identity(Path file) throws IOException {
    try {
      Object key =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      return key == null ? UNKNOWN : key;
    } catch (NoSuchFileException e) {
      return MISSING;
    }
  }

  /**
   * Whether the file we opened (and locked) is still the one at the path: the same identity
   * before opening (unless we created it), just after opening, and after locking. Only a double
   * replacement that reuses an inode number within microseconds could fool this check.
   */
  private static boolean stillCurrent(Object before, Object opened, Object now) {
    if (now == UNKNOWN) {
      return true; // cannot check on this file system
    }
    if (now == MISSING || !now.equals(opened)) {
      return false;
    }
    return before == MISSING || before.equals(now);
  }

  /**
   * Linux check that, unlike comparing inode numbers (which ext4 reuses at once, so a file
   * replaced twice can look unchanged), cannot be fooled: whether a descriptor of this process
   * still refers to the lock file after it was unlinked, which {@code /proc} shows by appending
   * " (deleted)" to the link target. While this class holds a directory's registry entry, its
   * channel is the only descriptor of the lock file that it has open.
   */
  private static boolean lockedFileWasDeleted(Path lockFile) {
    if (!Files.isDirectory(PROC_SELF_FD)) {
      return false; // not Linux: rely on the inode-number check alone
    }
    String deleted = lockFile + " (deleted)";
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_SELF_FD)) {
      for (Path fd : fds) {
        try {
          if (Files.readSymbolicLink(fd).toString().equals(deleted)) {
            return true;
          }
        } catch (IOException | UnsupportedOperationException e) {
          // descriptor closed meanwhile, or not a link: not ours
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  // Read through the channel we already have: if other code in this JVM holds a lock on the file,
  // every extra descriptor we open and close would drop that lock (see class comment).
  private static String readPid(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
      // keep reading: the holder may have written in several chunks
    }
    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    String first = text.lines().findFirst().orElse("").trim();
    return first.matches("[0-9]{1,19}") ? first : "unknown";
  }

  /**
   * Returns the locked run directory, as given to {@link #acquire(Path)}.
   *
   * @return the run directory
   */
  public Path runDir() {
    return runDir;
  }

  /**
   * Tells whether this lock is still held (not yet closed).
   *
   * @return {@code true} until {@link #close()} is called
   */
  public synchronized boolean isHeld() {
    return !closed && lock.isValid();
  }

  /**
   * Deletes the lock file and releases the lock; calling it again has no effect.
   *
   * @throws UncheckedIOException if releasing the lock fails
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      // Delete while still holding the lock, so no one can have locked the file we delete.
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      // A leftover lock file is harmless: the OS lock, not the file, is what excludes others.
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(
          runDir + ": cannot release lock: " + AtomicFiles.describe(e), e);
    } finally {
      HELD.remove(key);
    }
  }
}
